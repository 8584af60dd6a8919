package index

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/werkmatch/werkmatch/matcher"
)

// HardFilterProfiles is the Bleve half of the benchmark's baseline matcher:
// the vacancy→profiles hard filters expressed as one Bleve query, as a team
// without a ranking core would write it, returning the id of every hit.
// The engine's RankProfiles then runs the shared scorer over those ids.
//
// The query is a conjunction of: perspectief werken or werken_aan (not
// meedoen); the PC4 centroid within maxRadiusKm of the vacancy's centroid
// (maxRadiusKm is the largest max_travel_km any profile may have: Bleve
// cannot compare a document's distance with a field of the same document,
// so the candidate's own radius is left to the scorer's hard filter);
// hours ranges overlap; every licence the vacancy requires held; the
// candidate's max_physical_load at least the vacancy's load; and
// available_from on or before the vacancy's start date (when it has one).
// Every condition is the same as or looser than the core's hard filter, so
// the hits are a superset of the eligible profiles.
//
// The hits are read with an unscored searcher straight from one index
// snapshot (no collector, no sort, no stored fields), the cheapest way
// Bleve offers to enumerate a large result.
func (ix *Index) HardFilterProfiles(ctx context.Context, v *matcher.Vacancy, maxRadiusKm float64) ([]string, error) {
	if v == nil {
		return nil, invalid("nil vacancy")
	}
	if maxRadiusKm <= 0 {
		return nil, invalid("radius %v km", maxRadiusKm)
	}
	lat, lon, ok := ix.opts.Locator.Centroid(v.Postcode4)
	if !ok {
		return nil, invalid("unknown PC4 %d", v.Postcode4)
	}
	q := hardFilterQuery(v, lat, lon, maxRadiusKm)
	return searchIDs(ctx, ix.profiles, q)
}

// hardFilterQuery builds the baseline's hard-filter query for v.
func hardFilterQuery(v *matcher.Vacancy, lat, lon, radiusKm float64) query.Query {
	persp := make([]query.Query, 0, 2)
	for _, p := range []string{matcher.PerspectiefWerken, matcher.PerspectiefWerkenAan} {
		tq := bleve.NewTermQuery(p)
		tq.SetField(fPerspectief)
		persp = append(persp, tq)
	}
	must := []query.Query{
		bleve.NewDisjunctionQuery(persp...),
		geoWithin(lat, lon, radiusKm),
		// overlap: profile.min <= vacancy.max and profile.max >= vacancy.min
		ordRange(fHoursMin, nil, &v.HoursMax),
		ordRange(fHoursMax, &v.HoursMin, nil),
	}
	for _, l := range nonEmpty(v.DrivingLicences) {
		tq := bleve.NewTermQuery(l)
		tq.SetField(fLicence)
		must = append(must, tq)
	}
	if r := matcher.LoadRank(v.PhysicalLoad); r > 0 {
		must = append(must, ordRange(fLoadRank, &r, nil))
	}
	if d := dateNum(v.StartDate); d > 0 {
		// a profile without available_from is indexed as 0: available now
		must = append(must, dateRange(nil, ptr(d)))
	}
	return bleve.NewConjunctionQuery(must...)
}

// searchIDs returns the external id of every document matching q.
func searchIDs(ctx context.Context, k *kindIndex, q query.Query) ([]string, error) {
	idx, err := k.bleveIndex()
	if err != nil {
		return nil, err
	}
	adv, err := idx.Advanced()
	if err != nil {
		return nil, fmt.Errorf("index: search %s: %w", k.kind, err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("index: search %s: %w", k.kind, err)
	}
	defer r.Close()
	s, err := q.Searcher(ctx, r, idx.Mapping(), search.SearcherOptions{Score: "none"})
	if err != nil {
		return nil, fmt.Errorf("index: search %s: %w", k.kind, err)
	}
	defer s.Close()
	sctx := &search.SearchContext{
		DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0),
		IndexReader:       r,
	}
	var ids []string
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		dm, err := s.Next(sctx)
		if err != nil {
			return nil, fmt.Errorf("index: search %s: %w", k.kind, err)
		}
		if dm == nil {
			return ids, nil
		}
		id, err := r.ExternalID(dm.IndexInternalID)
		if err != nil {
			return nil, fmt.Errorf("index: search %s: %w", k.kind, err)
		}
		ids = append(ids, id)
		sctx.DocumentMatchPool.Put(dm)
	}
}
