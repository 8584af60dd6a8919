package matcher

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestConcurrentSnapshots runs writers and readers at once (meant for
// -race) and checks that every answer is consistent with one snapshot:
//
//   - writer A rewrites a group of 8 profiles in one UpsertProfiles batch,
//     switching all of them between two states that score differently; an
//     answer must show all 8, all in the same state (a torn batch, a lost
//     row during compaction or a row seen twice fails);
//   - writer B upserts q<i> and then deletes q<i-1>, in that order; an
//     answer must show q<i> alone or q<i-1> and q<i> (a delete seen before
//     the upsert that preceded it, or a missed row, fails);
//   - writer C churns background profiles so that compactions run all the
//     time (the delta is kept tiny).
func TestConcurrentSnapshots(t *testing.T) {
	e := newTestEngine(fakeTax{})
	e.prof.minDelta = 32
	e.prof.compactNow()
	g := newCoarseGen(5, 4)
	var bg []*Profile
	for i := range 300 {
		p := g.Profile(i)
		p.Postcode4 = 1000 + i%3
		bg = append(bg, p)
	}
	e.UpsertProfiles(bg)
	v := baseVacancy()
	e.UpsertVacancy(v)

	groupState := func(s int) []*Profile {
		var ps []*Profile
		for i := range 8 {
			p := baseProfile("g-" + strconv.Itoa(i))
			if s%2 == 1 {
				p.HoursMin, p.HoursMax = 20, 25 // hours 0.5 instead of 1
			}
			ps = append(ps, p)
		}
		return ps
	}
	e.UpsertProfiles(groupState(0))
	e.UpsertProfile(baseProfile("q-0"))

	var stop atomic.Bool
	var wg sync.WaitGroup
	writer := func(f func(i int)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 1; !stop.Load(); i++ {
				f(i)
				if i%4 == 0 {
					time.Sleep(20 * time.Microsecond) // give background compactions a chance to land
				}
			}
		}()
	}
	writer(func(i int) { e.UpsertProfiles(groupState(i)) })
	writer(func(i int) {
		e.UpsertProfile(baseProfile("q-" + strconv.Itoa(i)))
		e.DeleteProfile("q-" + strconv.Itoa(i-1))
	})
	writer(func(i int) {
		r := rand.New(rand.NewPCG(uint64(i), 9))
		p := bg[r.IntN(len(bg))]
		if r.IntN(3) == 0 {
			e.DeleteProfile(p.ID)
		} else {
			c := *p
			c.HoursMin = r.IntN(20)
			e.UpsertProfile(&c)
		}
	})

	var checks atomic.Int64
	errs := make(chan error, 16)
	ctx := context.Background()
	for r := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				var res *MatchResult
				var err error
				if r == 2 {
					ids := []string{"q-0"}
					for i := range 8 {
						ids = append(ids, "g-"+strconv.Itoa(i))
					}
					res, err = e.RankProfiles(ctx, v, ids, Query{Limit: MaxLimit, Today: today})
				} else {
					res, err = e.MatchVacancy(ctx, v, Query{Limit: MaxLimit, Today: today})
				}
				if err == nil {
					err = consistent(res, r == 2)
				}
				if err != nil {
					select {
					case errs <- err:
					default:
					}
					return
				}
				checks.Add(1)
			}
		}()
	}
	// run at least 1.5 s, and on until a few background compactions have
	// landed (a loaded machine may need longer), at most 8 s
	installed := func() int {
		e.prof.mu.Lock()
		defer e.prof.mu.Unlock()
		return e.prof.bgInstalls
	}
	for start := time.Now(); time.Since(start) < 8*time.Second; {
		time.Sleep(100 * time.Millisecond)
		if time.Since(start) >= 1500*time.Millisecond && installed() >= 3 {
			break
		}
	}
	stop.Store(true)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if checks.Load() < 20 {
		t.Fatalf("only %d answers checked", checks.Load())
	}
	e.prof.mu.Lock()
	installs := e.prof.bgInstalls
	checkDF(t, e.prof)
	e.prof.mu.Unlock()
	if installs == 0 {
		t.Fatal("no background compaction was installed during the run")
	}
	t.Logf("%d answers checked, %d background compactions installed", checks.Load(), installs)
}

func consistent(res *MatchResult, ranked bool) error {
	var gScores []float64
	var qs []int
	for _, m := range res.Results {
		switch {
		case strings.HasPrefix(m.ProfileID, "g-"):
			gScores = append(gScores, m.Score)
		case strings.HasPrefix(m.ProfileID, "q-"):
			n, _ := strconv.Atoi(m.ProfileID[2:])
			qs = append(qs, n)
		}
	}
	if len(gScores) != 8 {
		return fmt.Errorf("group: %d of 8 members in the answer", len(gScores))
	}
	for _, s := range gScores[1:] {
		if s != gScores[0] {
			return fmt.Errorf("group members in different states: %v", gScores)
		}
	}
	if ranked { // RankProfiles was asked for a window of q ids only
		return nil
	}
	switch len(qs) {
	case 1:
	case 2:
		a, b := min(qs[0], qs[1]), max(qs[0], qs[1])
		if b != a+1 {
			return fmt.Errorf("q rows %v are not consecutive", qs)
		}
	default:
		return fmt.Errorf("q rows %v: want one or two", qs)
	}
	return nil
}

// checkDF recounts the document frequencies of the visible rows and
// compares them with the ones the writers kept. Caller holds t.mu.
func checkDF(t *testing.T, tb *table[profX]) {
	t.Helper()
	s := tb.cur.Load()
	want := make([]int32, len(tb.df))
	live := 0
	count := func(seg *segment[profX], n int) {
		for i := range n {
			if !visible(&seg.del[i], s.version) {
				continue
			}
			live++
			h := &seg.heads[i]
			for _, id := range seg.terms[h.termOff : h.termOff+uint32(h.nA)] {
				want[id]++
			}
		}
	}
	count(s.base, len(s.base.heads))
	count(s.delta, s.deltaN)
	if live != tb.live || live != s.live {
		t.Fatalf("live rows %d, table says %d, snapshot %d", live, tb.live, s.live)
	}
	for id := range want {
		if want[id] != tb.df[id] {
			t.Fatalf("df[%d] = %d, recount %d", id, tb.df[id], want[id])
		}
	}
}
