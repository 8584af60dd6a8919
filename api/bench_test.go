package api_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
)

// BenchmarkCachedVacancyMatch is a cached GET /v1/vacancies/{id}/matches
// through the whole middleware chain (auth, rate limit, metrics, access
// log at info to a buffer), in process; BenchmarkBareGinJSON is the
// baseline the benchmark program compares it with.
func BenchmarkCachedVacancyMatch(b *testing.B) {
	e := newEnv(b, nil)
	for i := range 50 {
		e.putProfile(profile(fmt.Sprintf("p%02d", i), amsterdam, 1011))
	}
	e.putVacancy(vacancy("v1", employerA, 1012))
	r := httptest.NewRequest("GET", "/v1/vacancies/v1/matches?limit=20", nil)
	r.Header.Set("Authorization", "Bearer "+kAM)
	e.srv.ServeHTTP(httptest.NewRecorder(), r)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		w := httptest.NewRecorder()
		e.srv.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatal(w.Code)
		}
	}
}

func BenchmarkBareGinJSON(b *testing.B) {
	g := gin.New()
	g.GET("/ping", func(c *gin.Context) { c.JSON(200, gin.H{"status": "ok"}) })
	r := httptest.NewRequest("GET", "/ping", nil)
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		g.ServeHTTP(w, r)
	}
}
