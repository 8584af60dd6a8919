package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/werkmatch/werkmatch/matcher"
)

// docKind is what the single-document write handlers need of one kind of
// document (profiles, vacancies): the store and core operations and the
// kind's own checks. putDoc and deleteDoc are the steps both kinds share.
type docKind[T any] struct {
	name string // lock namespace: "profile" or "vacancy"
	// check runs the write checks of a decoded document against the id of
	// the path and the principal (400, 422, 403).
	check func(doc T, pathID string, pr *Principal) error
	// visible reports whether the document is in the core, or an error
	// (404) when it is there but not the principal's to see.
	visible func(pr *Principal, id string) (exists bool, err error)
	// mustExist: deleting a document the core does not hold is 404 at
	// once (else the store decides).
	mustExist bool
	get       func(ctx context.Context, id string) (T, error) // the stored document
	put       func(ctx context.Context, doc T) error          // durable
	del       func(ctx context.Context, id string) error      // durable
	apply     func(doc T)                                     // into the core
	drop      func(id string)                                 // out of the core
}

// currentETag is the ETag of the stored document, "" when there is none.
func (k *docKind[T]) currentETag(ctx context.Context, id string) (string, error) {
	old, err := k.get(ctx, id)
	if err != nil {
		return "", err
	}
	return etagOf(old), nil
}

// putDoc: PUT /v1/<kind>/{id}. Decoded and checked, then under the
// document's lock: visibility (404), If-Match (409), durable in the store,
// then in the core, then cached answers invalidated; 201 new, 200 replaced.
func putDoc[T any](s *Server, c *gin.Context, pr *Principal, k *docKind[T], doc T) (*reply, error) {
	id, err := pathID(c)
	if err != nil {
		return nil, err
	}
	if err := decodeJSON(c, s.cfg.MaxBody, doc); err != nil {
		return nil, err
	}
	if err := k.check(doc, id, pr); err != nil {
		return nil, err
	}
	defer s.lock(k.name, id)()
	existed, err := k.visible(pr, id)
	if err != nil {
		return nil, err
	}
	if c.GetHeader("If-Match") != "" {
		cur := ""
		if existed {
			if cur, err = k.currentETag(c, id); err != nil && !errors.Is(err, matcher.ErrNotFound) {
				return nil, err
			}
		}
		if err := ifMatch(c, cur); err != nil {
			return nil, err
		}
	}
	ctx := durable(c)
	if err := k.put(ctx, doc); err != nil {
		return nil, storeErr(err)
	}
	k.apply(doc)
	s.cache.Invalidate(ctx)
	status := http.StatusCreated
	if existed {
		status = http.StatusOK
	}
	return docReply(status, doc), nil
}

// deleteDoc: DELETE /v1/<kind>/{id}. Under the document's lock:
// visibility (404), If-Match (409, also when the document is not stored),
// durable delete in the store, then in the core, then cached answers
// invalidated; 204.
func deleteDoc[T any](s *Server, c *gin.Context, pr *Principal, k *docKind[T]) (*reply, error) {
	id, err := pathID(c)
	if err != nil {
		return nil, err
	}
	defer s.lock(k.name, id)()
	exists, err := k.visible(pr, id)
	if err != nil {
		return nil, err
	}
	if k.mustExist && !exists {
		return nil, matcher.ErrNotFound
	}
	if c.GetHeader("If-Match") != "" {
		cur, err := k.currentETag(c, id)
		if err != nil {
			if !k.mustExist && errors.Is(err, matcher.ErrNotFound) {
				return nil, matcher.ErrConflict
			}
			return nil, err
		}
		if err := ifMatch(c, cur); err != nil {
			return nil, err
		}
	}
	ctx := durable(c)
	if err := k.del(ctx, id); err != nil {
		return nil, storeErr(err)
	}
	k.drop(id)
	s.cache.Invalidate(ctx)
	return &reply{status: http.StatusNoContent}, nil
}
