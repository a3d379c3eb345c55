// Package kept keeps answers drawn once per state: a value is kept under a key with the
// stamp it was drawn at, and given again while the caller's stamp is the same. A stamp is
// a pure description of what the value depends on (numbers PostgreSQL raises with every
// change, the day…), so nothing is ever invalidated by hand: a change makes a new stamp,
// and the next request draws anew.
//
// The store holds at most a fixed number of bytes, every kept value counted (the caller
// says its size) with its key, its stamp and the store's own bookkeeping, and drops the least recently used values beyond it. Requests asking at
// once for one key at one stamp share one drawing; a failed or panicking drawing is never
// kept nor shared, and a waiter whose drawer ran out of time draws with its own.
package kept

import (
	"container/list"
	"context"
	"errors"
	"sync"
)

// Key names one kept value: the page or answer, the entity it is of (0 for none), and a
// variant (rights, query parameters, scheme and host… whatever else it depends on).
type Key struct {
	Page    string
	ID      int64
	Variant string
}

// Store keeps values under keys, bounded in bytes. Its zero value is not usable: New.
type Store struct {
	max int

	mu       sync.Mutex
	bytes    int
	lru      *list.List // of *entry, most recently used first
	entries  map[Key]*list.Element
	inFlight map[Key]*call
}

// entry is one kept value.
type entry struct {
	key   Key
	stamp string
	value any
	size  int
}

// call is a drawing under way.
type call struct {
	stamp string
	done  chan struct{}
	value any
	size  int
	err   error
}

// New returns a store holding at most maxBytes bytes of values.
func New(maxBytes int) *Store {
	return &Store{max: maxBytes, lru: list.New(), entries: map[Key]*list.Element{}, inFlight: map[Key]*call{}}
}

// ErrDrawFailed is what waiters get when the drawing they waited for panicked.
var ErrDrawFailed = errors.New("kept: the drawing failed")

// Get returns the value of key at stamp: the kept one, the one another request is drawing,
// or a new one from draw, which returns the value and the bytes it holds. A new value is
// kept when draw succeeds and no later request has started drawing key meanwhile (a slow
// drawing of an older stamp never replaces a newer one).
func (s *Store) Get(key Key, stamp string, draw func() (value any, size int, err error)) (any, error) {
	for {
		s.mu.Lock()
		if el, ok := s.entries[key]; ok && el.Value.(*entry).stamp == stamp {
			s.lru.MoveToFront(el)
			v := el.Value.(*entry).value
			s.mu.Unlock()
			return v, nil
		}
		c, ok := s.inFlight[key]
		if !ok || c.stamp != stamp {
			break // s.mu stays locked for the registration below
		}
		s.mu.Unlock()
		<-c.done
		if !errors.Is(c.err, context.Canceled) && !errors.Is(c.err, context.DeadlineExceeded) {
			return c.value, c.err
		}
		// Its drawer's time ran out: try again, with this request's own time.
		s.mu.Lock()
		if s.inFlight[key] == c {
			delete(s.inFlight, key)
		}
		s.mu.Unlock()
	}
	c := &call{stamp: stamp, done: make(chan struct{})}
	s.inFlight[key] = c
	s.mu.Unlock()

	finished := false
	defer func() {
		// Whatever happened, even a panic, the call is over: waiters get an error, not an
		// empty value, and the key is free.
		if !finished {
			c.err = ErrDrawFailed
		}
		s.mu.Lock()
		latest := s.inFlight[key] == c
		if latest {
			delete(s.inFlight, key)
		}
		if c.err == nil && latest {
			s.keep(&entry{key: key, stamp: stamp, value: c.value, size: c.size})
		}
		s.mu.Unlock()
		close(c.done)
	}()
	c.value, c.size, c.err = draw()
	finished = true
	return c.value, c.err
}

// EntryOverhead is what the store counts for each kept value beside the value's own
// bytes, its key's and its stamp's strings: the entry, its list element and its map slot
// (about 160 bytes measured on amd64 with Go 1.26, a store of 100,000 values: counted
// generously).
const EntryOverhead = 256

// keep stores e, dropping the least recently used values while the total is over the
// bound; a value larger than the bound is not kept (it would push out every other).
func (s *Store) keep(e *entry) {
	if el, ok := s.entries[e.key]; ok {
		s.remove(el)
	}
	e.size += EntryOverhead + len(e.key.Page) + len(e.key.Variant) + len(e.stamp)
	if e.size > s.max {
		return
	}
	for s.bytes+e.size > s.max {
		s.remove(s.lru.Back())
	}
	s.entries[e.key] = s.lru.PushFront(e)
	s.bytes += e.size
}

func (s *Store) remove(el *list.Element) {
	e := s.lru.Remove(el).(*entry)
	delete(s.entries, e.key)
	s.bytes -= e.size
}

// Stats returns how many values the store keeps and the bytes they hold.
func (s *Store) Stats() (values, bytes int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lru.Len(), s.bytes
}

// Stamp returns the stamp key is kept at, and whether it is kept (for tests).
func (s *Store) Stamp(key Key) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	el, ok := s.entries[key]
	if !ok {
		return "", false
	}
	return el.Value.(*entry).stamp, true
}
