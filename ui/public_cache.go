package ui

import (
	"sync"
)

// publicCache keeps the last answer of each public page, calendar and feed as sent to
// visitors without an account, under the key of what it was drawn from (the
// relocation's public change time, and today for pages). Every request reads that key
// from PostgreSQL first, so an instance never serves a stale answer and several instances
// agree; a change makes a new key, and the entry is replaced on the next request. It
// holds one entry per relocation and kind: its size follows the number of public
// relocations.
type publicCache struct {
	mu      sync.RWMutex
	entries map[publicKey]cachedAnswer
}

type publicKey struct {
	kind         string // "page", "calendar", "feed"
	relocationID int64
}

type cachedAnswer struct {
	stamp string // what the answer was drawn from
	body  []byte
}

func newPublicCache() *publicCache { return &publicCache{entries: map[publicKey]cachedAnswer{}} }

// get returns the answer of kind for relocation id drawn from stamp, if kept.
func (pc *publicCache) get(kind string, id int64, stamp string) ([]byte, bool) {
	pc.mu.RLock()
	defer pc.mu.RUnlock()
	a, ok := pc.entries[publicKey{kind, id}]
	if !ok || a.stamp != stamp {
		return nil, false
	}
	return a.body, true
}

// put keeps the answer of kind for relocation id drawn from stamp.
func (pc *publicCache) put(kind string, id int64, stamp string, body []byte) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	pc.entries[publicKey{kind, id}] = cachedAnswer{stamp: stamp, body: body}
}
