package relocation_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ministere/tracker/relocation"
)

// TestReadMethodsRefuseWrites: an action cannot change rows through Get, Select or Query
// (only the write methods make it raise its relocation's revision); locking reads pass.
func TestReadMethodsRefuseWrites(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newActionEnv(t)
	rev := e.revision(t, e.r.ID)
	err := relocation.Act(ctx, e.db, tester, e.r.ID, func(tx *relocation.Tx) error {
		var n int
		if err := tx.Get(ctx, &n, `SELECT count(*) FROM milestones WHERE relocation_id = $1`, e.r.ID); err != nil {
			t.Errorf("a read: %v", err)
		}
		var ids []int64
		if err := tx.Select(ctx, &ids, `WITH m AS (SELECT id FROM milestones WHERE relocation_id = $1 FOR UPDATE) SELECT id FROM m`, e.r.ID); err != nil {
			t.Errorf("a locking read: %v", err)
		}
		for _, q := range []string{
			`UPDATE relocations SET name = 'x' WHERE id = $1 RETURNING version`,
			"\n\tUPDATE\n\t\trelocations SET name = 'x' WHERE id = $1 RETURNING version",
			"DELETE\tFROM journal WHERE relocation_id = $1 RETURNING 1",
			`  insert into journal (by, relocation_id, entity, entity_id, action) values ('x', $1, 'x', 1, 'create') returning id`,
			`WITH d AS (DELETE FROM milestones WHERE relocation_id = $1 RETURNING id) SELECT count(*) FROM d`,
			`WITH u AS (UPDATE relocations r SET name = 'y' WHERE id = $1 RETURNING 1) SELECT count(*) FROM u`,
		} {
			if err := tx.Get(ctx, &n, q, e.r.ID); !errors.Is(err, relocation.ErrWriteInRead) {
				t.Errorf("Get(%q) = %v, want ErrWriteInRead", q, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := e.revision(t, e.r.ID); got != rev {
		t.Errorf("revision %d after an action that changed nothing, want %d", got, rev)
	}
}
