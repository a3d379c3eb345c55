package kept

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// value returns a draw function giving body (its size its length), after release closes.
func value(body string, draws *atomic.Int64, release <-chan struct{}) func() (any, int, error) {
	return func() (any, int, error) {
		draws.Add(1)
		if release != nil {
			<-release
		}
		return body, len(body), nil
	}
}

// TestKeptOnceAtOneStamp: requests asking at once for one key at one stamp draw it once;
// a new stamp draws again; a failed drawing is not kept.
func TestKeptOnceAtOneStamp(t *testing.T) {
	s := New(1 << 20)
	key := Key{Page: "relocation", ID: 1, Variant: "read?"}
	var draws atomic.Int64
	release := make(chan struct{})
	var wg sync.WaitGroup
	got := make([]any, 16)
	for i := range got {
		wg.Go(func() {
			v, err := s.Get(key, "1", value("état 1", &draws, release))
			if err != nil {
				t.Error(err)
			}
			got[i] = v
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
	if v, _ := s.Get(key, "1", value("jamais", &draws, nil)); v != "état 1" || draws.Load() != 1 {
		t.Errorf("a kept value was drawn again")
	}
	if v, _ := s.Get(key, "2", value("état 2", &draws, nil)); v != "état 2" || draws.Load() != 2 {
		t.Errorf("a new stamp served the former value")
	}
	fail := errors.New("base indisponible")
	if _, err := s.Get(key, "3", func() (any, int, error) { return nil, 0, fail }); !errors.Is(err, fail) {
		t.Errorf("a failed drawing answered %v", err)
	}
	if v, _ := s.Get(key, "3", value("état 3", &draws, nil)); v != "état 3" {
		t.Errorf("a failed drawing was kept")
	}
}

// TestKeptBoundLeastRecentlyUsed: the bytes kept never pass the bound, every value
// counted with its key, its stamp and the store's bookkeeping; the values dropped are the
// least recently used, not the last kept nor one just read.
func TestKeptBoundLeastRecentlyUsed(t *testing.T) {
	const per = EntryOverhead + 2 // a one-letter page at stamp "1" or "2", before its value
	s := New(3*per + 10)          // three values of 3 bytes, not four
	var draws atomic.Int64
	for _, p := range []string{"a", "b", "c"} {
		if _, err := s.Get(Key{Page: p}, "1", value("xxx", &draws, nil)); err != nil {
			t.Fatal(err)
		}
	}
	if n, b := s.Stats(); n != 3 || b != 3*per+9 {
		t.Fatalf("kept %d values, %d bytes; want 3, %d", n, b, 3*per+9)
	}
	s.Get(Key{Page: "a"}, "1", value("jamais", &draws, nil)) // a is now the most recently used
	s.Get(Key{Page: "d"}, "1", value("yyy", &draws, nil))    // a fourth: one must go, b
	if _, ok := s.Stamp(Key{Page: "b"}); ok {
		t.Errorf("b, the least recently used, is still kept")
	}
	for _, p := range []string{"a", "c", "d"} {
		if _, ok := s.Stamp(Key{Page: p}); !ok {
			t.Errorf("%s was dropped", p)
		}
	}
	if n, b := s.Stats(); n != 3 || b != 3*per+9 {
		t.Errorf("kept %d values, %d bytes; want 3, %d", n, b, 3*per+9)
	}
	s.Get(Key{Page: "h"}, "1", value(strings.Repeat("0", 3*per), &draws, nil)) // over the bound with its key: never kept
	if _, ok := s.Stamp(Key{Page: "h"}); ok {
		t.Errorf("a value over the bound was kept")
	}
	if n, b := s.Stats(); n != 3 || b != 3*per+9 {
		t.Errorf("a value over the bound pushed others out: %d values, %d bytes", n, b)
	}
	s.Get(Key{Page: "c"}, "2", value("zzzzzz", &draws, nil)) // replaced: 3 → 6 bytes, a goes
	if _, b := s.Stats(); b != 2*per+9 {
		t.Errorf("after a replacement the store holds %d bytes, want %d (d and c)", b, 2*per+9)
	}
}

// TestKeptCountsKeys: a key's strings count against the bound like the value: many small
// values under long keys (an account's name in a frame's key, a forged host) cannot hold
// more than the bound.
func TestKeptCountsKeys(t *testing.T) {
	s := New(10 << 10)
	var draws atomic.Int64
	long := strings.Repeat("h", 1000)
	for i := 0; i < 100; i++ {
		s.Get(Key{Page: "p", ID: int64(i), Variant: long}, "1", value("", &draws, nil))
	}
	n, b := s.Stats()
	if b > 10<<10 {
		t.Errorf("the store holds %d bytes, over its bound of %d", b, 10<<10)
	}
	if want := (10 << 10) / (EntryOverhead + 1002); n != want {
		t.Errorf("the store keeps %d values under 1,000-byte keys; want %d", n, want)
	}
}

// TestKeptPanic: a drawing that panics leaves nothing behind: the next request at the
// same stamp draws again.
func TestKeptPanic(t *testing.T) {
	s := New(1 << 10)
	key := Key{Page: "api:ranking", ID: 1}
	func() {
		defer func() { _ = recover() }()
		_, _ = s.Get(key, "7", func() (any, int, error) { panic("bogue") })
	}()
	v, err := s.Get(key, "7", func() (any, int, error) { return "ok", 2, nil })
	if err != nil || v != "ok" {
		t.Errorf("after a panic the key answers %v, %v; want a new drawing", v, err)
	}
}

// TestKeptWaiterOwnTime: a request waiting for another's drawing is not failed by the
// other's deadline: it draws with its own time.
func TestKeptWaiterOwnTime(t *testing.T) {
	s := New(1 << 10)
	key := Key{Page: "relocation", ID: 1}
	ctxA, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	started := make(chan struct{})
	go func() {
		_, _ = s.Get(key, "1", func() (any, int, error) { close(started); <-ctxA.Done(); return nil, 0, ctxA.Err() })
	}()
	<-started
	v, err := s.Get(key, "1", func() (any, int, error) { return "B", 1, nil })
	if err != nil || v != "B" {
		t.Errorf("the waiter got %v, %v; want its own drawing", v, err)
	}
}

// TestKeptNewerStays: a slow drawing of a former stamp does not replace the value of a
// newer one.
func TestKeptNewerStays(t *testing.T) {
	s := New(1 << 10)
	key := Key{Page: "relocation", ID: 1}
	release, done, started := make(chan struct{}), make(chan struct{}), make(chan struct{})
	go func() {
		_, _ = s.Get(key, "5", func() (any, int, error) { close(started); <-release; return "v5", 2, nil })
		close(done)
	}()
	<-started
	_, _ = s.Get(key, "6", func() (any, int, error) { return "v6", 2, nil })
	close(release)
	<-done
	if got, _ := s.Stamp(key); got != "6" {
		t.Errorf("kept the value of stamp %q, want 6", got)
	}
}
