package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/werkmatch/werkmatch/matcher"
)

// Match directions (metric label and cache-key prefix).
const (
	dirVacancy = "vacancy_to_profiles"
	dirProfile = "profile_to_vacancies"
	dirAdhoc   = "adhoc_to_profiles"
)

// weightParams are the query parameters that override one weight.
var weightParams = []struct {
	name string
	set  func(w *matcher.Weights, v float64)
}{
	{"skills", func(w *matcher.Weights, v float64) { w.Skills = v }},
	{"occupation", func(w *matcher.Weights, v float64) { w.Occupation = v }},
	{"branch", func(w *matcher.Weights, v float64) { w.Branch = v }},
	{"hours", func(w *matcher.Weights, v float64) { w.Hours = v }},
	{"distance", func(w *matcher.Weights, v float64) { w.Distance = v }},
	{"language", func(w *matcher.Weights, v float64) { w.Language = v }},
	{"education", func(w *matcher.Weights, v float64) { w.Education = v }},
}

// MatchAnswer is the body of a match answer: the core's result plus
// whether it came from the cache.
type MatchAnswer struct {
	*matcher.MatchResult
	Cached bool `json:"cached"`
}

// matchQuery reads ?limit= and the w_<component>= weight overrides. The
// second value is the canonical form for the cache key.
func matchQuery(c *gin.Context) (matcher.Query, string, error) {
	var q matcher.Query
	q.Limit = matcher.DefaultLimit
	if s, ok := c.GetQuery("limit"); ok {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > matcher.MaxLimit {
			return q, "", fieldError("limit", "must be an integer from 1 to "+strconv.Itoa(matcher.MaxLimit))
		}
		q.Limit = n
	}
	var w *matcher.Weights
	for _, wp := range weightParams {
		s, ok := c.GetQuery("w_" + wp.name)
		if !ok {
			continue
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v != v {
			return q, "", fieldError("w_"+wp.name, "must be a number")
		}
		if w == nil {
			w = new(matcher.Weights)
			*w = matcher.DefaultWeights
		}
		wp.set(w, v)
	}
	if w != nil {
		// the core's own check, its fields named as the parameters sent
		if err := w.Check(); err != nil {
			var ve *matcher.ValidationError
			if errors.As(err, &ve) {
				for i, f := range ve.Fields {
					ve.Fields[i].Field = strings.Replace(strings.Replace(f.Field, "weights.", "w_", 1), "weights", "w_*", 1)
				}
			}
			return q, "", err
		}
	}
	q.Weights = w
	key := "l=" + strconv.Itoa(q.Limit)
	if w != nil {
		b, _ := json.Marshal(w)
		key += "|w=" + string(b)
	}
	return q, key, nil
}

// match answers from the cache or the core. key identifies the question
// (direction, subject, limit, weights, regions); run computes it.
func (s *Server) match(ctx context.Context, dir, key string, run func() (*matcher.MatchResult, error)) (*MatchAnswer, error) {
	// The generation comes with the lookup, before the core runs: a write
	// acknowledged while it runs makes the Put below a no-op.
	key += "|d=" + s.cfg.Engine.Today()
	res, gen, ok := s.cache.Get(ctx, key)
	if ok {
		return &MatchAnswer{MatchResult: res, Cached: true}, nil
	}
	return s.compute(ctx, dir, key, gen, run)
}

func (s *Server) compute(ctx context.Context, dir, key string, gen uint64, run func() (*matcher.MatchResult, error)) (*MatchAnswer, error) {
	start := time.Now()
	res, err := run()
	if err != nil {
		return nil, err
	}
	s.m.matchLatency.WithLabelValues(dir).Observe(time.Since(start).Seconds())
	s.m.considered.WithLabelValues(dir).Add(float64(res.Considered))
	s.m.scored.WithLabelValues(dir).Add(float64(res.Scored))
	if res.Results == nil {
		res.Results = []matcher.Match{}
	}
	s.cache.Put(ctx, key, gen, res, s.cfg.CacheTTL)
	return &MatchAnswer{MatchResult: res}, nil
}

// encodedKey identifies the encoding of one cached result in one view.
type encodedKey struct {
	res      *matcher.MatchResult
	employer bool
}

// answer encodes a match answer for the principal. A cached result is the
// same immutable value on every hit, so its encoding is kept (bounded LRU,
// keyed by the result itself) and a hot cached match costs no JSON work.
func (s *Server) answer(pr *Principal, a *MatchAnswer) *reply {
	if !a.Cached {
		return &reply{status: http.StatusOK, body: viewFor(pr, a)}
	}
	k := encodedKey{a.MatchResult, pr.Role == RoleEmployer}
	if b, ok := s.encoded.Get(k); ok {
		return &reply{status: http.StatusOK, raw: b}
	}
	b, err := json.Marshal(viewFor(pr, a))
	if err != nil {
		return &reply{status: http.StatusOK, body: viewFor(pr, a)}
	}
	s.encoded.Add(k, b)
	return &reply{status: http.StatusOK, raw: b}
}

// answerProfiles is answer for a vacancy-to-profiles match, with the
// profile ids it shows for the audit log.
func (s *Server) answerProfiles(c *gin.Context, pr *Principal, a *MatchAnswer) *reply {
	r := s.answer(pr, a)
	if s.audited(c, pr) {
		r.viewed = matchProfileIDs(a.Results)
	}
	return r
}

// viewFor returns the answer as the principal may see it. Employers get
// the employer view (see the package doc); the cached result is shared, so
// it is copied, never changed.
func viewFor(pr *Principal, a *MatchAnswer) *MatchAnswer {
	if pr.Role != RoleEmployer {
		return a
	}
	res := *a.MatchResult
	res.Results = make([]matcher.Match, len(a.Results))
	for i, m := range a.Results {
		if m.Explanation.OpenHiring != nil {
			oh := *m.Explanation.OpenHiring
			oh.RegisteredAt = ""
			m.Explanation.OpenHiring = &oh
		}
		res.Results[i] = m
	}
	return &MatchAnswer{MatchResult: &res, Cached: a.Cached}
}

// vacancyMatches: GET /v1/vacancies/{id}/matches (owner employer,
// accountmanager): the top-N profiles for a stored vacancy.
func (s *Server) vacancyMatches(c *gin.Context, pr *Principal) (*reply, error) {
	id, err := pathID(c)
	if err != nil {
		return nil, err
	}
	exists, err := s.ownVacancy(pr, id)
	if err != nil {
		return nil, err
	}
	if !exists {
		return nil, matcher.ErrNotFound
	}
	q, qk, err := matchQuery(c)
	if err != nil {
		return nil, err
	}
	q.Municipalities = pr.Regions
	ctx := c.Request.Context()
	a, err := s.match(ctx, dirVacancy, "v|"+id+"|"+qk+"|"+pr.regionsKey, func() (*matcher.MatchResult, error) {
		return s.cfg.Engine.MatchVacancyID(ctx, id, q)
	})
	if err != nil {
		return nil, err
	}
	return s.answerProfiles(c, pr, a), nil
}

// profileMatches: GET /v1/profiles/{id}/matches (accountmanager of the
// profile's region): the top-N vacancies for a stored profile.
func (s *Server) profileMatches(c *gin.Context, pr *Principal) (*reply, error) {
	id, err := pathID(c)
	if err != nil {
		return nil, err
	}
	muni, ok := s.cfg.Engine.ProfileMunicipality(id)
	if !ok || !pr.inRegions(muni) {
		return nil, matcher.ErrNotFound
	}
	q, qk, err := matchQuery(c)
	if err != nil {
		return nil, err
	}
	ctx := c.Request.Context()
	a, err := s.match(ctx, dirProfile, "p|"+id+"|"+qk, func() (*matcher.MatchResult, error) {
		return s.cfg.Engine.MatchProfileID(ctx, id, q)
	})
	if err != nil {
		return nil, err
	}
	r := s.answer(pr, a)
	if s.audited(c, pr) {
		// the answer is about this profile: its id is the view
		r.viewed = []string{id}
	}
	return r, nil
}

// adhocMatches: POST /v1/matches (employer, accountmanager): the top-N
// profiles for a vacancy-shaped body that is not stored. id and
// employer_id may be left out.
func (s *Server) adhocMatches(c *gin.Context, pr *Principal) (*reply, error) {
	v := new(matcher.Vacancy)
	if err := decodeJSON(c, s.cfg.MaxBody, v); err != nil {
		return nil, err
	}
	if v.ID == "" {
		v.ID = "adhoc"
	}
	if v.EmployerID == "" && pr.Role != RoleEmployer {
		v.EmployerID = "adhoc"
	}
	if err := checkVacancy(v, pr); err != nil {
		return nil, err
	}
	q, qk, err := matchQuery(c)
	if err != nil {
		return nil, err
	}
	q.Municipalities = pr.Regions
	b, _ := json.Marshal(v)
	sum := sha256.Sum256(b)
	ctx := c.Request.Context()
	a, err := s.match(ctx, dirAdhoc, "a|"+hex.EncodeToString(sum[:16])+"|"+qk+"|"+pr.regionsKey, func() (*matcher.MatchResult, error) {
		return s.cfg.Engine.MatchVacancy(ctx, v, q)
	})
	if err != nil {
		return nil, err
	}
	return s.answerProfiles(c, pr, a), nil
}
