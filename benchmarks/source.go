package main

import (
	"sync"
	"time"

	"github.com/werkmatch/werkmatch/corpus"
	"github.com/werkmatch/werkmatch/geo"
	"github.com/werkmatch/werkmatch/matcher"
	"github.com/werkmatch/werkmatch/taxonomy"
)

// source is the corpus: the project's deterministic generator over the
// built-in taxonomy, with the same reference date for the generator, the
// engine and every query.
type source struct {
	gen   *corpus.Generator
	tax   *taxonomy.Taxonomy
	today string
	now   func() time.Time
	// maxTravelKm is the largest max_travel_km of the loaded profiles
	// (set by loadCore); the baseline's geo radius.
	maxTravelKm int
}

func newSource(seed int64, loc *geo.Table) *source {
	tax := taxonomy.Builtin()
	today := corpus.DefaultToday
	opts := corpus.Options{Seed: seed, Taxonomy: tax, Today: today}
	if loc.Len() > 0 {
		opts.Municipality = loc.Municipality
	}
	return &source{
		gen: corpus.New(opts), tax: tax,
		today: today.Format(time.DateOnly), now: func() time.Time { return today },
	}
}

func (s *source) Profile(i int) *matcher.Profile { return s.gen.Profile(i) }
func (s *source) Vacancy(i int) *matcher.Vacancy { return s.gen.Vacancy(i) }

// synonyms are the synonym sets loaded into the index, as serve does.
func (s *source) synonyms() [][]string { return s.tax.SynonymSets() }

// memoTaxonomy remembers ResolveOccupation and ResolveSkill answers per
// term. It is not how serve wires the engine: the program uses it only for
// the diagnostic second restart, to show what the taxonomy's label
// resolution costs at start-up.
type memoTaxonomy struct {
	matcher.Taxonomy
	occ, skill sync.Map // term -> resolved
}

type resolved struct {
	uri string
	ok  bool
}

func (m *memoTaxonomy) ResolveOccupation(term string) (string, bool) {
	if r, ok := m.occ.Load(term); ok {
		return r.(resolved).uri, r.(resolved).ok
	}
	uri, ok := m.Taxonomy.ResolveOccupation(term)
	m.occ.Store(term, resolved{uri, ok})
	return uri, ok
}

func (m *memoTaxonomy) ResolveSkill(term string) (string, bool) {
	if r, ok := m.skill.Load(term); ok {
		return r.(resolved).uri, r.(resolved).ok
	}
	uri, ok := m.Taxonomy.ResolveSkill(term)
	m.skill.Store(term, resolved{uri, ok})
	return uri, ok
}
