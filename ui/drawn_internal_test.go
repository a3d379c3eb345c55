package ui

import (
	"bytes"
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestDrawnPagesKeep: requests asking at once for one drawing at one stamp draw it once;
// a new stamp draws again; a failed drawing is not kept; the kept bytes stay bounded.
func TestDrawnPagesKeep(t *testing.T) {
	dp := newDrawnPages()
	key := drawnKey{page: "relocation", id: 1, variant: "read?"}
	var draws atomic.Int64
	release := make(chan struct{})
	draw := func(body string) func() (drawing, error) {
		return func() (drawing, error) {
			draws.Add(1)
			<-release
			return drawing{parts: [][]byte{[]byte(body)}, size: len(body)}, nil
		}
	}
	var wg sync.WaitGroup
	got := make([]string, 16)
	for i := range got {
		wg.Go(func() {
			d, err := dp.get(key, "1", draw("état 1"))
			if err != nil {
				t.Error(err)
				return
			}
			got[i] = string(bytes.Join(d.parts, nil))
		})
	}
	for draws.Load() == 0 { // one request draws; the others queue behind it or find it kept
		runtime.Gosched()
	}
	close(release)
	wg.Wait()
	if n := draws.Load(); n != 1 {
		t.Errorf("16 requests at once drew %d times, want 1", n)
	}
	for i, g := range got {
		if g != "état 1" {
			t.Fatalf("request %d got %q", i, g)
		}
	}
	if d, _ := dp.get(key, "1", draw("jamais")); string(d.parts[0]) != "état 1" || draws.Load() != 1 {
		t.Errorf("a kept drawing was drawn again")
	}
	if d, _ := dp.get(key, "2", draw("état 2")); string(d.parts[0]) != "état 2" || draws.Load() != 2 {
		t.Errorf("a new stamp served the former drawing")
	}

	// A failure is answered, not kept.
	fail := errors.New("base indisponible")
	if _, err := dp.get(key, "3", func() (drawing, error) { return drawing{}, fail }); !errors.Is(err, fail) {
		t.Errorf("a failed drawing answered %v", err)
	}
	if d, _ := dp.get(key, "3", draw("état 3")); string(d.parts[0]) != "état 3" {
		t.Errorf("a failed drawing was kept")
	}

	// The bound: drawings of 1 MiB each never hold more than drawnBytesMax.
	big := string(make([]byte, 1<<20))
	for i := range 3 * drawnBytesMax >> 20 {
		if _, err := dp.get(drawnKey{page: "big", id: int64(i)}, "1", draw(big)); err != nil {
			t.Fatal(err)
		}
		if dp.bytes > drawnBytesMax {
			t.Fatalf("after %d drawings the kept ones hold %d bytes, over %d", i+1, dp.bytes, drawnBytesMax)
		}
	}
	total := 0
	for _, d := range dp.entries {
		total += d.size
	}
	if total != dp.bytes {
		t.Errorf("kept drawings hold %d bytes, counted %d", total, dp.bytes)
	}
	if _, ok := dp.entries[drawnKey{page: "big", id: int64(3*drawnBytesMax>>20 - 1)}]; !ok {
		t.Errorf("the last drawing was not kept")
	}
}

// TestDrawnPagesPanic: a drawing that panics leaves no empty drawing behind: the next
// request at the same stamp draws again.
func TestDrawnPagesPanic(t *testing.T) {
	dp := newDrawnPages()
	key := drawnKey{page: "api:ranking", id: 1}
	func() {
		defer func() { _ = recover() }()
		_, _ = dp.get(key, "7", func() (drawing, error) { panic("bogue") })
	}()
	d, err := dp.get(key, "7", func() (drawing, error) { return drawing{parts: [][]byte{[]byte("ok")}, size: 2}, nil })
	if err != nil || len(d.parts) != 1 || string(d.parts[0]) != "ok" {
		t.Errorf("after a panic the key answers %q, %v; want a new drawing", d.parts, err)
	}
}

// TestDrawnPagesWaiterOwnTime: a request waiting for another's drawing is not failed
// by the other's deadline: it draws with its own time.
func TestDrawnPagesWaiterOwnTime(t *testing.T) {
	dp := newDrawnPages()
	key := drawnKey{page: "relocation", id: 1, variant: "read?"}
	ctxA, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	started := make(chan struct{})
	go func() {
		_, _ = dp.get(key, "1", func() (drawing, error) { close(started); <-ctxA.Done(); return drawing{}, ctxA.Err() })
	}()
	<-started
	d, err := dp.get(key, "1", func() (drawing, error) { return drawing{parts: [][]byte{[]byte("B")}, size: 1}, nil })
	if err != nil || string(d.parts[0]) != "B" {
		t.Errorf("the waiter got %q, %v; want its own drawing", d.parts, err)
	}
}

// TestDrawnPagesNewerKept: a slow drawing of a former stamp does not replace the drawing
// of a newer one.
func TestDrawnPagesNewerKept(t *testing.T) {
	dp := newDrawnPages()
	key := drawnKey{page: "relocation", id: 1, variant: "read?"}
	release, done := make(chan struct{}), make(chan struct{})
	started := make(chan struct{})
	go func() {
		_, _ = dp.get(key, "5", func() (drawing, error) {
			close(started)
			<-release
			return drawing{parts: [][]byte{[]byte("v5")}, size: 2}, nil
		})
		close(done)
	}()
	<-started
	_, _ = dp.get(key, "6", func() (drawing, error) { return drawing{parts: [][]byte{[]byte("v6")}, size: 2}, nil })
	close(release)
	<-done
	if got := dp.entries[key].stamp; got != "6" {
		t.Errorf("kept the drawing of stamp %q, want 6", got)
	}
}
