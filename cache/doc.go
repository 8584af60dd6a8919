// Package cache implements matcher.ResultCache and API rate limits.
//
// Memory is the in-process cache used without Redis. Redis keeps match
// results in Redis behind a small in-process L1, shared by every replica:
// a global generation counter in Redis is bumped by Invalidate, every Get
// reads it in the same round trip as the value, and a result is only
// served when it was stored under the current generation, so no result
// older than an acknowledged Invalidate is served, from Redis or L1.
//
// Redis failures never reach the caller: calls have short timeouts, go
// through a circuit breaker and count as misses (fail open); after an
// outage or a failed Invalidate the generation is bumped before anything
// is served from the cache again. Stats and State feed metrics and
// /readyz.
//
// Limiter enforces per-key rate limits: in Redis (GCRA, redis_rate) when
// it is up, in process (x/time/rate, size-bounded) otherwise.
//
// Results handed out by a cache are shared between callers: treat them as
// read-only.
package cache
