package relocation_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ministere/tracker/relocation"
)

// An action that writes must journal: Act refuses one that wrote without a journal
// entry and rolls it back.

// TestActRefusesAWriteWithoutJournal: a write with no journal entry fails and leaves the
// rows and the revision as they were.
func TestActRefusesAWriteWithoutJournal(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newActionEnv(t)
	before, rev := e.state(t, e.r.ID), e.revision(t, e.r.ID)
	var name string

	err := relocation.Act(ctx, e.db, tester, e.r.ID, func(tx *relocation.Tx) error {
		return tx.Write(ctx, `UPDATE relocations SET name = 'Renommé en douce', version = version + 1 WHERE id = $1`, tx.Relocation.ID)
	})
	if !errors.Is(err, relocation.ErrUnjournaled) {
		t.Fatalf("an action that wrote without journaling: err = %v, want ErrUnjournaled", err)
	}
	if after := e.state(t, e.r.ID); after != before {
		t.Errorf("the refused action changed something: %+v, was %+v", after, before)
	}
	if err := e.db.Get(&name, `SELECT name FROM relocations WHERE id = $1`, e.r.ID); err != nil || name != e.r.Name {
		t.Errorf("name = %q (%v), want %q: the write was not rolled back", name, err, e.r.Name)
	}
	if got := e.revision(t, e.r.ID); got != rev {
		t.Errorf("revision = %d, want %d kept", got, rev)
	}

	// The same write journaled goes through; one that only reads needs no journal.
	err = relocation.Act(ctx, e.db, tester, e.r.ID, func(tx *relocation.Tx) error {
		if err := tx.Write(ctx, `UPDATE relocations SET name = 'Renommé', version = version + 1 WHERE id = $1`, tx.Relocation.ID); err != nil {
			return err
		}
		return tx.Journal(ctx, relocation.EntityRelocation, tx.Relocation.ID, relocation.ActionUpdate,
			map[string]relocation.Change{"name": {Before: e.r.Name, After: "Renommé"}})
	})
	if err != nil {
		t.Fatalf("a journaled write: %v", err)
	}
	err = relocation.Act(ctx, e.db, tester, e.r.ID, func(tx *relocation.Tx) error {
		return tx.Get(ctx, &name, `SELECT name FROM relocations WHERE id = $1`, tx.Relocation.ID)
	})
	if err != nil || name != "Renommé" {
		t.Errorf("a read-only action: name %q, err %v", name, err)
	}
}
