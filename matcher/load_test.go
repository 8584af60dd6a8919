package matcher

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

type sliceSource struct {
	ps  []*Profile
	vs  []*Vacancy
	err error // returned by EachVacancy
}

func (s *sliceSource) EachProfile(ctx context.Context, fn func(*Profile) error) error {
	for _, p := range s.ps {
		if err := fn(p); err != nil {
			return err
		}
	}
	return nil
}

func (s *sliceSource) EachVacancy(ctx context.Context, fn func(*Vacancy) error) error {
	if s.err != nil {
		return s.err
	}
	for _, v := range s.vs {
		if err := fn(v); err != nil {
			return err
		}
	}
	return nil
}

func TestLoadBatchesAndProgress(t *testing.T) {
	src := &sliceSource{}
	for i := range 25 {
		src.ps = append(src.ps, baseProfile(fmt.Sprintf("p%03d", i)))
	}
	for i := range 7 {
		v := baseVacancy()
		v.ID = fmt.Sprintf("v%03d", i)
		src.vs = append(src.vs, v)
	}
	e := NewEngine(EngineOptions{Locator: testLoc})
	got := map[string][]int{}
	if err := e.Load(context.Background(), src, 10, func(kind string, n int) { got[kind] = append(got[kind], n) }); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got["profile"]) != "[10 10 5]" || fmt.Sprint(got["vacancy"]) != "[7]" {
		t.Fatalf("progress %v", got)
	}
	if np, nv := e.Counts(); np != 25 || nv != 7 {
		t.Fatalf("counts %d %d", np, nv)
	}
	if _, ok := e.ProfileMunicipality("p024"); !ok {
		t.Fatal("last profile of a partial batch not loaded")
	}

	boom := errors.New("boom")
	e = NewEngine(EngineOptions{Locator: testLoc})
	if err := e.Load(context.Background(), &sliceSource{ps: src.ps, err: boom}, 10, nil); !errors.Is(err, boom) {
		t.Fatalf("error %v, want boom", err)
	}
}
