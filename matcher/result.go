package matcher

// Weights are the relative weights of the score components. A request may
// override them within [0, MaxWeight]; the core normalises them to sum to 1
// and reports the normalised weights in every answer.
type Weights struct {
	Skills     float64 `json:"skills"`
	Occupation float64 `json:"occupation"`
	Branch     float64 `json:"branch"`
	Hours      float64 `json:"hours"`
	Distance   float64 `json:"distance"`
	Language   float64 `json:"language"`
	Education  float64 `json:"education"`
}

// MaxWeight bounds a per-request weight override.
const MaxWeight = 10

// DefaultWeights are used when a request gives none.
var DefaultWeights = Weights{Skills: 0.35, Occupation: 0.20, Branch: 0.10, Hours: 0.10, Distance: 0.15, Language: 0.05, Education: 0.05}

// Query holds the per-request options of a match.
type Query struct {
	Limit   int      // top-N; 0 means DefaultLimit, capped at MaxLimit
	Weights *Weights // nil means DefaultWeights
	// Today is the reference date (YYYY-MM-DD) for availability checks;
	// empty means the current date.
	Today string
	// Municipalities restricts vacancy->profiles matches to profiles of
	// these CBS municipality codes (an accountmanager's regions); nil means
	// all. A non-nil empty list matches no profile.
	Municipalities []string
}

// Limits of a match answer.
const (
	DefaultLimit = 20
	MaxLimit     = 200
)

// Components are the per-component values of a score, each in [0,1]
// (value) or its weighted part of the total (contribution).
type Components struct {
	Skills     float64 `json:"skills"`
	Occupation float64 `json:"occupation"`
	Branch     float64 `json:"branch"`
	Hours      float64 `json:"hours"`
	Distance   float64 `json:"distance"`
	Language   float64 `json:"language"`
	Education  float64 `json:"education"`
}

// Explanation says why a result scored as it did.
type Explanation struct {
	MatchedSkills    []string    `json:"matched_skills"`
	PartialSkills    []string    `json:"partial_skills,omitempty"` // matched through a related or broader skill
	MissingSkills    []string    `json:"missing_skills"`           // required skills not held
	MatchedPreferred []string    `json:"matched_preferred_skills,omitempty"`
	Occupation       string      `json:"occupation,omitempty"` // "same", "isco4", "isco3", ..., "none"
	DistanceKm       float64     `json:"distance_km"`
	HoursOverlap     int         `json:"hours_overlap"`
	Components       Components  `json:"components"`    // each component's value in [0,1]
	Contributions    Components  `json:"contributions"` // weight × value; sums to the score
	OpenHiring       *OpenHiring `json:"open_hiring,omitempty"`
}

// OpenHiring explains the order of an open-hiring vacancy's candidates.
type OpenHiring struct {
	OptedIn      bool   `json:"opted_in"`
	RegisteredAt string `json:"registered_at,omitempty"`
}

// Match is one ranked result. Exactly one of ProfileID and VacancyID is set,
// depending on the direction.
type Match struct {
	ProfileID   string      `json:"profile_id,omitempty"`
	VacancyID   string      `json:"vacancy_id,omitempty"`
	Score       float64     `json:"score"`
	Explanation Explanation `json:"explanation"`
}

// MatchResult is the answer to one match query.
type MatchResult struct {
	Results    []Match `json:"results"`
	Weights    Weights `json:"weights"`     // normalised weights used
	OpenHiring bool    `json:"open_hiring"` // the open-hiring order was used
	Considered int     `json:"considered"`  // candidates that passed the prefilter
	Scored     int     `json:"scored"`      // candidates that passed every hard filter and were scored
	// Unrecognised lists the query's skill and occupation terms that the
	// taxonomy does not know; they were matched on their normalised form.
	// They are given as written, except for a stored profile's matches,
	// where they are in that normalised form: the core keeps no text of a
	// profile.
	Unrecognised []string `json:"unrecognised,omitempty"`
}
