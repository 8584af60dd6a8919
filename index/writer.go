package index

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/werkmatch/werkmatch/matcher"
)

// op is one upsert (doc set) or delete of one document.
type op struct {
	id  string
	doc map[string]interface{}
	del bool
}

// request is one caller's writes; they commit in one batch, together.
type request struct {
	ops  []op
	done chan error // buffered(1): the committer never blocks on it
}

var errClosed = errors.New("index closed")

// write hands ops to the committer and waits until the batch that holds
// them is on disk (or failed). A caller whose context ends stops waiting;
// its writes may still be committed.
func (k *kindIndex) write(ctx context.Context, ops []op) error {
	if len(ops) == 0 {
		return nil
	}
	if _, err := k.bleveIndex(); err != nil {
		return err // answered at once: the committer would refuse it too
	}
	r := &request{ops: ops, done: make(chan error, 1)}
	k.mu.RLock()
	if k.closed {
		k.mu.RUnlock()
		return fmt.Errorf("index: %s: %w: %w", k.kind, matcher.ErrUnavailable, errClosed)
	}
	select {
	case k.reqs <- r:
	case <-ctx.Done():
		k.mu.RUnlock()
		return ctx.Err()
	}
	k.mu.RUnlock()
	select {
	case err := <-r.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// close stops accepting writes, lets the committer finish what was queued
// and closes the Bleve index.
func (k *kindIndex) close() error {
	k.mu.Lock()
	if k.closed {
		k.mu.Unlock()
		return nil
	}
	k.closed = true
	close(k.reqs)
	k.mu.Unlock()
	<-k.stopped
	if k.failed.Load() != nil {
		// Bleve may panic on the segment it closed (see failed).
		defer func() { _ = recover() }()
	}
	return k.idx.Close()
}

// committer is the single writer of one index: it takes the first waiting
// request, gathers more until BatchMax writes or BatchWait have passed,
// commits them as one Bleve batch and answers every caller with the
// outcome of that batch. While a batch is being synced the next requests
// queue up, so under load each fsync carries many writes (group commit).
func (k *kindIndex) committer() {
	defer close(k.stopped)
	var (
		pending []*request
		timer   = time.NewTimer(time.Hour)
	)
	timer.Stop()
	for {
		first, ok := <-k.reqs
		if !ok {
			return
		}
		pending = append(pending[:0], first)
		n := len(first.ops)
		open := true
		// take what is already waiting, without delay
	drain:
		for n < k.opts.BatchMax {
			select {
			case r, ok := <-k.reqs:
				if !ok {
					open = false
					break drain
				}
				pending = append(pending, r)
				n += len(r.ops)
			default:
				break drain
			}
		}
		// then wait a little for more
		if open && n < k.opts.BatchMax {
			timer.Reset(k.opts.BatchWait)
		wait:
			for n < k.opts.BatchMax {
				select {
				case r, ok := <-k.reqs:
					if !ok {
						open = false
						break wait
					}
					pending = append(pending, r)
					n += len(r.ops)
				case <-timer.C:
					break wait
				}
			}
			if !timer.Stop() {
				select {
				case <-timer.C:
				default:
				}
			}
		}
		k.commit(pending, n)
		clear(pending)
		if !open {
			// drain what was enqueued before close
			for r := range k.reqs {
				k.commit([]*request{r}, len(r.ops))
			}
			return
		}
	}
}

// commit applies the requests as one batch. Deletes of ids that are
// neither stored nor put earlier in the batch fail with ErrNotFound
// individually; everything else shares the batch's outcome.
func (k *kindIndex) commit(reqs []*request, n int) {
	start := time.Now()
	b := k.idx.NewBatch()
	state := make(map[string]bool, n) // id -> exists after the ops so far
	live := make([]*request, 0, len(reqs))
	var err error
	reached := 0
	for _, r := range reqs {
		var rerr error
		for _, o := range r.ops {
			if o.del {
				exists, ok := state[o.id]
				if !ok {
					exists, err = k.exists(o.id)
					if err != nil {
						break
					}
				}
				if !exists {
					rerr = fmt.Errorf("index: delete %s %q: %w", k.kind, o.id, matcher.ErrNotFound)
					continue
				}
				b.Delete(o.id)
				state[o.id] = false
				continue
			}
			if err = b.Index(o.id, o.doc); err != nil {
				break
			}
			state[o.id] = true
		}
		if err != nil {
			break
		}
		reached++
		if rerr != nil {
			// only single deletes fail this way, so nothing of r is in b
			r.done <- rerr
			continue
		}
		live = append(live, r)
	}
	if err == nil && len(live) > 0 && k.opts.FaultHook != nil {
		err = k.opts.FaultHook()
	}
	if err == nil && len(live) > 0 {
		var idx bleve.Index
		if idx, err = k.bleveIndex(); err == nil {
			// Default scorch mode: Batch returns once the persister has
			// written and fsynced the segment and committed the root (see
			// the package doc for the unsafe_batch figures behind this
			// choice).
			if err = idx.Batch(b); err != nil {
				failed := err // a copy: err itself is wrapped below
				k.failed.Store(&failed)
				k.opts.Logger.Error("index: a write to disk failed; the index answers 503 until werkmatch is restarted",
					"kind", k.kind, "err", err)
			}
		}
	}
	if err != nil {
		err = fmt.Errorf("index: commit %s batch: %w: %w", k.kind, matcher.ErrUnavailable, err)
		k.opts.Logger.Error("index: commit failed", "kind", k.kind, "writes", n, "err", err)
		for _, r := range reqs[reached:] {
			r.done <- err
		}
	}
	for _, r := range live {
		r.done <- err
	}
	if k.opts.OnCommit != nil && len(live) > 0 {
		k.opts.OnCommit(k.kind, n, time.Since(start))
	}
}

// exists reports whether a document with this id is stored.
func (k *kindIndex) exists(id string) (bool, error) {
	if id == "" || id[0] == 0 {
		return false, nil
	}
	idx, err := k.bleveIndex()
	if err != nil {
		return false, err
	}
	adv, err := idx.Advanced()
	if err != nil {
		return false, err
	}
	r, err := adv.Reader()
	if err != nil {
		return false, err
	}
	defer r.Close()
	iid, err := r.InternalID(id)
	if err != nil {
		return false, err
	}
	return len(iid) > 0, nil
}
