// Package index is werkmatch's system of record and full-text search: one
// Bleve (scorch) index per kind, <dir>/profiles.bleve and
// <dir>/vacancies.bleve, with an explicit mapping. Free text (titles,
// descriptions, summaries, skill and occupation labels) goes through a
// Dutch analyzer with a synonym source; ids, branches, municipality,
// perspectief, licences and status are keywords; hours and load ranks are
// keywords too, eight zero-padded digits that sort as the numbers do,
// filtered with term ranges; the date a profile is available from is a
// number; the PC4 centroid is a geopoint; and the document itself is stored
// as JSON, so that GetProfile returns exactly what was put and a restart
// can load every document back into the ranking core. Only what a query
// uses is indexed (no _all field, no index for dates nobody filters on):
// that cut the CPU per indexed profile by 14%. A Bleve number indexes 16
// terms per value; as fixed-width terms the three small numbers of a
// document cost one term each, which cut the CPU per profile of
// BenchmarkPutBulk by about a quarter (mapping version 6). The date stays a
// number: as terms (some 450 dates in the benchmark corpus) the range of
// the baseline's filter took a third longer. Open rebuilds an index whose
// stored mapping version differs from the code's.
//
// One process at a time: an open Index holds an exclusive flock on
// <dir>/LOCK, taken before anything in the dir is touched, so a second
// Open (or CheckFree) gets ErrLocked at once; a Bleve index held without
// it (an older version) makes Open give up after Options.LockWait.
//
// HardFilterProfiles is the Bleve half of the benchmark program's baseline
// matcher: the vacancy→profiles hard filters as one Bleve query, every hit
// returned; the ranking core then scores those hits with its own scorer.
//
// Writes are group-committed: each kind has one committer goroutine that
// coalesces concurrent Put and Delete calls into one Bleve batch (bounded
// by Options.BatchMax writes and Options.BatchWait), commits it, and only
// then answers every caller in it. A caller is never answered before its
// batch is on disk; a disk error reaches every caller of that batch,
// wrapped in matcher.ErrUnavailable. A batch that Bleve itself fails to
// write (a full or read-only disk) leaves a closed segment in Bleve's live
// index, on which the next read or write panics; so from then on every
// operation of that index answers ErrUnavailable (503, and /readyz is not
// ready) until werkmatch is restarted (TestRealDiskFailure). Bleve may
// still persist the failed batch in the background, so a 503 on a write
// means its outcome is unknown: the restart reads the store afresh, and a
// PUT sent again is harmless.
//
// Durability mode. Scorch offers two roads to "answered only when on
// disk": the default mode, in which Batch itself returns after the
// persister has written and fsynced the segment and committed and fsynced
// the root bolt file; and unsafe_batch, in which Batch returns once the
// batch is searchable and Batch.SetPersistedCallback fires later, after
// the persister has written it. The default mode is used, chosen by
// BenchmarkPut (durable single-profile puts from concurrent writers, this
// 2-core machine, 3000 puts, two runs each; the unsafe_batch committer
// pipelines up to 4 batches awaiting their callback):
//
//	writers  default               unsafe_batch + persisted callback
//	2        312-332 profiles/s    340-350 profiles/s
//	16       1975-2038             1798-1933
//	64       4616-4712             4105-4133
//
// BenchmarkPutBulk (2 writers of 2000-profile puts, the bulk import path,
// two interleaved runs on the shared machine): default 4053-5544
// profiles/s, unsafe_batch 5043-5221 profiles/s, 122-128 CPU-µs per
// profile in both modes: no consistent difference.
//
// Group commit, not the mode, is what buys throughput (64 writes per fsync
// at 64 writers); unsafe_batch gains nothing measurable under concurrent
// load and has two costs, so it was removed from the code (these figures
// are its record): a persist error makes scorch hold the callbacks
// for a later retry instead of calling them with the error (callers would
// hang rather than get ErrUnavailable), and SetInternal (mapping version,
// synonym state) would no longer be durable when it returns.
package index
