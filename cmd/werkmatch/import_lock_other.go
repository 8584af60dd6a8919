//go:build !unix

package main

// checkNotLocked cannot probe the lock on this platform; opening the index
// waits while a server holds it.
func checkNotLocked(string) error { return nil }
