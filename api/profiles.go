package api

import (
	"context"
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
	p.Normalise()
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

// profileKind is how the write handlers treat profiles.
func (s *Server) profileKind() *docKind[*matcher.Profile] {
	return &docKind[*matcher.Profile]{
		name:    "profile",
		check:   checkProfile,
		visible: s.visibleProfile,
		get: func(ctx context.Context, id string) (*matcher.Profile, error) {
			return storeGet(s.cfg.Store.GetProfile(ctx, id))
		},
		put: func(ctx context.Context, p *matcher.Profile) error {
			return s.cfg.Store.PutProfiles(ctx, []*matcher.Profile{p})
		},
		del: func(ctx context.Context, id string) error {
			return s.cfg.Store.DeleteProfile(ctx, id)
		},
		apply: func(d *matcher.Profile) { s.cfg.Engine.UpsertProfile(d) },
		drop:  func(id string) { s.cfg.Engine.DeleteProfile(id) },
	}
}

// visibleProfile reports whether profile id is in the core; one outside
// the principal's regions is 404.
func (s *Server) visibleProfile(pr *Principal, id string) (bool, error) {
	muni, ok := s.cfg.Engine.ProfileMunicipality(id)
	if ok && !pr.inRegions(muni) {
		return false, matcher.ErrNotFound
	}
	return ok, nil
}

// putProfile: PUT /v1/profiles/{id} (ingest, within its regions).
// Durable in the store, then in the core, then cached answers
// invalidated; 201 new, 200 replaced.
func (s *Server) putProfile(c *gin.Context, pr *Principal) (*reply, error) {
	return putDoc(s, c, pr, s.profiles, new(matcher.Profile))
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
	r := docReply(http.StatusOK, p)
	if s.audited(c, pr) {
		r.viewed = []string{id}
	}
	return r, nil
}

// deleteProfile: DELETE /v1/profiles/{id} (ingest); 204, then GET is 404.
// If-Match on a profile that is not stored is 409.
func (s *Server) deleteProfile(c *gin.Context, pr *Principal) (*reply, error) {
	return deleteDoc(s, c, pr, s.profiles)
}
