package reliability

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/werkmatch/werkmatch/api"
	"github.com/werkmatch/werkmatch/matcher"
)

// diskFault is an index.Options.FaultHook that fails every commit with
// ENOSPC while it is on.
type diskFault struct{ on atomic.Bool }

func (d *diskFault) hook() error {
	if d.on.Load() {
		return fmt.Errorf("write profiles.bleve: %w", syscall.ENOSPC)
	}
	return nil
}

// want503 checks a refused write: 503 problem+json with a detail that
// says what to do, and Retry-After.
func want503(t *testing.T, what string, r *response) {
	t.Helper()
	mustStatus(t, what, r, 503)
	var p api.Problem
	_ = json.Unmarshal(r.body, &p)
	if len(p.Detail) < 20 || !strings.Contains(strings.ToLower(p.Detail), "try again") {
		t.Errorf("%s: the 503 does not say what happened and what to do: %q", what, p.Detail)
	}
	if r.header.Get("Retry-After") == "" {
		t.Errorf("%s: 503 without Retry-After", what)
	}
	if strings.Contains(string(r.body), "ENOSPC") || strings.Contains(string(r.body), "no space") || strings.Contains(string(r.body), ".bleve") {
		t.Errorf("%s: the 503 leaks the internal error: %s", what, r.body)
	}
}

