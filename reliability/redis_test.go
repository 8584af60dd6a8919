package reliability

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/werkmatch/werkmatch/cache"
	"github.com/werkmatch/werkmatch/corpus"
	"github.com/werkmatch/werkmatch/internal/redistest"
	"github.com/werkmatch/werkmatch/matcher"
)

// faultProxy sits between the cache and Redis: it can add a delay to
// every chunk in both directions, and cut every connection (and refuse
// new ones) as a network partition would, without Redis losing its data.
type faultProxy struct {
	ln     net.Listener
	target string
	delay  atomic.Int64 // nanoseconds per forwarded chunk
	down   atomic.Bool
	mu     sync.Mutex
	conns  map[net.Conn]bool
	wg     sync.WaitGroup
}

func startProxy(t *testing.T, target string) *faultProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &faultProxy{ln: ln, target: target, conns: map[net.Conn]bool{}}
	p.wg.Add(1)
	go p.accept()
	t.Cleanup(func() {
		_ = ln.Close()
		p.cut()
		p.wg.Wait()
	})
	return p
}

func (p *faultProxy) addr() string { return p.ln.Addr().String() }

func (p *faultProxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		if p.down.Load() {
			_ = c.Close()
			continue
		}
		u, err := net.DialTimeout("tcp", p.target, time.Second)
		if err != nil {
			_ = c.Close()
			continue
		}
		p.mu.Lock()
		p.conns[c], p.conns[u] = true, true
		p.mu.Unlock()
		p.wg.Add(2)
		go p.pipe(c, u)
		go p.pipe(u, c)
	}
}

func (p *faultProxy) pipe(dst, src net.Conn) {
	defer p.wg.Done()
	defer func() {
		_ = dst.Close()
		_ = src.Close()
		p.mu.Lock()
		delete(p.conns, dst)
		delete(p.conns, src)
		p.mu.Unlock()
	}()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if d := time.Duration(p.delay.Load()); d > 0 {
				time.Sleep(d)
			}
			if p.down.Load() {
				return
			}
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil { // io.EOF or a cut
			return
		}
	}
}

// cut drops every open connection.
func (p *faultProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		_ = c.Close()
	}
}

func (p *faultProxy) setDown(down bool) {
	p.down.Store(down)
	if down {
		p.cut()
	}
}

// redisFaultEnv is a server whose match cache reaches a throwaway Redis
// through a fault proxy, with a corpus that gives every vacancy matches.
type redisFaultEnv struct {
	t         *testing.T
	s         *testServer
	rc        *cache.Redis
	redis     *redistest.Server
	proxy     *faultProxy
	vacancies []string
	seq       int
	maxTook   time.Duration
	requests  int
}

func newRedisFaultEnv(t *testing.T, l1 int) *redisFaultEnv {
	// An own redis-server can also be paused and killed; without the
	// binary, REDIS_URL's server takes the proxy faults only.
	var rs *redistest.Server
	var u *url.URL
	if _, err := exec.LookPath("redis-server"); err == nil {
		rs = redistest.Start(t)
		u, _ = url.Parse(rs.URL())
	} else {
		var err error
		if u, err = url.Parse(redistest.URL(t)); err != nil {
			t.Fatal(err)
		}
	}
	px := startProxy(t, u.Host)
	u.Host = px.addr()
	rc, err := cache.NewRedis(context.Background(), u.String(), cache.RedisOptions{
		Prefix: fmt.Sprintf("wmrel:faults:%d:", time.Now().UnixNano()), L1Entries: l1, BreakerCooldown: 200 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rc.Close() })
	s := startServer(t, serverOptions{cache: rc})
	e := &redisFaultEnv{t: t, s: s, rc: rc, redis: rs, proxy: px}

	// profiles around Amsterdam and Utrecht, vacancies there
	gen := corpus.New(corpus.Options{Seed: 7})
	var lines []string
	for i := range 300 {
		p := gen.Profile(i)
		p.Postcode4 = []int{1012, 1051, 1091, 3511, 3521}[i%5]
		p.MaxTravelKm = 60
		p.AvailableFrom = ""
		b, _ := json.Marshal(p)
		lines = append(lines, string(b))
	}
	r := s.do("POST", "/v1/profiles/_bulk", secretIngest, strings.Join(lines, "\n"))
	mustStatus(t, "bulk", r, 200)
	for i := range 8 {
		v := gen.Vacancy(i)
		v.ID = fmt.Sprintf("v-rf-%d", i)
		v.Postcode4 = []int{1012, 3511}[i%2]
		v.Status = "open"
		v.StartDate, v.ClosesAt = "", ""
		s.putVacancy(v)
		e.vacancies = append(e.vacancies, v.ID)
	}
	return e
}

