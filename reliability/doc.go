// Package reliability is werkmatch's reliability and security suite. It
// holds no production code: its tests drive the real server (api, index,
// matcher, cache) over loopback HTTP, and the werkmatch binary as a child
// process, to show that
//
//   - every role sees exactly what the API contract allows it to see
//     (the access matrix, the employer view, meedoen and deleted profiles,
//     keys never logged);
//   - no request, however malformed, gets a 5xx or crashes the server;
//   - a dead, slow or flapping Redis costs speed, never answers;
//   - a failing disk refuses writes with 503 and keeps serving reads, and
//     recovers by itself;
//   - kill -9 under concurrent writes loses no acknowledged write or
//     delete, and the restarted core equals one rebuilt from the store;
//   - a steady mixed load runs without errors and without leaking heap
//     or goroutines.
//
// The crash and soak tests run a short form by default; WERKMATCH_LONG=1
// runs them at full length (20+ kills, minutes of load). Tests with Redis
// in their name skip when no Redis is available, unless
// WERKMATCH_REQUIRE_REDIS=1.
package reliability
