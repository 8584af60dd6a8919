// Package immutable makes a directory immutable with chattr +i, which
// binds root too, so that tests can make a real write to disk fail.
package immutable

import (
	"fmt"
	"os/exec"
	"sync"
	"testing"
)

// Lock makes dir immutable and returns the function that undoes it; that
// function may be called any number of times and is also run when the
// test ends. It fails where chattr is unavailable or not allowed, and the
// caller should then skip. It may be called from any goroutine.
func Lock(t testing.TB, dir string) (unlock func(), err error) {
	if out, err := exec.Command("chattr", "+i", dir).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("chattr +i: %v %s", err, out)
	}
	var once sync.Once
	unlock = func() { once.Do(func() { _ = exec.Command("chattr", "-i", dir).Run() }) }
	t.Cleanup(unlock)
	return unlock, nil
}