// check asks the match question of vacancy i and compares the answer with
// the core's own, uncached answer. It returns whether it came from the
// cache.
func (e *redisFaultEnv) check(i int, what string) bool {
	e.t.Helper()
	id := e.vacancies[i%len(e.vacancies)]
	r := e.s.do("GET", "/v1/vacancies/"+id+"/matches?limit=30", secretAMAll, nil)
	e.requests++
	e.maxTook = max(e.maxTook, r.took)
	if r.took > time.Second {
		e.t.Errorf("%s: a match took %v (bound 1s)", what, r.took)
	}
	if r.status != 200 {
		e.t.Fatalf("%s: match %s: %d %.300s", what, id, r.status, r.body)
	}
	want, err := e.s.engine.MatchVacancyID(context.Background(), id, matcher.Query{Limit: 30})
	if err != nil {
		e.t.Fatal(err)
	}
	var got MatchAnswerIDs
	if err := json.Unmarshal(r.body, &got); err != nil {
		e.t.Fatal(err)
	}
	if len(want.Results) == 0 {
		e.t.Fatalf("%s: vacancy %s has no matches; the fixture is too thin", what, id)
	}
	if len(got.Results) != len(want.Results) {
		e.t.Fatalf("%s: %s has %d results (cached=%v), the uncached core %d", what, id, len(got.Results), got.Cached, len(want.Results))
	}
	for j := range want.Results {
		if got.Results[j].ProfileID != want.Results[j].ProfileID || abs(got.Results[j].Score-want.Results[j].Score) > 1e-9 {
			e.t.Fatalf("%s: %s result %d is %s (cached=%v), the uncached core says %s", what, id, j, got.Results[j].ProfileID, got.Cached, want.Results[j].ProfileID)
		}
	}
	return got.Cached
}

// MatchAnswerIDs is the part of a match answer the fault tests compare.
type MatchAnswerIDs struct {
	Results []struct {
		ProfileID string  `json:"profile_id"`
		Score     float64 `json:"score"`
	} `json:"results"`
	Cached bool `json:"cached"`
}

// write puts a new profile that is a strong candidate for every vacancy
// near Amsterdam, so that a stale cached answer would be caught.
func (e *redisFaultEnv) write(what string) {
	e.t.Helper()
	e.seq++
	gen := corpus.New(corpus.Options{Seed: 7})
	v := gen.Vacancy(0)
	p := profileAt(fmt.Sprintf("p-rf-new-%d", e.seq), amsterdam, 1012)
	p.Skills = slices.Concat(v.RequiredSkills, v.PreferredSkills)
	p.DesiredOccupations = []string{v.Occupation}
	p.Branches = []string{v.Branch}
	p.DrivingLicences = slices.Compact(slices.Sorted(slices.Values(append([]string{"B"}, v.DrivingLicences...))))
	p.HoursMin, p.HoursMax = 4, 40
	r := e.s.do("PUT", "/v1/profiles/"+p.ID, secretIngest, p)
	e.requests++
	e.maxTook = max(e.maxTook, r.took)
	if r.status != 201 {
		e.t.Fatalf("%s: write: %d %.300s", what, r.status, r.body)
	}
	if r.took > time.Second {
		e.t.Errorf("%s: a write took %v (bound 1s)", what, r.took)
	}
}

