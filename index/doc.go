// Package index is werkmatch's system of record and full-text search: one
// Bleve (scorch) index per kind, <dir>/profiles.bleve and
// <dir>/vacancies.bleve, with an explicit mapping. Free text (titles,
// descriptions, summaries, skill and occupation labels) goes through a
// Dutch analyzer with a synonym source; ids, branches, municipality,
// perspectief, licences and status are keywords; hours and dates are
// numbers; the PC4 centroid is a geopoint; and the document itself is
// stored as JSON, so that GetProfile returns exactly what was put and a
// restart can load every document back into the ranking core.
//
// Writes are group-committed: each kind has one committer goroutine that
// coalesces concurrent Put and Delete calls into one Bleve batch (bounded
// by Options.BatchMax writes and Options.BatchWait), commits it, and only
// then answers every caller in it. A caller is never answered before its
// batch is on disk; a disk error reaches every caller of that batch,
// wrapped in matcher.ErrUnavailable.
//
// Durability mode: see the "Durability" section of the README text in the
// report and BenchmarkPut; the default scorch mode is used, in which
// Batch returns after the persister has written and fsynced the segment
// and committed and fsynced the root bolt file.
package index
