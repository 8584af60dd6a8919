//go:build unix

package index

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"github.com/werkmatch/werkmatch/matcher"
)

// lockDir takes the data dir's LOCK file: an exclusive flock, held until
// the returned file is closed (the kernel drops it when the process dies,
// so a kill -9 leaves no stale lock). A dir that another process holds is
// ErrLocked at once.
func lockDir(dir string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dir, lockFile), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("index: %w: %w", matcher.ErrUnavailable, err)
	}
	if err := tryLock(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("index: %s: %w", dir, err)
	}
	return f, nil
}

// tryLock takes an exclusive flock on f without waiting: ErrLocked when
// another process holds one.
func tryLock(f *os.File) error {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return ErrLocked
	}
	return err
}

// probeLock fails with ErrLocked when another process holds an exclusive
// flock on path (the data dir's LOCK file, or a Bleve root file, which
// bbolt locks while it is open); a missing file is free.
func probeLock(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close() // closing lets go of a lock taken here
	return tryLock(f)
}