// waitCaching asks the same question until it is answered from the cache
// and Redis is up again.
func (e *redisFaultEnv) waitCaching(what string) {
	e.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if e.check(0, what) && e.rc.State() == cache.StateUp {
			return
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("%s: caching did not resume within 10s (state %s, stats %+v)", what, e.rc.State(), e.rc.Stats())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestRedisFaultsThroughAPI runs the match API over a Redis cache that
// goes down (a partition: Redis keeps its possibly stale entries), turns
// slow (a delaying proxy, above and below the 50 ms cache timeout), hangs
// (SIGSTOP), flaps, and is killed and restarted empty. Throughout, every
// answer is 200 and equal to the core's uncached answer (also right after
// writes acknowledged while Redis was unreachable), every request takes
// under a second, and caching resumes by itself after each fault.
func TestRedisFaultsThroughAPI(t *testing.T) {
	t.Run("with-l1", func(t *testing.T) { testRedisFaults(t, 0) })
	t.Run("redis-only", func(t *testing.T) { testRedisFaults(t, -1) })
}

func testRedisFaults(t *testing.T, l1 int) {
	e := newRedisFaultEnv(t, l1)
	for i := range e.vacancies {
		e.check(i, "warm")
	}
	e.waitCaching("warm")
	statsBefore := e.rc.Stats()

	// 1. down: a partition while answers are cached in Redis
	e.proxy.setDown(true)
	for i := range 40 {
		if i%10 == 0 {
			e.write("down")
		}
		e.check(i, "down")
	}
	if st := e.rc.State(); st != cache.StateDown {
		t.Errorf("state %s while Redis is unreachable", st)
	}
	e.proxy.setDown(false)
	for i := range e.vacancies {
		e.check(i, "after the partition") // the writes above must show
	}
	e.waitCaching("after the partition")

	// 2. slow: above the timeout, then below it
	e.proxy.delay.Store(int64(200 * time.Millisecond))
	e.proxy.cut() // make the pool reconnect through the delay
	for i := range 24 {
		if i%8 == 0 {
			e.write("slow")
		}
		e.check(i, "slow 200ms")
	}
	e.proxy.delay.Store(int64(10 * time.Millisecond))
	for i := range 16 {
		e.check(i, "slow 10ms")
	}
	e.proxy.delay.Store(0)
	e.waitCaching("after slow")

	// 3. hung: the process is stopped, connections stay open
	if e.redis != nil {
		e.redis.Pause()
		for i := range 16 {
			if i%8 == 0 {
				e.write("hung")
			}
			e.check(i, "hung")
		}
		e.redis.Resume()
		e.waitCaching("after hung")
	} else {
		t.Log("no redis-server binary: the hung and killed phases are left out")
	}

	// 4. flapping: the partition comes and goes every 70-150 ms
	stop := make(chan struct{})
	var flaps atomic.Int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				e.proxy.setDown(false)
				return
			case <-time.After(time.Duration(70+i*37%80) * time.Millisecond):
			}
			e.proxy.setDown(i%2 == 0)
			flaps.Add(1)
		}
	}()
	deadline := time.Now().Add(4 * time.Second)
	if long() {
		deadline = time.Now().Add(30 * time.Second)
	}
	for i := 0; time.Now().Before(deadline); i++ {
		if i%5 == 0 {
			e.write("flapping")
		}
		e.check(i, "flapping")
	}
	close(stop)
	wg.Wait()
	e.waitCaching("after flapping")

	// 5. killed and restarted empty
	if e.redis != nil {
		e.redis.Stop()
		for i := range 16 {
			if i%8 == 0 {
				e.write("killed")
			}
			e.check(i, "killed")
		}
		e.redis.Start()
		for i := range e.vacancies {
			e.check(i, "restarted")
		}
		e.waitCaching("after restart")
	}

	st := e.rc.Stats()
	t.Logf("%d requests, slowest %v, %d flaps; cache stats %+v", e.requests, e.maxTook, flaps.Load(), st)
	if st.BreakerOpens <= statsBefore.BreakerOpens || st.Errors == 0 {
		t.Errorf("the faults never reached the cache: %+v", st)
	}
	if l1 < 0 && st.RedisHits == 0 {
		t.Errorf("no answer came from Redis with the L1 off: %+v", st)
	}
	if strings.Contains(e.s.logs.String(), `"status":5`) {
		t.Errorf("the access log has a 5xx")
	}
}
