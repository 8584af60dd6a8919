package api_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/werkmatch/werkmatch/api"
	"github.com/werkmatch/werkmatch/matcher"
)

// panicky is a core whose vacancy match panics: a bug, not client input.
type panicky struct{ api.Engine }

func (panicky) MatchVacancyID(context.Context, string, matcher.Query) (*matcher.MatchResult, error) {
	panic("bug in the core")
}

// TestPanicIsLoggedProblem500: a bug answers a problem+json 500 with the
// request id, logs the panic, and the server keeps serving.
func TestPanicIsLoggedProblem500(t *testing.T) {
	e := newEnv(t, func(c *api.Config) { c.Engine = panicky{c.Engine} })
	e.putVacancy(vacancy("v1", employerA, 1012))
	rec := e.do(req{method: "GET", path: "/v1/vacancies/v1/matches", key: kAM, header: map[string]string{"X-Request-ID": "panic-test-1"}})
	m := want(t, rec, 500)
	if m["request_id"] != "panic-test-1" || strings.Contains(rec.Body.String(), "bug in the core") {
		t.Errorf("500 problem: %s", rec.Body.String())
	}
	if logs := e.logs.String(); !strings.Contains(logs, "panic in handler") || !strings.Contains(logs, `"request_id":"panic-test-1"`) {
		t.Errorf("panic not logged with its request id: %s", logs)
	}
	want(t, e.do(req{method: "GET", path: "/v1/vacancies/v1", key: kAM}), 200)
}

// TestConcurrentWritesAndMatches: writers upsert profiles while readers
// ask for matches (run under -race). Every answer is well-formed, and once
// the writes are acknowledged the next match holds every one of them.
func TestConcurrentWritesAndMatches(t *testing.T) {
	e := newEnv(t, nil)
	e.putVacancy(vacancy("v1", employerA, 1012))
	const writers, perWriter, readers = 4, 15, 4
	var wg sync.WaitGroup
	stop := make(chan struct{})
	errs := make(chan string, 100)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWriter {
				id := fmt.Sprintf("w%d-%02d", w, i)
				rec := e.do(req{method: "PUT", path: "/v1/profiles/" + id, key: kIngest, body: profile(id, amsterdam, 1011)})
				if rec.Code != 201 {
					errs <- fmt.Sprintf("put %s: %d", id, rec.Code)
				}
			}
		}()
	}
	var rg sync.WaitGroup
	for range readers {
		rg.Add(1)
		go func() {
			defer rg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				rec := e.do(req{method: "GET", path: "/v1/vacancies/v1/matches?limit=200", key: kEmployerA})
				if rec.Code != 200 {
					errs <- fmt.Sprintf("match: %d", rec.Code)
					return
				}
			}
		}()
	}
	wg.Wait()
	m := want(t, e.do(req{method: "GET", path: "/v1/vacancies/v1/matches?limit=200", key: kEmployerA}), 200)
	close(stop)
	rg.Wait()
	close(errs)
	for s := range errs {
		t.Error(s)
	}
	ids := matchIDs(m)
	for w := range writers {
		for i := range perWriter {
			if id := fmt.Sprintf("w%d-%02d", w, i); !slices.Contains(ids, id) {
				t.Errorf("acknowledged profile %s missing from the next match", id)
			}
		}
	}
}
