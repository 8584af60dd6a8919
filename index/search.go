package index

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/werkmatch/werkmatch/matcher"
)

// Paging and query limits of a search.
const (
	DefaultSize = 20
	MaxSize     = 100
	// MaxWindow bounds From+Size: deep paging costs a heap of that size.
	MaxWindow = 10000
	// DefaultRadiusKm applies when NearPC4 is given without RadiusKm.
	DefaultRadiusKm = 25.0
	// maxTerms bounds the number of free-text terms taken from Q.
	maxTerms = 16
)

// Facet names in a SearchResult.
const (
	FacetBranch    = "branch"
	FacetEducation = "education"
	FacetHours     = "hours"
)

// hoursBuckets are the hours facet's buckets over a document's hours_max.
var hoursBuckets = []struct {
	name     string
	min, max int // [min, max); max 0 = open
}{
	{"0-16", 0, 16}, {"16-24", 16, 24}, {"24-32", 24, 32}, {"32+", 32, 0},
}

// SearchProfiles runs a Dutch full-text search with filters over profiles.
// Licences means "holds every listed licence". Status and EmployerID do not
// apply to profiles.
func (ix *Index) SearchProfiles(ctx context.Context, req matcher.SearchRequest) (*matcher.SearchResult, error) {
	return ix.search(ctx, ix.profiles, req)
}

// SearchVacancies runs a Dutch full-text search with filters over
// vacancies. Licences means "requires every listed licence";
// Municipalities and Perspectief do not apply to vacancies.
func (ix *Index) SearchVacancies(ctx context.Context, req matcher.SearchRequest) (*matcher.SearchResult, error) {
	return ix.search(ctx, ix.vacancies, req)
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("index: "+format+": %w", append(args, matcher.ErrInvalid)...)
}

// buildQuery turns a request into one Bleve query (text AND filters).
func buildQuery(k *kindIndex, req matcher.SearchRequest) (query.Query, error) {
	kind := k.kind
	var must []query.Query
	terms := strings.Fields(req.Q)
	if len(terms) > maxTerms {
		terms = terms[:maxTerms]
	}
	for _, t := range terms {
		// Each word must match in some free-text field, as the Dutch
		// analyzer reads it. A stop word (de, een, in) leaves no token and
		// asks nothing: as a match query it would match nothing, and so
		// would the whole search. One typo is allowed in a word whose
		// stems are all five letters or more: the stems of many titles are
		// short (bakker: bak, lasser: las), and one edit away from a short
		// stem is another word (vak).
		tokens := k.an.Analyze([]byte(t))
		if len(tokens) == 0 {
			continue
		}
		fuzzy := true
		for _, tok := range tokens {
			if utf8.RuneCount(tok.Term) < 5 {
				fuzzy = false
			}
		}
		var any []query.Query
		for _, f := range textFields[kind] {
			mq := bleve.NewMatchQuery(t)
			mq.SetField(f.name)
			mq.SetBoost(f.boost)
			if fuzzy {
				mq.SetFuzziness(1)
			}
			any = append(any, mq)
		}
		must = append(must, bleve.NewDisjunctionQuery(any...))
	}
	terms2 := func(field string, vals []string) {
		vals = nonEmpty(vals)
		if len(vals) == 0 {
			return
		}
		var qs []query.Query
		for _, v := range vals {
			tq := bleve.NewTermQuery(v)
			tq.SetField(field)
			qs = append(qs, tq)
		}
		must = append(must, bleve.NewDisjunctionQuery(qs...))
	}
	terms2(fBranch, req.Branches)
	switch kind {
	case kindProfile:
		terms2(fMunicipality, req.Municipalities)
		terms2(fPerspectief, req.Perspectief)
	case kindVacancy:
		terms2(fStatus, req.Status)
		if req.EmployerID != "" {
			terms2(fEmployer, []string{req.EmployerID})
		}
	}
	for _, l := range nonEmpty(req.Licences) {
		tq := bleve.NewTermQuery(l)
		tq.SetField(fLicence)
		must = append(must, tq)
	}
	if req.HoursMin < 0 || req.HoursMax < 0 || (req.HoursMax > 0 && req.HoursMin > req.HoursMax) {
		return nil, invalid("hours range %d-%d", req.HoursMin, req.HoursMax)
	}
	if req.HoursMax > 0 {
		must = append(must, ordRange(fHoursMin, nil, &req.HoursMax))
	}
	if req.HoursMin > 0 {
		must = append(must, ordRange(fHoursMax, &req.HoursMin, nil))
	}
	if req.OpenHiring != nil {
		bq := bleve.NewBoolFieldQuery(*req.OpenHiring)
		bq.SetField(fOpenHiring)
		must = append(must, bq)
	}
	if req.Banenafspraak != nil {
		bq := bleve.NewBoolFieldQuery(*req.Banenafspraak)
		bq.SetField(fBanenafspraak)
		must = append(must, bq)
	}
	if req.NearPC4 != 0 || req.RadiusKm != 0 {
		if req.NearPC4 == 0 {
			return nil, invalid("radius without a PC4")
		}
		lat, lon, ok := k.opts.Locator.Centroid(req.NearPC4)
		if !ok {
			return nil, invalid("unknown PC4 %d", req.NearPC4)
		}
		r := req.RadiusKm
		if r == 0 {
			r = DefaultRadiusKm
		}
		if r < 0 || r > 500 {
			return nil, invalid("radius %v km", r)
		}
		must = append(must, geoWithin(lat, lon, r))
	}
	if len(must) == 0 {
		return bleve.NewMatchAllQuery(), nil
	}
	// Synonym definitions have none of these fields, so every filter and
	// text query keeps them out; only match-all needs the kind term.
	return bleve.NewConjunctionQuery(must...), nil
}

