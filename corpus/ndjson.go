package corpus

import (
	"bufio"
	"encoding/json"
	"io"
	"runtime"
)

const ndjsonChunk = 512

// WriteNDJSON writes f(0) … f(n-1) as newline-delimited JSON to w, in
// order. The documents are generated and encoded in parallel (f must be
// safe for concurrent use, as Generator's methods are); the output is the
// same as that of a sequential run.
func WriteNDJSON(w io.Writer, n int, f func(i int) any) error {
	if n <= 0 {
		return nil
	}
	chunks := (n + ndjsonChunk - 1) / ndjsonChunk
	workers := min(runtime.GOMAXPROCS(0), chunks)
	type result struct {
		buf []byte
		err error
	}
	slots := make([]chan result, chunks)
	for i := range slots {
		slots[i] = make(chan result, 1)
	}
	// sem bounds the chunks generated but not yet written.
	sem := make(chan struct{}, 2*workers)
	next := make(chan int)
	done := make(chan struct{})
	defer close(done)
	go func() {
		defer close(next)
		for c := range chunks {
			select {
			case sem <- struct{}{}:
			case <-done:
				return
			}
			select {
			case next <- c:
			case <-done:
				return
			}
		}
	}()
	for range workers {
		go func() {
			for c := range next {
				var buf []byte
				var err error
				for i := c * ndjsonChunk; i < min(n, (c+1)*ndjsonChunk); i++ {
					var b []byte
					if b, err = json.Marshal(f(i)); err != nil {
						break
					}
					buf = append(append(buf, b...), '\n')
				}
				slots[c] <- result{buf, err}
			}
		}()
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	for c := range chunks {
		res := <-slots[c]
		<-sem
		if res.err != nil {
			return res.err
		}
		if _, err := bw.Write(res.buf); err != nil {
			return err
		}
	}
	return bw.Flush()
}
