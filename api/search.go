package api

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/werkmatch/werkmatch/matcher"
	"github.com/werkmatch/werkmatch/taxonomy"
)

// maxQueryLen bounds the free-text q of a search or look-up.
const maxQueryLen = 500

// SearchAnswer is the body of a search answer.
type SearchAnswer struct {
	Results []SearchHit               `json:"results"`
	Total   uint64                    `json:"total"`
	Facets  map[string]map[string]int `json:"facets"`
	From    int                       `json:"from"`
	Size    int                       `json:"size"`
}

// SearchHit is one hit with its document.
type SearchHit struct {
	ID      string           `json:"id"`
	Score   float64          `json:"score"`
	Profile *matcher.Profile `json:"profile,omitempty"`
	Vacancy *matcher.Vacancy `json:"vacancy,omitempty"`
}

// listParam returns a repeated and/or comma-separated query parameter.
func listParam(c *gin.Context, name string) []string {
	var out []string
	for _, v := range c.QueryArray(name) {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

func oneOfParam(c *gin.Context, name string, set []string) ([]string, error) {
	vs := listParam(c, name)
	if len(vs) > len(set) {
		return nil, fieldError(name, "too many values")
	}
	for _, v := range vs {
		if !slices.Contains(set, v) {
			return nil, fieldError(name, "must be one of "+strings.Join(set, ", "))
		}
	}
	return vs, nil
}

func intParam(c *gin.Context, name string, lo, hi int) (int, error) {
	s, ok := c.GetQuery(name)
	if !ok || s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, fieldError(name, "must be an integer from "+strconv.Itoa(lo)+" to "+strconv.Itoa(hi))
	}
	return n, nil
}

func boolParam(c *gin.Context, name string) (*bool, error) {
	s, ok := c.GetQuery(name)
	if !ok || s == "" {
		return nil, nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return nil, fieldError(name, "must be true or false")
	}
	return &b, nil
}

// emptySearch answers a search that cannot match anything the principal
// may see.
func emptySearch(r matcher.SearchRequest) *reply {
	return &reply{status: http.StatusOK, body: &SearchAnswer{Results: []SearchHit{}, Facets: map[string]map[string]int{}, From: r.From, Size: r.Size}}
}

// searchRequest reads the parameters common to both searches.
func searchRequest(c *gin.Context) (matcher.SearchRequest, error) {
	var r matcher.SearchRequest
	var err error
	r.Q = c.Query("q")
	if utf8.RuneCountInString(r.Q) > maxQueryLen {
		return r, fieldError("q", "must be at most "+strconv.Itoa(maxQueryLen)+" characters")
	}
	if r.Branches, err = oneOfParam(c, "branch", matcher.Branches); err != nil {
		return r, err
	}
	if r.Licences, err = oneOfParam(c, "driving_licence", matcher.DrivingLicenceTypes); err != nil {
		return r, err
	}
	if r.HoursMin, err = intParam(c, "hours_min", 0, matcher.MaxHours); err != nil {
		return r, err
	}
	if r.HoursMax, err = intParam(c, "hours_max", 0, matcher.MaxHours); err != nil {
		return r, err
	}
	if r.HoursMax > 0 && r.HoursMin > r.HoursMax {
		return r, fieldError("hours_min", "must not be greater than hours_max")
	}
	if r.OpenHiring, err = boolParam(c, "open_hiring"); err != nil {
		return r, err
	}
	if r.NearPC4, err = intParam(c, "near", 1000, 9999); err != nil {
		return r, err
	}
	if s := c.Query("radius_km"); s != "" {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || !(f > 0 && f <= matcher.MaxTravelKm) {
			return r, fieldError("radius_km", "must be a number above 0 and at most "+strconv.Itoa(matcher.MaxTravelKm))
		}
		if r.NearPC4 == 0 {
			return r, fieldError("near", "is required with radius_km")
		}
		r.RadiusKm = f
	}
	if r.From, err = intParam(c, "from", 0, 9900); err != nil {
		return r, err
	}
	if r.Size, err = intParam(c, "size", 0, 100); err != nil {
		return r, err
	}
	if r.Size == 0 {
		r.Size = 20
	}
	return r, nil
}

// searchProfiles: GET /v1/search/profiles (accountmanager): restricted to
// the key's regions.
func (s *Server) searchProfiles(c *gin.Context, pr *Principal) (*reply, error) {
	r, err := searchRequest(c)
	if err != nil {
		return nil, err
	}
	if r.Perspectief, err = oneOfParam(c, "perspectief", matcher.Perspectieven); err != nil {
		return nil, err
	}
	if r.Banenafspraak, err = boolParam(c, "banenafspraak"); err != nil {
		return nil, err
	}
	munis := listParam(c, "municipality")
	for _, m := range munis {
		if len(m) != 4 || strings.Trim(m, "0123456789") != "" {
			return nil, fieldError("municipality", "must be four-digit CBS municipality codes")
		}
	}
	if len(pr.Regions) > 0 {
		if len(munis) == 0 {
			munis = pr.Regions
		} else {
			munis = slices.DeleteFunc(munis, func(m string) bool { return !pr.inRegions(m) })
			if len(munis) == 0 {
				return emptySearch(r), nil
			}
		}
	}
	r.Municipalities = munis
	res, err := s.cfg.Searcher.SearchProfiles(c.Request.Context(), r)
	if err != nil {
		return nil, storeErr(err)
	}
	ans := &SearchAnswer{Results: make([]SearchHit, 0, len(res.Hits)), Total: res.Total, Facets: res.Facets, From: r.From, Size: r.Size}
	for _, h := range res.Hits {
		if h.Profile == nil || !pr.inRegions(h.Profile.Municipality) {
			continue
		}
		ans.Results = append(ans.Results, SearchHit{ID: h.ID, Score: h.Score, Profile: h.Profile})
	}
	rep := &reply{status: http.StatusOK, body: ans}
	if s.audited(c, pr) {
		rep.viewed = make([]string, len(ans.Results))
		for i, h := range ans.Results {
			rep.viewed[i] = h.ID
		}
	}
	return rep, nil
}

// searchVacancies: GET /v1/search/vacancies (accountmanager, employer:
// only its own vacancies).
func (s *Server) searchVacancies(c *gin.Context, pr *Principal) (*reply, error) {
	r, err := searchRequest(c)
	if err != nil {
		return nil, err
	}
	if r.Status, err = oneOfParam(c, "status", matcher.VacancyStatuses); err != nil {
		return nil, err
	}
	if r.Banenafspraak, err = boolParam(c, "banenafspraak_suitable"); err != nil {
		return nil, err
	}
	if e := c.Query("employer_id"); e != "" {
		if !matcher.ValidID(e) {
			return nil, fieldError("employer_id", "is not a valid id")
		}
		r.EmployerID = e
	}
	if pr.Role == RoleEmployer {
		if r.EmployerID != "" && r.EmployerID != pr.EmployerID {
			return emptySearch(r), nil
		}
		r.EmployerID = pr.EmployerID
	}
	res, err := s.cfg.Searcher.SearchVacancies(c.Request.Context(), r)
	if err != nil {
		return nil, storeErr(err)
	}
	ans := &SearchAnswer{Results: make([]SearchHit, 0, len(res.Hits)), Total: res.Total, Facets: res.Facets, From: r.From, Size: r.Size}
	for _, h := range res.Hits {
		if h.Vacancy == nil || (pr.Role == RoleEmployer && h.Vacancy.EmployerID != pr.EmployerID) {
			continue
		}
		ans.Results = append(ans.Results, SearchHit{ID: h.ID, Score: h.Score, Vacancy: h.Vacancy})
	}
	return &reply{status: http.StatusOK, body: ans}, nil
}

// TermSearcher answers taxonomy look-ups; *taxonomy.Taxonomy implements it.
type TermSearcher interface {
	SearchOccupations(q string, limit int) []taxonomy.Candidate
	SearchSkills(q string, limit int) []taxonomy.Candidate
}

// TaxonomyAnswer is the body of a taxonomy look-up.
type TaxonomyAnswer struct {
	Results []taxonomy.Candidate `json:"results"`
	Query   string               `json:"query"`
}

func (s *Server) taxonomyLookup(c *gin.Context, f func(TermSearcher, string, int) []taxonomy.Candidate) (*reply, error) {
	q := c.Query("q")
	if strings.TrimSpace(q) == "" {
		return nil, fieldError("q", "is required")
	}
	if utf8.RuneCountInString(q) > 200 {
		return nil, fieldError("q", "must be at most 200 characters")
	}
	limit := 10
	if _, ok := c.GetQuery("limit"); ok {
		n, err := intParam(c, "limit", 1, 100)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			limit = n
		}
	}
	ans := &TaxonomyAnswer{Results: []taxonomy.Candidate{}, Query: q}
	if s.cfg.Taxonomy != nil {
		if r := f(s.cfg.Taxonomy, q, limit); r != nil {
			ans.Results = r
		}
	}
	return &reply{status: http.StatusOK, body: ans}, nil
}

// taxonomyOccupations: GET /v1/taxonomy/occupations?q=&limit= (any key).
func (s *Server) taxonomyOccupations(c *gin.Context, _ *Principal) (*reply, error) {
	return s.taxonomyLookup(c, TermSearcher.SearchOccupations)
}

// taxonomySkills: GET /v1/taxonomy/skills?q=&limit= (any key).
func (s *Server) taxonomySkills(c *gin.Context, _ *Principal) (*reply, error) {
	return s.taxonomyLookup(c, TermSearcher.SearchSkills)
}
