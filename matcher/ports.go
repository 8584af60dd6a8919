package matcher

import (
	"context"
	"time"
)

// Locator maps a PC4 postcode area to its centroid. The geo package
// implements it.
type Locator interface {
	Centroid(pc4 int) (lat, lon float64, ok bool)
}

// Store is the durable system of record for profiles and vacancies. The
// index package implements it on Bleve. A Put or Delete returns only after
// the write is on disk; ErrNotFound is returned for unknown ids.
type Store interface {
	PutProfiles(ctx context.Context, ps []*Profile) error
	DeleteProfile(ctx context.Context, id string) error
	GetProfile(ctx context.Context, id string) (*Profile, error)
	PutVacancies(ctx context.Context, vs []*Vacancy) error
	DeleteVacancy(ctx context.Context, id string) error
	GetVacancy(ctx context.Context, id string) (*Vacancy, error)
	// EachProfile and EachVacancy visit every stored document (start-up load).
	EachProfile(ctx context.Context, fn func(*Profile) error) error
	EachVacancy(ctx context.Context, fn func(*Vacancy) error) error
	Close() error
}

// Searcher answers full-text and filtered searches (the index package).
type Searcher interface {
	SearchProfiles(ctx context.Context, req SearchRequest) (*SearchResult, error)
	SearchVacancies(ctx context.Context, req SearchRequest) (*SearchResult, error)
}

// SearchRequest is a full-text search with filters, geo radius, facets and
// paging. Zero values mean "no filter".
type SearchRequest struct {
	Q              string
	Branches       []string
	Municipalities []string // profiles only; also used to restrict to an accountmanager's regions
	EmployerID     string   // vacancies only; set for an employer key
	Perspectief    []string
	Licences       []string
	HoursMin       int // candidate/vacancy range must overlap [HoursMin, HoursMax]
	HoursMax       int
	OpenHiring     *bool
	Banenafspraak  *bool
	Status         []string // vacancies only
	NearPC4        int
	RadiusKm       float64
	From, Size     int
}

// SearchResult is one page of hits plus facet counts.
type SearchResult struct {
	Total  uint64                    `json:"total"`
	Hits   []SearchHit               `json:"results"`
	Facets map[string]map[string]int `json:"facets"`
}

// SearchHit is one search hit: the id, the relevance score, and the
// document (a *Profile or *Vacancy) for the api layer to project.
type SearchHit struct {
	ID      string   `json:"id"`
	Score   float64  `json:"score"`
	Profile *Profile `json:"-"`
	Vacancy *Vacancy `json:"-"`
}

// ResultCache caches match answers. The cache package implements it on
// Redis with an in-process L1, and in-process alone.
//
// Staleness contract: Get returns a generation token along with the result
// (also on a miss); a result computed after that Get is stored with Put
// under that token. Invalidate, called after every acknowledged write that
// can change an answer, makes all results stored under earlier tokens
// unreachable. Errors are swallowed by the adapter (fail open): a broken
// cache is a miss.
type ResultCache interface {
	Get(ctx context.Context, key string) (res *MatchResult, gen uint64, ok bool)
	Put(ctx context.Context, key string, gen uint64, res *MatchResult, ttl time.Duration)
	Invalidate(ctx context.Context)
}

// Taxonomy resolves skill and occupation terms (ESCO URIs or labels as
// people type them) to concepts, and knows the relations between concepts
// that the score uses. The taxonomy package implements it, from the
// project's own vocabulary or from an ESCO export.
type Taxonomy interface {
	// ResolveOccupation maps an ESCO URI or a label to an occupation URI.
	ResolveOccupation(term string) (uri string, ok bool)
	// ResolveSkill maps an ESCO URI or a label to a skill URI.
	ResolveSkill(term string) (uri string, ok bool)
	// ISCO returns the 4-digit ISCO-08 group of an occupation, or "".
	ISCO(occupationURI string) string
	// RelatedSkills returns skills that count in part for skillURI: its
	// broader skills and related skills.
	RelatedSkills(skillURI string) []string
	// OccupationSkills returns the essential and optional skills of an
	// occupation, when those relations are loaded.
	OccupationSkills(occupationURI string) (essential, optional []string)
	// Label returns the preferred (Dutch) label of a concept URI, or "".
	Label(uri string) string
}
