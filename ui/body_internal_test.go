package ui

import (
	"testing"

	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/ui/account"
)

// TestUploadGate: at most uploadsPerAccount large uploads per account (429) and
// uploadsInAll in all (503); a release frees its slot once, however often called.
func TestUploadGate(t *testing.T) {
	var g uploadGate
	var releases []func()
	for range uploadsPerAccount {
		r, err := g.acquire(1)
		if err != nil {
			t.Fatal(err)
		}
		releases = append(releases, r)
	}
	if _, err := g.acquire(1); relocation.ErrorCode(err) != account.ETOOMANY {
		t.Errorf("account 1's %d-th upload: %v, want too many", uploadsPerAccount+1, err)
	}
	for id := int64(2); len(releases) < uploadsInAll; id++ {
		r, err := g.acquire(id)
		if err != nil {
			t.Fatalf("upload %d in all: %v", len(releases)+1, err)
		}
		releases = append(releases, r)
	}
	if _, err := g.acquire(99); relocation.ErrorCode(err) != relocation.EUNAVAILABLE {
		t.Errorf("upload %d in all: %v, want unavailable", uploadsInAll+1, err)
	}
	releases[0]()
	releases[0]()
	if _, err := g.acquire(99); err != nil {
		t.Errorf("after a release: %v", err)
	}
	if _, err := g.acquire(98); err == nil {
		t.Errorf("a release called twice freed two slots")
	}
	releases[1]()
	if _, err := g.acquire(1); err != nil {
		t.Errorf("account 1 after its uploads ended: %v", err)
	}
}
