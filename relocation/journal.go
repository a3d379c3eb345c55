package relocation

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Journal actions.
const (
	ActionCreate = "create"
	ActionUpdate = "update"
	ActionDelete = "delete"
	ActionImport = "import"
)

// journalActions are the actions a journal entry records; the CHECK on journal.action
// allows the same (TestAllowedValuesMatchDatabase, in ui, compares them).
var journalActions = []string{ActionCreate, ActionUpdate, ActionDelete, ActionImport}

// JournalActions returns the actions a journal entry may record (a copy).
func JournalActions() []string { return slices.Clone(journalActions) }

// Change is one field's value before and after a change (nil when absent).
type Change struct {
	Before any `json:"before"`
	After  any `json:"after"`
}

// Entry is one line of a relocation's journal.
type Entry struct {
	ID           int64             `json:"-" db:"id"`
	At           time.Time         `json:"at" db:"at"`
	By           string            `json:"by" db:"by"`
	RelocationID int64             `json:"-" db:"relocation_id"`
	Entity       string            `json:"entity" db:"entity"`
	EntityID     int64             `json:"entity_id" db:"entity_id"`
	Action       string            `json:"action" db:"action"`
	Changes      map[string]Change `json:"changes" db:"-"`
	RawChanges   []byte            `json:"-" db:"changes"`
}

// Fields is an entity's editable fields by API name, with plain comparable values
// (string, float64, int, bool, int64 or nil), as the journal records them.
type Fields map[string]any

// Diff returns the fields whose values differ between before and after, a missing
// field counting as nil. A nil before (creation) or after (deletion) records every
// field of the other side that is not nil (empty strings included).
func Diff(before, after Fields) map[string]Change {
	out := map[string]Change{}
	for k, a := range after {
		if before[k] != a {
			out[k] = Change{Before: before[k], After: a}
		}
	}
	for k, b := range before {
		if _, seen := after[k]; !seen && b != nil {
			out[k] = Change{Before: b}
		}
	}
	return out
}

// EncodeChanges writes changes as the journal stores them: JSON, {} for none (the
// account audit stores its changes the same way).
func EncodeChanges(changes map[string]Change) (string, error) {
	if changes == nil {
		changes = map[string]Change{}
	}
	raw, err := json.Marshal(changes)
	return string(raw), err
}

// DecodeChanges reads changes as EncodeChanges wrote them.
func DecodeChanges(raw []byte) (map[string]Change, error) {
	var out map[string]Change
	err := json.Unmarshal(raw, &out)
	return out, err
}

// endWrite is a write an action left to the statement that ends it (Tx.writeAtEnd).
type endWrite struct {
	query string
	args  []any
}

// writeEnd ends tx, an action on relocation relocationID, in one statement: it runs the
// writes left to the end, records the journal entries and the public events in their
// orders (ids follow them), raises the relocation's revision and, when the public page
// changed, its public change time.
func writeEnd(ctx context.Context, q sqlx.ExtContext, by Actor, relocationID int64, tx *Tx) error {
	entries, events := tx.journal, tx.events
	entities, actions, changes := make([]string, len(entries)), make([]string, len(entries)), make([]string, len(entries))
	ids := make([]int64, len(entries))
	for i, e := range entries {
		raw, err := EncodeChanges(e.Changes)
		if err != nil {
			return fmt.Errorf("journal: encode: %w", err)
		}
		entities[i], ids[i], actions[i], changes[i] = e.Entity, e.EntityID, e.Action, raw
	}
	milestones, kinds, titles := make([]sql.NullInt64, len(events)), make([]string, len(events)), make([]string, len(events))
	froms, tos, reasons := make([]sql.NullString, len(events)), make([]sql.NullString, len(events)), make([]string, len(events))
	for i, e := range events {
		if e.MilestoneID != nil {
			milestones[i] = sql.NullInt64{Int64: *e.MilestoneID, Valid: true}
		}
		if e.From != nil {
			froms[i] = sql.NullString{String: *e.From, Valid: true}
		}
		if e.To != nil {
			tos[i] = sql.NullString{String: *e.To, Valid: true}
		}
		kinds[i], titles[i], reasons[i] = e.Kind, e.Title, e.Reason
	}
	args := []any{relocationID, by.Name, pq.Array(entities), pq.Array(ids), pq.Array(actions), pq.Array(changes),
		pq.Array(milestones), pq.Array(kinds), pq.Array(titles), pq.Array(froms), pq.Array(tos), pq.Array(reasons), tx.touched}
	base := len(args)
	var key strings.Builder // the writes left to the end and their numbers of arguments
	for _, w := range tx.atEnd {
		fmt.Fprintf(&key, "%s\x00%d\x00", w.query, len(w.args))
		args = append(args, w.args...)
	}
	query, err := endStatement(key.String(), tx.atEnd, base)
	if err != nil {
		return err
	}
	var written []int64
	err = q.QueryRowxContext(ctx, query, args...).Scan(pq.Array(&written))
	if err != nil {
		return DBError("journal: write", err, "")
	}
	for _, n := range written {
		if n == 0 { // another part of the statement changed its row: PostgreSQL kept one change
			return errEndWrite
		}
	}
	return nil
}

