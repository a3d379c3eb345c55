package criteria

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
)

// Score is the manual value of one criterion for one site, with its justification.
type Score struct {
	SiteID        int64     `db:"site_id" json:"site_id"`
	CriterionID   int64     `db:"criterion_id" json:"criterion_id"`
	Value         float64   `db:"value" json:"value"`
	Justification string    `db:"justification" json:"justification"`
	Version       int       `db:"version" json:"version"`
	UpdatedAt     time.Time `db:"updated_at" json:"updated_at"`
	UpdatedBy     string    `db:"updated_by" json:"updated_by"`
}

// Values of SetScore's ifVersion besides a version: AnyVersion accepts any stored
// version of an existing score (If-Match: *); NoVersion requires that there is no
// score yet (a form drawn over an empty cell).
const (
	AnyVersion = -1
	NoVersion  = -2
)

const scoreColumns = `site_id, criterion_id, value, justification, version, updated_at, updated_by`

// Scores returns the manual scores of a relocation's sites.
func (s *Store) Scores(ctx context.Context, relocationID int64) ([]Score, error) {
	out := []Score{}
	err := s.db.SelectContext(ctx, &out, `SELECT `+prefixed("sc", scoreColumns)+` FROM scores sc
		JOIN sites st ON st.id = sc.site_id WHERE st.relocation_id = $1 ORDER BY sc.site_id, sc.criterion_id`, relocationID)
	return out, relocation.DBError("criteria: scores", err, "")
}

// Score returns the manual value of a criterion for a site; ENOTFOUND when none was
// entered.
func (s *Store) Score(ctx context.Context, siteID, criterionID int64) (Score, error) {
	var out Score
	err := s.db.GetContext(ctx, &out, `SELECT `+scoreColumns+` FROM scores WHERE site_id = $1 AND criterion_id = $2`, siteID, criterionID)
	return out, relocation.DBError("criteria: score", err, "Aucune note n’a été saisie pour ce site sur ce critère.")
}

// SetScore enters the manual value of a criterion for a site. ENOTFOUND for an unknown
// site or criterion; EINVALID when they belong to different relocations, when the
// criterion is computed from the data, or when the value lies outside its scale;
// EPRECONDITION when ifVersion does not match (0: not checked; see AnyVersion and
// NoVersion). created
// reports a new score; entering the same value and justification changes nothing.
func (s *Store) SetScore(ctx context.Context, by relocation.Actor, siteID, criterionID int64, value float64, justification string, ifVersion int) (out Score, created bool, err error) {
	justification = strings.TrimSpace(justification)
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		var site sites.Site
		if err := tx.GetContext(ctx, &site, `SELECT id, relocation_id FROM sites WHERE id = $1 FOR SHARE`, siteID); err != nil {
			return relocation.DBError("criteria: score site", err, "Ce site n’existe pas.")
		}
		c, err := lock(ctx, tx, criterionID)
		if err != nil {
			return err
		}
		if err := scoreAllowed(site, c, value, justification); err != nil {
			return err
		}
		var cur Score
		err = tx.GetContext(ctx, &cur, `SELECT `+scoreColumns+` FROM scores WHERE site_id = $1 AND criterion_id = $2 FOR UPDATE`, siteID, criterionID)
		exists := err == nil
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return relocation.DBError("criteria: score", err, "")
		}
		switch {
		case ifVersion == NoVersion && exists, ifVersion > 0 && (!exists || cur.Version != ifVersion), ifVersion == AnyVersion && !exists:
			return relocation.StaleVersion(cur.Version)
		}
		if exists && cur.Value == value && cur.Justification == justification {
			out = cur
			return nil
		}
		err = tx.GetContext(ctx, &out, `INSERT INTO scores (site_id, criterion_id, value, justification, updated_by)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (site_id, criterion_id) DO UPDATE SET value = EXCLUDED.value,
				justification = EXCLUDED.justification, updated_by = EXCLUDED.updated_by,
				version = scores.version + 1, updated_at = now()
			RETURNING `+scoreColumns, siteID, criterionID, value, justification, by.Name)
		if err != nil {
			return relocation.DBError("criteria: set score", err, "")
		}
		created = !exists
		changes := relocation.Diff(scoreFields(cur, exists), scoreFields(out, true))
		changes["criterion_id"] = relocation.Change{Before: criterionID, After: criterionID}
		action := relocation.ActionUpdate
		if created {
			action = relocation.ActionCreate
		}
		return relocation.WriteJournal(ctx, tx, by, site.RelocationID, EntityScore, siteID, action, changes)
	})
	return out, created, err
}

// scoreAllowed checks a manual value against its site and criterion.
func scoreAllowed(site sites.Site, c Criterion, value float64, justification string) error {
	var fields []relocation.FieldError
	switch {
	case site.RelocationID != c.RelocationID:
		return relocation.Invalid(relocation.FieldError{Field: "criterion_id", Message: "ce critère n’appartient pas au projet de ce site"})
	case c.Source != SourceManual:
		return relocation.Invalid(relocation.FieldError{Field: "value", Message: "ce critère est calculé à partir des données : sa valeur ne se saisit pas"})
	case !(value >= c.ScaleMin && value <= c.ScaleMax): // also refuses NaN
		fields = append(fields, relocation.FieldError{Field: "value", Message: "doit être compris entre " +
			frenchNumber(c.ScaleMin) + " et " + frenchNumber(c.ScaleMax) + " (échelle du critère)"})
	}
	if justification == "" {
		fields = append(fields, relocation.FieldError{Field: "justification", Message: "champ obligatoire : dites d’où vient cette note"})
	}
	if len(fields) > 0 {
		return relocation.Invalid(fields...)
	}
	return nil
}

func scoreFields(s Score, exists bool) relocation.Fields {
	if !exists {
		return nil
	}
	return relocation.Fields{"value": s.Value, "justification": s.Justification}
}

// prefixed qualifies a column list with a table alias: "a, b" → "t.a, t.b".
func prefixed(alias, columns string) string {
	cols := strings.Split(columns, ",")
	for i, c := range cols {
		cols[i] = alias + "." + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}

// frenchNumber writes a scale bound with a decimal comma.
func frenchNumber(f float64) string {
	return strings.Replace(strconv.FormatFloat(f, 'f', -1, 64), ".", ",", 1)
}
