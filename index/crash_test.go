package index

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/werkmatch/werkmatch/geo"
	"github.com/werkmatch/werkmatch/matcher"
)

// The crash test re-executes the test binary as a child (crashChildEnv set)
// that writes under concurrent load and prints one line per acknowledged
// write; the parent SIGKILLs it at random moments, reopens the index and
// checks every acknowledged write.
const (
	crashChildEnv = "WERKMATCH_INDEX_CRASH_CHILD" // data dir
	crashRoundEnv = "WERKMATCH_INDEX_CRASH_ROUND"
	crashWriters  = 8
)

func TestMain(m *testing.M) {
	if dir := os.Getenv(crashChildEnv); dir != "" {
		round, _ := strconv.Atoi(os.Getenv(crashRoundEnv))
		crashChild(dir, round)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// crashChild runs until killed. Each writer puts new profiles, updates
// some (HoursMax is the version) and deletes some of its own, and prints
// "P id version" / "D id" once the call returned nil.
func crashChild(dir string, round int) {
	ix, err := Open(dir, Options{Locator: geo.New(), BatchWait: time.Millisecond})
	if err != nil {
		fmt.Fprintln(os.Stderr, "open:", err)
		os.Exit(3)
	}
	var outMu sync.Mutex
	ack := func(format string, args ...any) {
		line := fmt.Sprintf(format+"\n", args...)
		outMu.Lock()
		_, _ = os.Stdout.WriteString(line) // one write per line
		outMu.Unlock()
	}
	ack("ready")
	ctx := context.Background()
	var wg sync.WaitGroup
	for w := range crashWriters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(round), uint64(w)))
			var mine []string
			for seq := 0; ; seq++ {
				id := fmt.Sprintf("r%d-w%d-%d", round, w, seq)
				switch {
				case len(mine) > 0 && rng.IntN(8) == 0: // delete one of mine
					i := rng.IntN(len(mine))
					del := mine[i]
					mine = append(mine[:i], mine[i+1:]...)
					ack("d %s", del) // intent: from here the put may be gone
					if err := ix.DeleteProfile(ctx, del); err == nil {
						ack("D %s", del)
					}
				case len(mine) > 0 && rng.IntN(6) == 0: // update one of mine
					upd := mine[rng.IntN(len(mine))]
					ver := 2 + seq
					if err := ix.PutProfiles(ctx, []*matcher.Profile{crashProfile(upd, ver)}); err == nil {
						ack("P %s %d", upd, ver)
					}
				default:
					if err := ix.PutProfiles(ctx, []*matcher.Profile{crashProfile(id, 1)}); err == nil {
						ack("P %s %d", id, 1)
						mine = append(mine, id)
					}
				}
			}
		}()
	}
	wg.Wait()
}

func crashProfile(id string, version int) *matcher.Profile {
	return &matcher.Profile{
		ID: id, Municipality: "0344", Postcode4: 3511, MaxTravelKm: 20,
		Branches: []string{"Logistiek"}, HoursMin: 1, HoursMax: version,
		Perspectief: "werken", Summary: "orderpicker in het magazijn",
	}
}

func TestCrashKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test skipped in -short")
	}
	const kills = 20
	dir := t.TempDir()
	want := map[string]int{}     // id -> minimum acknowledged version
	deleted := map[string]bool{} // acknowledged deletes
	mayGo := map[string]bool{}   // deletes sent, maybe not acknowledged
	rng := rand.New(rand.NewPCG(1, uint64(time.Now().UnixNano())))
	totalAcks := 0
	deadline := time.Now().Add(60 * time.Second)
	for round := range kills {
		if time.Now().After(deadline) {
			t.Fatalf("crash test exceeded its time bound after %d kills", round)
		}
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+dir, crashRoundEnv+"="+strconv.Itoa(round))
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string, 1024)
		go func() {
			defer close(lines)
			r := bufio.NewReader(stdout)
			for {
				line, err := r.ReadString('\n')
				if err != nil { // a partial last line is not an acknowledgement
					_, _ = io.Copy(io.Discard, r)
					return
				}
				lines <- strings.TrimSuffix(line, "\n")
			}
		}()
		select {
		case l := <-lines:
			if l != "ready" {
				t.Fatalf("round %d: child said %q", round, l)
			}
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
			t.Fatalf("round %d: child not ready: %s", round, stderr.String())
		}
		time.AfterFunc(time.Duration(30+rng.IntN(250))*time.Millisecond, func() {
			_ = cmd.Process.Signal(syscall.SIGKILL)
		})
		acks := 0
		for l := range lines {
			f := strings.Fields(l)
			switch {
			case len(f) == 3 && f[0] == "P":
				v, _ := strconv.Atoi(f[2])
				want[f[1]] = max(want[f[1]], v)
			case len(f) == 2 && f[0] == "D":
				deleted[f[1]] = true
			case len(f) == 2 && f[0] == "d":
				mayGo[f[1]] = true
				continue
			default:
				t.Fatalf("round %d: bad line %q", round, l)
			}
			acks++
		}
		err = cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
			t.Fatalf("round %d: child did not die by SIGKILL: %v: %s", round, err, stderr.String())
		}
		totalAcks += acks
		checkAcknowledged(t, dir, round, want, deleted, mayGo)
	}
	if totalAcks < kills*10 {
		t.Fatalf("only %d acknowledged writes across %d kills: the load was too light to test anything", totalAcks, kills)
	}
	t.Logf("%d kills, %d acknowledged writes, %d live ids, %d deletes checked", kills, totalAcks, len(want)-len(deleted), len(deleted))
}

// checkAcknowledged reopens the index and compares it with the acks.
func checkAcknowledged(t *testing.T, dir string, round int, want map[string]int, deleted, mayGo map[string]bool) {
	t.Helper()
	ix, err := Open(dir, Options{Locator: geo.New()})
	if err != nil {
		t.Fatalf("round %d: reopen after kill: %v", round, err)
	}
	defer ix.Close()
	got := map[string]int{}
	if err := ix.EachProfile(context.Background(), func(p *matcher.Profile) error {
		got[p.ID] = p.HoursMax
		return nil
	}); err != nil {
		t.Fatalf("round %d: walk: %v", round, err)
	}
	n, _, err := ix.Counts()
	if err != nil || n != uint64(len(got)) {
		t.Fatalf("round %d: Counts %d, %v; walk saw %d", round, n, err, len(got))
	}
	for id, v := range want {
		if deleted[id] {
			if _, ok := got[id]; ok {
				t.Fatalf("round %d: acknowledged delete of %s lost", round, id)
			}
			continue
		}
		gv, ok := got[id]
		if !ok && mayGo[id] {
			continue
		}
		if !ok {
			t.Fatalf("round %d: acknowledged put of %s lost", round, id)
		}
		if gv < v {
			t.Fatalf("round %d: %s has version %d, acknowledged %d", round, id, gv, v)
		}
	}
}