// endStatements holds the text of each end statement, by the writes it leaves to the end
// (the same ones at every milestone update, say): made once, not at every action.
var endStatements sync.Map // key → string

// endStatement returns the statement that ends an action with the writes left to it
// (key names them; their parameters follow the base first ones), its journal lines, its
// public events and its revision.
func endStatement(key string, atEnd []endWrite, base int) (string, error) {
	if q, ok := endStatements.Load(key); ok {
		return q.(string), nil
	}
	var writes strings.Builder
	counts := []string{}
	params := base
	for i, w := range atEnd {
		if touchesRelocations.MatchString(w.query) {
			return "", errEndWrite
		}
		fmt.Fprintf(&writes, "written_%d AS (%s RETURNING 1),\n\t\t", i+1, shiftParams(w.query, params))
		counts = append(counts, fmt.Sprintf("(SELECT count(*) FROM written_%d)", i+1))
		params += len(w.args)
	}
	q := `WITH ` + writes.String() + `journal_lines AS (
			INSERT INTO journal (by, relocation_id, entity, entity_id, action, changes)
			SELECT $2, $1, e, i, a, c::jsonb FROM unnest($3::text[], $4::bigint[], $5::text[], $6::text[])
				WITH ORDINALITY AS t(e, i, a, c, n) ORDER BY n),
		events AS (
			INSERT INTO public_events (relocation_id, milestone_id, kind, title, from_value, to_value, reason)
			SELECT $1, m, k, ti, f, tv, rs FROM unnest($7::bigint[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
				WITH ORDINALITY AS t(m, k, ti, f, tv, rs, n) ORDER BY n)
		UPDATE relocations SET revision = revision + 1,
			public_changed_at = CASE WHEN $13 THEN ` + raisePublicStamp + ` ELSE public_changed_at END
		WHERE id = $1 RETURNING ARRAY[` + strings.Join(counts, ", ") + `]::bigint[]`
	endStatements.Store(key, q)
	return q, nil
}

// touchesRelocations matches a statement that changes the relocations table.
var touchesRelocations = regexp.MustCompile(`(?i)\b(UPDATE|INTO|FROM)\s+relocations\b`)

// errEndWrite is the internal error of a write left to the end that changed no row (its
// row was gone, or changed by another part of the end statement: one statement cannot
// change a row twice) or that would change the relocations row, which the end statement
// changes.
var errEndWrite = errors.New("relocation: a write left to the end of an action changed no row, or the relocations row")

// shiftParams returns query with each parameter $n renamed $(n+by), outside quoted
// literals and identifiers (for a query joining a larger statement's).
func shiftParams(query string, by int) string {
	var b strings.Builder
	var quote byte
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '$' && i+1 < len(query) && query[i+1] >= '0' && query[i+1] <= '9':
			j := i + 1
			for j < len(query) && query[j] >= '0' && query[j] <= '9' {
				j++
			}
			n, _ := strconv.Atoi(query[i+1 : j])
			fmt.Fprintf(&b, "$%d", n+by)
			i = j - 1
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// Journal returns a relocation's journal, newest first, limit entries from offset.
func (s *Store) Journal(ctx context.Context, relocationID int64, limit, offset int) ([]Entry, error) {
	return s.journal(ctx, `WHERE relocation_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3`, relocationID, limit, offset)
}

// FieldChanges returns, newest first, the journal entries of a relocation in which an
// entity of this kind changed field (every status change of its sites, say).
func (s *Store) FieldChanges(ctx context.Context, relocationID int64, entity, field string) ([]Entry, error) {
	return s.journal(ctx, `WHERE relocation_id = $1 AND entity = $2 AND changes -> $3 IS NOT NULL ORDER BY id DESC`,
		relocationID, entity, field)
}

func (s *Store) journal(ctx context.Context, where string, args ...any) ([]Entry, error) {
	var entries []Entry
	err := sqlx.SelectContext(ctx, s.q, &entries, `SELECT id, at, by, relocation_id, entity, entity_id, action, changes
		FROM journal `+where, args...)
	if err != nil {
		return nil, DBError("journal: list", err, "")
	}
	for i := range entries {
		if entries[i].Changes, err = DecodeChanges(entries[i].RawChanges); err != nil {
			return nil, fmt.Errorf("journal: decode %d: %w", entries[i].ID, err)
		}
	}
	return entries, nil
}

// LastChange returns the newest journal entry of one entity; ENOTFOUND when none.
func (s *Store) LastChange(ctx context.Context, entity string, entityID int64) (Entry, error) {
	var e Entry
	err := sqlx.GetContext(ctx, s.q, &e, `SELECT id, at, by, relocation_id, entity, entity_id, action, changes
		FROM journal WHERE entity = $1 AND entity_id = $2 ORDER BY id DESC LIMIT 1`, entity, entityID)
	if err != nil {
		return e, DBError("journal: last change", err, "Aucune modification enregistrée.")
	}
	e.Changes, err = DecodeChanges(e.RawChanges)
	return e, err
}

// JournalCount returns how many entries a relocation's journal holds.
func (s *Store) JournalCount(ctx context.Context, relocationID int64) (int, error) {
	var n int
	err := sqlx.GetContext(ctx, s.q, &n, `SELECT count(*) FROM journal WHERE relocation_id = $1`, relocationID)
	return n, DBError("journal: count", err, "")
}
