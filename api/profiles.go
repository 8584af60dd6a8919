package api

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/werkmatch/werkmatch/matcher"
)

// checkProfile runs the write checks of a profile document: the id of the
// path, validation (400), personal data (422), the key's regions (403).
func checkProfile(p *matcher.Profile, pathID string, pr *Principal) error {
	if p.ID == "" {
		p.ID = pathID
	} else if p.ID != pathID {
		return fieldError("id", "must equal the id in the path")
	}
	if err := p.Validate(); err != nil {
		return err
	}
	if err := p.CheckPersonalData(); err != nil {
		return err
	}
	if !pr.inRegions(p.Municipality) {
		return problem(http.StatusForbidden, "this key may not write profiles of that municipality",
			matcher.FieldError{Field: "municipality", Message: "outside this key's regions"})
	}
	return nil
}

// putProfile: PUT /v1/profiles/{id} (ingest). Durable in the store, then
// in the core, then cached answers invalidated; 201 new, 200 replaced.
func (s *Server) putProfile(c *gin.Context, pr *Principal) (*reply, error) {
	id, err := pathID(c)
	if err != nil {
		return nil, err
	}
	p := new(matcher.Profile)
	if err := decodeJSON(c, s.cfg.MaxBody, p); err != nil {
		return nil, err
	}
	if err := checkProfile(p, id, pr); err != nil {
		return nil, err
	}
	defer s.lock("profile", id)()
	muni, existed := s.cfg.Engine.ProfileMunicipality(id)
	if existed && !pr.inRegions(muni) {
		return nil, matcher.ErrNotFound
	}
	if c.GetHeader("If-Match") != "" {
		cur := ""
		if existed {
			old, err := storeGet(s.cfg.Store.GetProfile(c, id))
			if err != nil && !errors.Is(err, matcher.ErrNotFound) {
				return nil, err
			}
			if old != nil {
				cur = etagOf(old)
			}
		}
		if err := ifMatch(c, cur); err != nil {
			return nil, err
		}
	}
	ctx := durable(c)
	if err := s.cfg.Store.PutProfiles(ctx, []*matcher.Profile{p}); err != nil {
		return nil, storeErr(err)
	}
	s.cfg.Engine.UpsertProfile(p)
	s.cache.Invalidate(ctx)
	status := http.StatusCreated
	if existed {
		status = http.StatusOK
	}
	return &reply{status: status, body: p, etag: etagOf(p)}, nil
}

// getProfile: GET /v1/profiles/{id} (ingest, accountmanager of its
// regions; a profile outside them is 404).
func (s *Server) getProfile(c *gin.Context, pr *Principal) (*reply, error) {
	id, err := pathID(c)
	if err != nil {
		return nil, err
	}
	p, err := storeGet(s.cfg.Store.GetProfile(c, id))
	if err != nil {
		return nil, err
	}
	if !pr.inRegions(p.Municipality) {
		return nil, matcher.ErrNotFound
	}
	r := &reply{status: http.StatusOK, body: p, etag: etagOf(p)}
	if s.audited(c, pr) {
		r.viewed = []string{id}
	}
	return r, nil
}

// deleteProfile: DELETE /v1/profiles/{id} (ingest); 204, then GET is 404.
func (s *Server) deleteProfile(c *gin.Context, pr *Principal) (*reply, error) {
	id, err := pathID(c)
	if err != nil {
		return nil, err
	}
	defer s.lock("profile", id)()
	if muni, ok := s.cfg.Engine.ProfileMunicipality(id); ok && !pr.inRegions(muni) {
		return nil, matcher.ErrNotFound
	}
	if c.GetHeader("If-Match") != "" {
		old, err := storeGet(s.cfg.Store.GetProfile(c, id))
		if err != nil {
			if errors.Is(err, matcher.ErrNotFound) {
				return nil, matcher.ErrConflict
			}
			return nil, err
		}
		if err := ifMatch(c, etagOf(old)); err != nil {
			return nil, err
		}
	}
	ctx := durable(c)
	if err := s.cfg.Store.DeleteProfile(ctx, id); err != nil {
		return nil, storeErr(err)
	}
	s.cfg.Engine.DeleteProfile(id)
	s.cache.Invalidate(ctx)
	return &reply{status: http.StatusNoContent}, nil
}
