package ui

import (
	"context"
	"testing"
	"time"

	"github.com/ministere/tracker/criteria"
	"github.com/ministere/tracker/migrations/dbtest"
	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
	"github.com/ministere/tracker/ui/account"
)

// goLists are the accessors of the Go allowed-values lists, by the "table.column" whose
// CHECK repeats the list.
var goLists = map[string]func() []string{
	"relocations.status":        relocation.Statuses,
	"relocations.visibility":    relocation.Visibilities,
	"milestones.kind":           relocation.MilestoneKinds,
	"journal.action":            relocation.JournalActions,
	"sites.kind":                sites.Kinds,
	"sites.status":              sites.Statuses,
	"criteria.direction":        criteria.Directions,
	"criteria.source":           criteria.Sources,
	"users.role":                account.Roles,
	"account_audit.action":      account.AuditActions,
	"public_events.kind":        relocation.EventKinds,
	"written_questions.chamber": relocation.Chambers,
}

// TestAllowedValuesMatchDatabase: every `CHECK (col IN (...))` of the migrated schema allows
// exactly what the Go list of that column allows, and no such CHECK lacks a Go list.
func TestAllowedValuesMatchDatabase(t *testing.T) {
	t.Parallel()
	db := dbtest.Open(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	lists, err := dbtest.InLists(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	for col, list := range goLists {
		goValues := list()
		dbValues, ok := lists[col]
		if !ok {
			t.Errorf("%s: the database has no CHECK (… IN (…)) for it; Go allows %q", col, goValues)
			continue
		}
		if err := dbtest.DiffValues(col, dbValues, goValues); err != nil {
			t.Error(err)
		}
	}
	for col, dbValues := range lists {
		if _, ok := goLists[col]; !ok {
			t.Errorf("%s: the database CHECK allows %q but no Go list is compared with it here", col, dbValues)
		}
	}
}

// TestAccessorsReturnCopies: a caller changing the list it got changes no one else's.
func TestAccessorsReturnCopies(t *testing.T) {
	for col, list := range goLists {
		got := list()
		if len(got) == 0 {
			t.Fatalf("%s: empty list", col)
		}
		first := got[0]
		got[0] = "changed"
		if list()[0] != first {
			t.Errorf("%s: the accessor hands out its own slice", col)
		}
	}
}
