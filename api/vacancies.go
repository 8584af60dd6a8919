package api

import (
	"context"
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

// vacancyKind is how the write handlers treat vacancies.
func (s *Server) vacancyKind() *docKind[*matcher.Vacancy] {
	return &docKind[*matcher.Vacancy]{
		name: "vacancy",
		check: func(v *matcher.Vacancy, pathID string, pr *Principal) error {
			if v.ID == "" {
				v.ID = pathID
			} else if v.ID != pathID {
				return fieldError("id", "must equal the id in the path")
			}
			return checkVacancy(v, pr)
		},
		visible:   s.ownVacancy,
		mustExist: true,
		get: func(ctx context.Context, id string) (*matcher.Vacancy, error) {
			return storeGet(s.cfg.Store.GetVacancy(ctx, id))
		},
		put: func(ctx context.Context, v *matcher.Vacancy) error {
			return s.cfg.Store.PutVacancies(ctx, []*matcher.Vacancy{v})
		},
		del: func(ctx context.Context, id string) error {
			return s.cfg.Store.DeleteVacancy(ctx, id)
		},
		apply: func(d *matcher.Vacancy) { s.cfg.Engine.UpsertVacancy(d) },
		drop:  func(id string) { s.cfg.Engine.DeleteVacancy(id) },
	}
}

// putVacancy: PUT /v1/vacancies/{id} (own employer, accountmanager).
func (s *Server) putVacancy(c *gin.Context, pr *Principal) (*reply, error) {
	return putDoc(s, c, pr, s.vacancies, new(matcher.Vacancy))
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
	return docReply(http.StatusOK, v), nil
}

// deleteVacancy: DELETE /v1/vacancies/{id} (owner employer,
// accountmanager); 204. A vacancy the core does not hold is 404.
func (s *Server) deleteVacancy(c *gin.Context, pr *Principal) (*reply, error) {
	return deleteDoc(s, c, pr, s.vacancies)
}
