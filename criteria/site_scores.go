package criteria

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/lib/pq"

	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
)

// ScoreInput is one manual value of a site's score form: the criterion, the
// precondition on its stored score (NoneYet when the form was drawn over an empty
// cell), the value typed (nil when the field was left empty), its justification, and
// Unreadable, the message to show when what was typed could not be read as a number.
type ScoreInput struct {
	CriterionID   int64
	Pre           relocation.Precondition
	Value         *float64
	Justification string
	Unreadable    string
}

// ScoreField names the form field of criterion criterionID's value ("value") or
// justification ("justification") in SetSiteScores's refusals: "value_12".
func ScoreField(field string, criterionID int64) string {
	return fmt.Sprintf("%s_%d", field, criterionID)
}

// SetSiteScores enters several manual values of site siteID in one action (one
// transaction, one lock of its relocation), each journaled as SetScore journals one.
// input runs under lock and returns the values; an entry left empty (no value, no
// justification) over an empty cell is skipped; an entry identical to the stored score
// changes nothing. It returns how many scores changed. Refusals come in SetScore's
// order, all fields at once: EPRECONDITION when any stored score changed since the form
// was drawn (nothing is saved), then EINVALID naming every refused field by ScoreField
// (unreadable or missing value, value outside the criterion's scale, blank
// justification, criterion computed or of another relocation). Errors: ENOTFOUND
// (site); see relocation.Act; input's.
func (s *Store) SetSiteScores(ctx context.Context, by relocation.Actor, siteID int64, input func() ([]ScoreInput, error)) (int, error) {
	relocationID, err := relocation.OwnerOf(ctx, s.db, "sites", siteID, "Ce site n’existe pas.")
	if err != nil {
		return 0, err
	}
	changed := 0
	err = relocation.Act(ctx, s.db, by, relocationID, func(tx *relocation.Tx) error {
		changed = 0
		site, err := sites.SiteIn(ctx, tx, siteID)
		if err != nil {
			return err
		}
		var cs []Criterion
		if err := tx.Select(ctx, &cs, `SELECT `+criterionColumns+` FROM criteria WHERE relocation_id = $1`, relocationID); err != nil {
			return relocation.DBError("criteria: site scores grid", err, "")
		}
		byID := map[int64]Criterion{}
		for _, c := range cs {
			byID[c.ID] = c
		}
		var stored []Score
		if err := tx.Select(ctx, &stored, `SELECT `+scoreColumns+` FROM scores WHERE site_id = $1`, siteID); err != nil {
			return relocation.DBError("criteria: site scores", err, "")
		}
		current := map[int64]Score{}
		for _, sc := range stored {
			current[sc.CriterionID] = sc
		}
		entries, err := input()
		if err != nil {
			return err
		}
		for _, in := range entries { // versions first: a stale form saves nothing
			cur, exists := current[in.CriterionID]
			if err := in.Pre.CheckVersion(cur.Version, exists); err != nil {
				return err
			}
		}
		var refused []relocation.FieldError
		var writes []scoreWrite
		for _, in := range entries {
			w, fields := checkScoreInput(site, byID, current, in)
			refused = append(refused, fields...)
			if w != nil && len(fields) == 0 {
				writes = append(writes, *w)
			}
		}
		if len(refused) > 0 {
			return relocation.Invalid(refused...)
		}
		if len(writes) == 0 {
			return nil
		}
		if _, err := writeScores(ctx, tx, siteID, writes); err != nil {
			return err
		}
		changed = len(writes)
		return nil
	})
	return changed, err
}

// scoreWrite is a score to store: the criterion, the score as stored now (exists says
// whether there is one), and the new value and justification.
type scoreWrite struct {
	criterionID   int64
	cur           Score
	exists        bool
	value         float64
	justification string
}

// checkScoreInput checks one entry of a site's score form: the score to write (nil
// when the entry changes nothing) and the refused fields, named by ScoreField.
func checkScoreInput(site sites.Site, byID map[int64]Criterion, current map[int64]Score, in ScoreInput) (*scoreWrite, []relocation.FieldError) {
	valueField, reasonField := ScoreField("value", in.CriterionID), ScoreField("justification", in.CriterionID)
	c, known := byID[in.CriterionID]
	if !known {
		return nil, []relocation.FieldError{{Field: valueField, Message: "ce critère n’appartient pas au projet de ce site"}}
	}
	cur, exists := current[in.CriterionID]
	justification := strings.TrimSpace(in.Justification)
	switch {
	case in.Unreadable != "":
		return nil, []relocation.FieldError{{Field: valueField, Message: in.Unreadable}}
	case in.Value == nil && justification == "" && !exists:
		return nil, nil // a cell left empty
	case in.Value == nil:
		msg := "champ obligatoire : saisissez la note"
		if exists {
			msg = "champ obligatoire : une note enregistrée se corrige mais ne s’efface pas"
		}
		return nil, []relocation.FieldError{{Field: valueField, Message: msg}}
	}
	if err := scoreAllowed(site, c, *in.Value, justification); err != nil {
		var out []relocation.FieldError
		var e *relocation.Error
		errors.As(err, &e)
		for _, f := range e.Fields {
			name := valueField
			if f.Field == "justification" {
				name = reasonField
			}
			out = append(out, relocation.FieldError{Field: name, Message: f.Message})
		}
		return nil, out
	}
	if exists && cur.Value == *in.Value && cur.Justification == justification {
		return nil, nil
	}
	return &scoreWrite{criterionID: in.CriterionID, cur: cur, exists: exists, value: *in.Value, justification: justification}, nil
}

// writeScores stores manual values of site siteID in one statement and journals each
// (entity score, the site's id, the criterion in changes.criterion_id) in another; it
// returns the scores as stored, in the order of ws.
func writeScores(ctx context.Context, tx *relocation.Tx, siteID int64, ws []scoreWrite) ([]Score, error) {
	criteria, values, reasons := make([]int64, len(ws)), make([]float64, len(ws)), make([]string, len(ws))
	for i, w := range ws {
		criteria[i], values[i], reasons[i] = w.criterionID, w.value, w.justification
	}
	var stored []Score
	err := tx.WriteSelect(ctx, &stored, `INSERT INTO scores (site_id, criterion_id, value, justification, updated_by)
		SELECT $1, c, v, j, $5 FROM unnest($2::bigint[], $3::float8[], $4::text[]) AS t(c, v, j)
		ON CONFLICT (site_id, criterion_id) DO UPDATE SET value = EXCLUDED.value,
			justification = EXCLUDED.justification, updated_by = EXCLUDED.updated_by,
			version = scores.version + 1, updated_at = now()
		RETURNING `+scoreColumns, siteID, pq.Array(criteria), pq.Array(values), pq.Array(reasons), tx.By.Name)
	if err != nil {
		return nil, relocation.DBError("criteria: set scores", err, "")
	}
	byCriterion := map[int64]Score{}
	for _, sc := range stored {
		byCriterion[sc.CriterionID] = sc
	}
	out := make([]Score, len(ws))
	entries := make([]relocation.JournalEntry, len(ws))
	for i, w := range ws {
		out[i] = byCriterion[w.criterionID]
		changes := relocation.Diff(scoreFields(w.cur, w.exists), scoreFields(out[i], true))
		changes["criterion_id"] = relocation.Change{Before: w.criterionID, After: w.criterionID}
		action := relocation.ActionUpdate
		if !w.exists {
			action = relocation.ActionCreate
		}
		entries[i] = relocation.JournalEntry{Entity: EntityScore, EntityID: siteID, Action: action, Changes: changes}
	}
	return out, tx.JournalAll(ctx, entries)
}
