package matcher

import "context"

// Source is what a start-up load reads: every stored profile and vacancy.
// Store satisfies it; the index package implements it.
type Source interface {
	EachProfile(ctx context.Context, fn func(*Profile) error) error
	EachVacancy(ctx context.Context, fn func(*Vacancy) error) error
}

// Load fills the engine with every document src holds, in batches of
// batch documents (UpsertProfiles, UpsertVacancies), and calls progress,
// when non-nil, after each batch with the kind ("profile" or "vacancy")
// and the batch size. It stops at the first error of src or of ctx.
// Call Compact afterwards to start queries from the leanest tables.
func (e *Engine) Load(ctx context.Context, src Source, batch int, progress func(kind string, n int)) error {
	if batch <= 0 {
		batch = 10000
	}
	report := func(kind string, n int) {
		if progress != nil && n > 0 {
			progress(kind, n)
		}
	}
	ps := make([]*Profile, 0, batch)
	flushP := func() {
		e.UpsertProfiles(ps)
		report("profile", len(ps))
		ps = make([]*Profile, 0, batch)
	}
	err := src.EachProfile(ctx, func(p *Profile) error {
		if ps = append(ps, p); len(ps) == batch {
			flushP()
		}
		return ctx.Err()
	})
	if err != nil {
		return err
	}
	flushP()
	vs := make([]*Vacancy, 0, batch)
	flushV := func() {
		e.UpsertVacancies(vs)
		report("vacancy", len(vs))
		vs = make([]*Vacancy, 0, batch)
	}
	err = src.EachVacancy(ctx, func(v *Vacancy) error {
		if vs = append(vs, v); len(vs) == batch {
			flushV()
		}
		return ctx.Err()
	})
	if err != nil {
		return err
	}
	flushV()
	return nil
}
