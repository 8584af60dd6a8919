//go:build !unix

package index

import "os"

// lockDir takes no lock on this platform; opening a Bleve index that
// another process holds still fails after Options.LockWait.
func lockDir(string) (*os.File, error) { return nil, nil }

// probeLock cannot probe a lock on this platform.
func probeLock(string) error { return nil }
