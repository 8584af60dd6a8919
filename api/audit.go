package api

import (
	"log/slog"

	"github.com/gin-gonic/gin"

	"github.com/werkmatch/werkmatch/matcher"
)

// AuditEvent is the event of an audit record: a key has been shown one or
// more profiles.
const AuditEvent = "profile_view"

// keyIDLen is how many hex digits of a key's SHA-256 identify it in the
// audit log: enough to tell the keys of one file apart, far too few to
// stand in for the hash the keys file holds.
const keyIDLen = 12

// audited reports whether profile views of this principal are recorded:
// accountmanager and admin keys, which may read whole profiles. (Employers
// only ever see pseudonymous ids with a score; ingest is the municipality's
// own system of record.)
func (s *Server) audited(c *gin.Context, pr *Principal) bool {
	return (pr.Role == RoleAccountmanager || pr.Role == RoleAdmin) &&
		s.audit.Enabled(c.Request.Context(), slog.LevelInfo)
}

// matchProfileIDs returns the profile ids of a vacancy-to-profiles answer.
func matchProfileIDs(ms []matcher.Match) []string {
	ids := make([]string, 0, len(ms))
	for _, m := range ms {
		if m.ProfileID != "" {
			ids = append(ids, m.ProfileID)
		}
	}
	return ids
}

// auditView writes one profile_view record: who (the key's fingerprint and
// label, its role), where (request id, method, route template) and which
// profile ids. Nothing else of a profile, no query string, no body and
// never the key: the record is safe to keep for as long as the deployer's
// retention policy asks.
func (s *Server) auditView(c *gin.Context, pr *Principal, ids []string) {
	if len(ids) == 0 {
		return
	}
	s.audit.LogAttrs(c.Request.Context(), slog.LevelInfo, "profile view",
		slog.String("event", AuditEvent),
		slog.String("request_id", requestID(c)),
		slog.String("key_id", pr.keyID),
		slog.String("key_name", pr.Name),
		slog.String("role", pr.Role),
		slog.String("method", c.Request.Method),
		slog.String("route", c.FullPath()),
		slog.Any("profile_ids", ids),
	)
}
