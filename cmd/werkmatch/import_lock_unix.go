//go:build unix

package main

import (
	"errors"
	"os"
	"syscall"
)

// checkNotLocked fails with errLocked when another process holds the
// Bleve root file (bbolt takes an exclusive flock on it while open).
// Without this check, opening the index would wait for the lock forever.
func checkNotLocked(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return errLocked
		}
		return err
	}
	return syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
}