// TestDiskFaultRefusesWritesKeepsReads simulates a full disk with the
// index's fault hook: every write through the API is 503 problem+json
// (the bulk route per line), the refused write reaches neither the store
// nor the core, reads (documents, matches, search) keep answering as
// before, and once the fault clears writes succeed again without a
// restart. Then concurrent writers run while the fault comes and goes;
// every acknowledged write holds, every refused one left the document as
// it was, in the running server and after a restart on the same data.
func TestDiskFaultRefusesWritesKeepsReads(t *testing.T) {
	fault := &diskFault{}
	dir := t.TempDir()
	s := startServer(t, serverOptions{faultHook: fault.hook, dir: dir})
	for i := range 6 {
		s.putProfile(profileAt(fmt.Sprintf("p-d%d", i), amsterdam, 1011+i))
	}
	s.putVacancy(vacancyOf("va", employerA, 1012))
	before := s.do("GET", "/v1/vacancies/va/matches", secretAMAll, nil)
	mustStatus(t, "matches before", before, 200)
	beforeIDs := ids(t, before)

	fault.on.Store(true)
	newP := profileAt("p-refused", amsterdam, 1012)
	want503(t, "put new profile", s.do("PUT", "/v1/profiles/p-refused", secretIngest, newP))
	changed := profileAt("p-d0", amsterdam, 1011)
	changed.HoursMax = 20
	want503(t, "replace profile", s.do("PUT", "/v1/profiles/p-d0", secretIngest, changed))
	want503(t, "delete profile", s.do("DELETE", "/v1/profiles/p-d1", secretIngest, nil))
	want503(t, "put vacancy", s.do("PUT", "/v1/vacancies/vb", secretEmployerB, vacancyOf("vb", "", 1012)))
	want503(t, "delete vacancy", s.do("DELETE", "/v1/vacancies/va", secretEmployerA, nil))
	b1, _ := json.Marshal(profileAt("p-bulk-refused", amsterdam, 1013))
	r := s.do("POST", "/v1/profiles/_bulk", secretIngest, string(b1)+"\n{\"id\":\"bad\"}\n")
	mustStatus(t, "bulk", r, 200)
	var ba api.BulkAnswer
	_ = json.Unmarshal(r.body, &ba)
	if ba.Accepted != 0 || len(ba.Results) != 2 || ba.Results[0].Status != 503 || ba.Results[1].Status != 400 {
		t.Errorf("bulk under a disk fault: %+v, want line 1 503 and line 2 400", ba)
	}

	// reads keep working and show nothing of the refused writes
	for i := range 6 {
		mustStatus(t, "get", s.do("GET", fmt.Sprintf("/v1/profiles/p-d%d", i), secretAMAll, nil), 200)
	}
	r = s.do("GET", "/v1/profiles/p-d0", secretAMAll, nil)
	var got matcher.Profile
	_ = json.Unmarshal(r.body, &got)
	if got.HoursMax != 38 {
		t.Errorf("a refused replace changed the stored profile: hours_max %d", got.HoursMax)
	}
	mustStatus(t, "refused profile", s.do("GET", "/v1/profiles/p-refused", secretAMAll, nil), 404)
	mustStatus(t, "refused vacancy", s.do("GET", "/v1/vacancies/vb", secretAMAll, nil), 404)
	mustStatus(t, "vacancy still there", s.do("GET", "/v1/vacancies/va", secretEmployerA, nil), 200)
	for range 3 {
		r = s.do("GET", "/v1/vacancies/va/matches", secretAMAll, nil)
		mustStatus(t, "matches during the fault", r, 200)
		if g := ids(t, r); !slices.Equal(g, beforeIDs) {
			t.Errorf("matches during the fault %v, before %v: a refused write reached the core", g, beforeIDs)
		}
	}
	mustStatus(t, "search during the fault", s.do("GET", "/v1/search/profiles?q=orderpicker", secretAMAll, nil), 200)
	mustStatus(t, "profile matches during the fault", s.do("GET", "/v1/profiles/p-d2/matches", secretAMAll, nil), 200)
	if _, in := s.engine.ProfileMunicipality("p-refused"); in {
		t.Errorf("the refused profile is in the core")
	}

	// the fault clears: writes work again, no restart
	fault.on.Store(false)
	r = s.do("PUT", "/v1/profiles/p-refused", secretIngest, newP)
	mustStatus(t, "put after the fault", r, 201)
	r = s.do("GET", "/v1/vacancies/va/matches", secretAMAll, nil)
	if !slices.Contains(ids(t, r), "p-refused") {
		t.Errorf("the write after the fault is not matched: %s", fmtIDs(ids(t, r)))
	}

	// concurrent writers while the fault comes and goes
	type state struct {
		version int  // hours_max of the last acknowledged put
		deleted bool // the last acknowledged write was a delete
		known   bool // something was acknowledged
	}
	const writers, perWriter = 4, 30
	states := make([][]state, writers)
	stop := make(chan struct{})
	var flips sync.WaitGroup
	flips.Add(1)
	go func() {
		defer flips.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				fault.on.Store(false)
				return
			case <-time.After(15 * time.Millisecond):
			}
			fault.on.Store(i%3 == 0)
		}
	}()
	var wg sync.WaitGroup
	var refused, acked atomic.Int64
	for w := range writers {
		states[w] = make([]state, 5)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWriter {
				k := i % 5
				id := fmt.Sprintf("p-w%d-%d", w, k)
				var r *response
				var err error
				if i%7 == 6 {
					r, err = tryCall(s.client, s.url, "DELETE", "/v1/profiles/"+id, secretIngest, nil, nil)
				} else {
					p := profileAt(id, amsterdam, 1011+k)
					p.HoursMax = 20 + i%19
					r, err = tryCall(s.client, s.url, "PUT", "/v1/profiles/"+id, secretIngest, p, nil)
					if err == nil && r.status < 300 {
						states[w][k] = state{version: p.HoursMax, known: true}
					}
				}
				switch {
				case err != nil:
					t.Errorf("%s: %v", id, err)
				case r.status == 204 || (r.status == 404 && i%7 == 6):
					states[w][k] = state{deleted: true, known: true}
					acked.Add(1)
				case r.status == 200 || r.status == 201:
					acked.Add(1)
				case r.status == 503:
					refused.Add(1)
				default:
					t.Errorf("%s: %d %.200s", id, r.status, r.body)
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	flips.Wait()
	t.Logf("under a flapping disk fault: %d writes acknowledged, %d refused", acked.Load(), refused.Load())
	if refused.Load() == 0 || acked.Load() == 0 {
		t.Errorf("the fault did not come and go during the writes")
	}
	verify := func(s *testServer, when string) {
		for w := range writers {
			for k, st := range states[w] {
				if !st.known {
					continue
				}
				id := fmt.Sprintf("p-w%d-%d", w, k)
				r := s.do("GET", "/v1/profiles/"+id, secretIngest, nil)
				switch {
				case st.deleted && r.status != 404:
					t.Errorf("%s: %s was deleted (acknowledged), GET is %d", when, id, r.status)
				case !st.deleted && r.status != 200:
					t.Errorf("%s: %s was written (acknowledged), GET is %d", when, id, r.status)
				case !st.deleted:
					var p matcher.Profile
					_ = json.Unmarshal(r.body, &p)
					if p.HoursMax != st.version {
						t.Errorf("%s: %s has version %d, the last acknowledged is %d", when, id, p.HoursMax, st.version)
					}
				}
			}
		}
		compareWithRebuiltCore(t, s.url, s.client, s.ix)
	}
	verify(s, "running")

	// restart on the same data: everything acknowledged is still there
	s.hs.Close()
	if err := s.ix.Close(); err != nil && !errors.Is(err, matcher.ErrUnavailable) {
		t.Fatal(err)
	}
	s2 := startServer(t, serverOptions{dir: dir})
	verify(s2, "after restart")
	mustStatus(t, "refused bulk line", s2.do("GET", "/v1/profiles/p-bulk-refused", secretIngest, nil), 404)
	checkNoKeysInLogs(t, s.logs.String())
}
