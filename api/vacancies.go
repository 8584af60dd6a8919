package api

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/werkmatch/werkmatch/matcher"
)

// checkVacancy runs the write checks of a vacancy document: an employer's
// employer_id comes from its key, then defaults, validation (400) and
// personal data (422).
func checkVacancy(v *matcher.Vacancy, pr *Principal) error {
	if pr.Role == RoleEmployer {
		if v.EmployerID == "" {
			v.EmployerID = pr.EmployerID
		} else if v.EmployerID != pr.EmployerID {
			return fieldError("employer_id", "must be your own employer id, or left out")
		}
	}
	v.Normalise()
	if err := v.Validate(); err != nil {
		return err
	}
	return v.CheckPersonalData()
}

// ownVacancy answers 404 unless the principal may see vacancy id: an
// employer only its own, everyone else every vacancy. ok is false when the
// vacancy is not in the core.
func (s *Server) ownVacancy(pr *Principal, id string) (exists bool, err error) {
	owner, ok := s.cfg.Engine.VacancyEmployer(id)
	if ok && pr.Role == RoleEmployer && owner != pr.EmployerID {
		return false, matcher.ErrNotFound
	}
	return ok, nil
}

// putVacancy: PUT /v1/vacancies/{id} (own employer, accountmanager).
func (s *Server) putVacancy(c *gin.Context, pr *Principal) (*reply, error) {
	id, err := pathID(c)
	if err != nil {
		return nil, err
	}
	v := new(matcher.Vacancy)
	if err := decodeJSON(c, s.cfg.MaxBody, v); err != nil {
		return nil, err
	}
	if v.ID == "" {
		v.ID = id
	} else if v.ID != id {
		return nil, fieldError("id", "must equal the id in the path")
	}
	if err := checkVacancy(v, pr); err != nil {
		return nil, err
	}
	defer s.lock("vacancy", id)()
	existed, err := s.ownVacancy(pr, id)
	if err != nil {
		return nil, err
	}
	if c.GetHeader("If-Match") != "" {
		cur := ""
		if existed {
			old, err := storeGet(s.cfg.Store.GetVacancy(c, id))
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
	if err := s.cfg.Store.PutVacancies(ctx, []*matcher.Vacancy{v}); err != nil {
		return nil, storeErr(err)
	}
	s.cfg.Engine.UpsertVacancy(v)
	s.cache.Invalidate(ctx)
	status := http.StatusCreated
	if existed {
		status = http.StatusOK
	}
	return &reply{status: status, body: v, etag: etagOf(v)}, nil
}

// getVacancy: GET /v1/vacancies/{id} (owner employer, accountmanager).
func (s *Server) getVacancy(c *gin.Context, pr *Principal) (*reply, error) {
	id, err := pathID(c)
	if err != nil {
		return nil, err
	}
	if _, err := s.ownVacancy(pr, id); err != nil {
		return nil, err
	}
	v, err := storeGet(s.cfg.Store.GetVacancy(c, id))
	if err != nil {
		return nil, err
	}
	if pr.Role == RoleEmployer && v.EmployerID != pr.EmployerID {
		return nil, matcher.ErrNotFound
	}
	return &reply{status: http.StatusOK, body: v, etag: etagOf(v)}, nil
}

// deleteVacancy: DELETE /v1/vacancies/{id} (owner employer,
// accountmanager); 204.
func (s *Server) deleteVacancy(c *gin.Context, pr *Principal) (*reply, error) {
	id, err := pathID(c)
	if err != nil {
		return nil, err
	}
	defer s.lock("vacancy", id)()
	exists, err := s.ownVacancy(pr, id)
	if err != nil {
		return nil, err
	}
	if !exists {
		return nil, matcher.ErrNotFound
	}
	if c.GetHeader("If-Match") != "" {
		old, err := storeGet(s.cfg.Store.GetVacancy(c, id))
		if err != nil {
			return nil, err
		}
		if err := ifMatch(c, etagOf(old)); err != nil {
			return nil, err
		}
	}
	ctx := durable(c)
	if err := s.cfg.Store.DeleteVacancy(ctx, id); err != nil {
		return nil, storeErr(err)
	}
	s.cfg.Engine.DeleteVacancy(id)
	s.cache.Invalidate(ctx)
	return &reply{status: http.StatusNoContent}, nil
}
