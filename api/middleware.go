package api

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"time"

	"github.com/gin-gonic/gin"
)

// Context keys.
const (
	ctxRequestID = "werkmatch.request_id"
	ctxRole      = "werkmatch.role"
	ctxKeyID     = "werkmatch.key_id"
)

// RequestIDHeader carries the request id in both directions.
const RequestIDHeader = "X-Request-ID"

var requestIDRe = regexp.MustCompile(`^[A-Za-z0-9._:-]{8,128}$`)

// requestIDs takes a well-formed X-Request-ID from the client or makes
// one, and puts it on the response before anything else can answer.
func (s *Server) requestIDs(c *gin.Context) {
	id := c.GetHeader(RequestIDHeader)
	if !requestIDRe.MatchString(id) {
		id = newRequestID()
	}
	c.Set(ctxRequestID, id)
	c.Header(RequestIDHeader, id)
	c.Next()
}

func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func requestID(c *gin.Context) string { return c.GetString(ctxRequestID) }

// reqLog is the logger for one request: every line carries its id.
func (s *Server) reqLog(c *gin.Context) *slog.Logger {
	return s.log.With("request_id", requestID(c))
}

// observe records the request metrics and writes one access-log line:
// method, route template, status, duration, size, role. Never bodies,
// keys, query strings or free text.
func (s *Server) observe(c *gin.Context) {
	start := time.Now()
	c.Next()
	d := time.Since(start)
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	status := c.Writer.Status()
	method := knownMethod(c.Request.Method)
	class := statusClass(status)
	s.m.httpRequests.WithLabelValues(method, route, class).Inc()
	s.m.httpDuration.WithLabelValues(method, route, class).Observe(d.Seconds())
	lvl := slog.LevelInfo
	switch {
	case status == 503 && route == "/readyz":
		// expected while starting
	case status == 503:
		lvl = slog.LevelWarn
	case status >= 500:
		lvl = slog.LevelError
	}
	if !s.log.Enabled(c.Request.Context(), lvl) {
		return
	}
	s.log.LogAttrs(c.Request.Context(), lvl, "request",
		slog.String("request_id", requestID(c)),
		slog.String("method", method),
		slog.String("route", route),
		slog.Int("status", status),
		slog.Float64("duration_ms", float64(d.Microseconds())/1000),
		slog.Int("bytes", max(c.Writer.Size(), 0)),
		slog.String("role", c.GetString(ctxRole)),
		// the key's fingerprint (as in the audit log), so that many
		// requests of one key can be told apart from many keys'
		slog.String("key_id", c.GetString(ctxKeyID)),
	)
}

// recoverer turns a panic in a handler (a bug) into a logged problem+json
// 500. http.ErrAbortHandler is passed on: it means "drop the connection".
func (s *Server) recoverer(c *gin.Context) {
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		if err, ok := r.(error); ok && errors.Is(err, http.ErrAbortHandler) {
			panic(r)
		}
		s.reqLog(c).Error("panic in handler", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
		if c.Writer.Written() {
			c.Abort()
			return
		}
		writeProblem(c, newProblem(http.StatusInternalServerError, "an internal error occurred; it has been logged with the request id"))
	}()
	c.Next()
}