func ptr[T any](v T) *T { return &v }

// ordRange matches the documents whose number (ordTerm) in field lies in
// [min, max]; a nil end is open.
func ordRange(field string, min, max *int) query.Query {
	var lo, hi string
	if min != nil {
		lo = ordTerm(*min)
	}
	if max != nil {
		hi = ordTerm(*max)
	}
	t := true
	q := bleve.NewTermRangeInclusiveQuery(lo, hi, &t, &t)
	q.SetField(field)
	return q
}

// dateRange matches the profiles whose available_from (dateNum, a Bleve
// number: a term range over some 450 dates cost the baseline's filter a
// third more time) lies in [min, max]; a nil end is open.
func dateRange(min, max *float64) query.Query {
	t := true
	q := bleve.NewNumericRangeInclusiveQuery(min, max, &t, &t)
	q.SetField(fAvailable)
	return q
}

func geoWithin(lat, lon, km float64) query.Query {
	q := bleve.NewGeoDistanceQuery(lon, lat, strconv.FormatFloat(km, 'f', 3, 64)+"km")
	q.SetField(fLoc)
	return q
}

func (ix *Index) search(ctx context.Context, k *kindIndex, req matcher.SearchRequest) (*matcher.SearchResult, error) {
	q, err := buildQuery(k, req)
	if err != nil {
		return nil, err
	}
	if _, ok := q.(*query.MatchAllQuery); ok {
		q = allDocs(k.kind)
	}
	size := req.Size
	if size <= 0 {
		size = DefaultSize
	}
	size = min(size, MaxSize)
	if req.From < 0 || req.From+size > MaxWindow {
		return nil, invalid("page from %d size %d beyond %d", req.From, size, MaxWindow)
	}
	sr := bleve.NewSearchRequestOptions(q, size, req.From, false)
	sr.Fields = []string{fDoc}
	sr.SortBy([]string{"-_score", "_id"})
	// One term more than there are values: a document without the field
	// indexes the empty term, which takes a place and is dropped after
	// (facetsOf), and must not push a real value out.
	sr.AddFacet(FacetBranch, bleve.NewFacetRequest(fBranch, len(matcher.Branches)+1))
	sr.AddFacet(FacetEducation, bleve.NewFacetRequest(fEducation, len(matcher.EducationLevels)+1))
	// Every hours_max term, put in hoursBuckets by facetsOf.
	sr.AddFacet(FacetHours, bleve.NewFacetRequest(fHoursMax, matcher.MaxHours+2))

	idx, err := k.bleveIndex()
	if err != nil {
		return nil, err
	}
	res, err := idx.SearchInContext(ctx, sr)
	if err != nil {
		return nil, fmt.Errorf("index: search %s: %w", k.kind, err)
	}
	out := &matcher.SearchResult{
		Total:  res.Total,
		Hits:   make([]matcher.SearchHit, 0, len(res.Hits)),
		Facets: facetsOf(res.Facets),
	}
	for _, h := range res.Hits {
		raw, _ := h.Fields[fDoc].(string)
		hit := matcher.SearchHit{ID: h.ID, Score: matcher.RoundScore(h.Score)}
		switch k.kind {
		case kindProfile:
			hit.Profile = new(matcher.Profile)
			err = k.decode([]byte(raw), hit.Profile)
		case kindVacancy:
			hit.Vacancy = new(matcher.Vacancy)
			err = k.decode([]byte(raw), hit.Vacancy)
		}
		if err != nil {
			return nil, err
		}
		out.Hits = append(out.Hits, hit)
	}
	return out, nil
}

// allDocs matches every stored document but not the synonym definitions:
// those have no kind field.
func allDocs(kind string) query.Query {
	q := bleve.NewTermQuery(kind)
	q.SetField(fKind)
	return q
}

func facetsOf(fr search.FacetResults) map[string]map[string]int {
	out := make(map[string]map[string]int, len(fr))
	for name, f := range fr {
		m := map[string]int{}
		for _, t := range f.Terms.Terms() {
			switch {
			case t.Term == "": // a field left empty (no education_level_min) is no bucket
			case name == FacetHours:
				if b := hoursBucket(t.Term); b != "" {
					m[b] += t.Count
				}
			default:
				m[t.Term] = t.Count
			}
		}
		out[name] = m
	}
	return out
}

// hoursBucket names the hoursBuckets bucket of an hours_max term, or ""
// when the term is no number.
func hoursBucket(term string) string {
	h, err := strconv.Atoi(term)
	if err != nil {
		return ""
	}
	for _, b := range hoursBuckets {
		if h >= b.min && (b.max == 0 || h < b.max) {
			return b.name
		}
	}
	return ""
}
