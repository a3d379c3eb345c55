package criteria

import (
	"context"
	"errors"
	"fmt"
	"slices"
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

// GridScoreField names the form field of a value ("value"), justification or version
// of site siteID on criterion criterionID in the whole grid's form and in
// SetGridScores's refusals: "value_3_12".
func GridScoreField(field string, siteID, criterionID int64) string {
	return fmt.Sprintf("%s_%d_%d", field, siteID, criterionID)
}

// SetGridScores enters the manual values of several sites of relocation relocationID in
// one action: the score grid's one form, so that nothing typed for one site is lost
// when another's is saved. input runs under lock and returns the entries by site id;
// all or nothing. An entry left empty (no value, no justification) over an empty cell is
// skipped; an entry identical to the stored score changes nothing. Refusals, all fields
// at once: EPRECONDITION when any stored score changed since the form was drawn (nothing
// is saved), then EINVALID naming every refused field by GridScoreField (unreadable or
// missing value, value outside the criterion's scale, blank or unclean justification,
// criterion computed or of another relocation). A site of another relocation is
// ENOTFOUND. It returns how many scores changed. Errors: see relocation.Act; input's.
func (s *Store) SetGridScores(ctx context.Context, by relocation.Actor, relocationID int64, input func() (map[int64][]ScoreInput, error)) (int, error) {
	changed := 0
	err := relocation.Act(ctx, s.db, by, relocationID, func(tx *relocation.Tx) error {
		var all []sites.Site
		err := tx.Select(ctx, &all, `SELECT id, relocation_id, name, status FROM sites WHERE relocation_id = $1 ORDER BY id`, relocationID)
		if err != nil {
			return relocation.DBError("criteria: grid sites", err, "")
		}
		changed, err = setScores(ctx, tx, all, input, GridScoreField)
		return err
	})
	return changed, err
}

// setScores checks and writes, under the action's lock, the entries input returns for
// some of siteList (the relocation's sites): versions first (a stale entry saves
// nothing), then every value, refused fields named by name; then one write per site
// that changes. It returns how many scores changed.
func setScores(ctx context.Context, tx *relocation.Tx, siteList []sites.Site, input func() (map[int64][]ScoreInput, error), name func(field string, siteID, criterionID int64) string) (int, error) {
	var cs []Criterion
	if err := tx.Select(ctx, &cs, `SELECT `+criterionColumns+` FROM criteria WHERE relocation_id = $1`, tx.Relocation.ID); err != nil {
		return 0, relocation.DBError("criteria: site scores grid", err, "")
	}
	byID := map[int64]Criterion{}
	for _, c := range cs {
		byID[c.ID] = c
	}
	siteByID := map[int64]sites.Site{}
	ids := make([]int64, len(siteList))
	for i, site := range siteList {
		siteByID[site.ID], ids[i] = site, site.ID
	}
	var stored []Score
	if err := tx.Select(ctx, &stored, `SELECT `+scoreColumns+` FROM scores WHERE site_id = ANY($1)`, pq.Array(ids)); err != nil {
		return 0, relocation.DBError("criteria: site scores", err, "")
	}
	current := map[int64]map[int64]Score{}
	for _, sc := range stored {
		if current[sc.SiteID] == nil {
			current[sc.SiteID] = map[int64]Score{}
		}
		current[sc.SiteID][sc.CriterionID] = sc
	}
	entries, err := input()
	if err != nil {
		return 0, err
	}
	order := make([]int64, 0, len(entries))
	for siteID := range entries {
		if _, ok := siteByID[siteID]; !ok {
			return 0, relocation.Errorf(relocation.ENOTFOUND, "%s", sites.NotFound)
		}
		order = append(order, siteID)
	}
	slices.Sort(order)
	for _, siteID := range order { // versions first: a stale form saves nothing
		for _, in := range entries[siteID] {
			cur, exists := current[siteID][in.CriterionID]
			if err := in.Pre.CheckVersion(cur.Version, exists); err != nil {
				return 0, err
			}
		}
	}
	var refused []relocation.FieldError
	var writes []scoreWrite // site by site, in the form's order
	for _, siteID := range order {
		for _, in := range entries[siteID] {
			w, fields := checkScoreInput(siteByID[siteID], byID, current[siteID], in)
			for _, f := range fields {
				refused = append(refused, relocation.FieldError{Field: name(f.Field, siteID, in.CriterionID), Message: f.Message})
			}
			if w != nil && len(fields) == 0 {
				w.siteID = siteID
				writes = append(writes, *w)
			}
		}
	}
	if len(refused) > 0 {
		return 0, relocation.Invalid(refused...)
	}
	if len(writes) == 0 {
		return 0, nil
	}
	if _, err := writeScores(ctx, tx, writes); err != nil {
		return 0, err
	}
	return len(writes), nil
}

// scoreWrite is a score to store: the site and the criterion, the score as stored now
// (exists says whether there is one), and the new value and justification.
type scoreWrite struct {
	siteID        int64
	criterionID   int64
	cur           Score
	exists        bool
	value         float64
	justification string
}

// checkScoreInput checks one entry of a site's score form: the score to write (nil
// when the entry changes nothing) and the refused fields, named "value" or "justification".
func checkScoreInput(site sites.Site, byID map[int64]Criterion, current map[int64]Score, in ScoreInput) (*scoreWrite, []relocation.FieldError) {
	valueField, reasonField := "value", "justification"
	c, known := byID[in.CriterionID]
	if !known {
		return nil, []relocation.FieldError{{Field: valueField, Message: "ce critère n’appartient pas au projet de ce site"}}
	}
	cur, exists := current[in.CriterionID]
	justification, err := relocation.CleanText(in.Justification)
	if err != nil {
		return nil, []relocation.FieldError{{Field: reasonField, Message: err.Error()}}
	}
	justification = strings.TrimSpace(justification)
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

// writeScores stores manual values (of one or more sites) in one statement and journals
// each (entity score, the site's id, the criterion in changes.criterion_id); it returns
// the scores as stored, in the order of ws.
func writeScores(ctx context.Context, tx *relocation.Tx, ws []scoreWrite) ([]Score, error) {
	sites, criteria := make([]int64, len(ws)), make([]int64, len(ws))
	values, reasons := make([]float64, len(ws)), make([]string, len(ws))
	for i, w := range ws {
		sites[i], criteria[i], values[i], reasons[i] = w.siteID, w.criterionID, w.value, w.justification
	}
	var stored []Score
	err := tx.WriteSelect(ctx, &stored, `INSERT INTO scores (site_id, criterion_id, value, justification, updated_by)
		SELECT s, c, v, j, $5 FROM unnest($1::bigint[], $2::bigint[], $3::float8[], $4::text[]) AS t(s, c, v, j)
		ON CONFLICT (site_id, criterion_id) DO UPDATE SET value = EXCLUDED.value,
			justification = EXCLUDED.justification, updated_by = EXCLUDED.updated_by,
			version = scores.version + 1, updated_at = now()
		RETURNING `+scoreColumns, pq.Array(sites), pq.Array(criteria), pq.Array(values), pq.Array(reasons), tx.By.Name)
	if err != nil {
		return nil, relocation.DBError("criteria: set scores", err, "")
	}
	byCell := map[[2]int64]Score{}
	for _, sc := range stored {
		byCell[[2]int64{sc.SiteID, sc.CriterionID}] = sc
	}
	out := make([]Score, len(ws))
	entries := make([]relocation.JournalEntry, len(ws))
	for i, w := range ws {
		out[i] = byCell[[2]int64{w.siteID, w.criterionID}]
		changes := relocation.Diff(scoreFields(w.cur, w.exists), scoreFields(out[i], true))
		changes["criterion_id"] = relocation.Change{Before: w.criterionID, After: w.criterionID}
		action := relocation.ActionUpdate
		if !w.exists {
			action = relocation.ActionCreate
		}
		entries[i] = relocation.JournalEntry{Entity: EntityScore, EntityID: w.siteID, Action: action, Changes: changes}
	}
	return out, tx.JournalAll(ctx, entries)
}
