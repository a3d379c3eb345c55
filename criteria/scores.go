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

const scoreColumns = `site_id, criterion_id, value, justification, version, updated_at, updated_by`

// Scores returns the manual scores of a relocation's sites.
func (s *Store) Scores(ctx context.Context, relocationID int64) ([]Score, error) {
	out := []Score{}
	err := sqlx.SelectContext(ctx, s.q, &out, `SELECT `+relocation.Qualified("sc", scoreColumns)+` FROM scores sc
		JOIN sites st ON st.id = sc.site_id WHERE st.relocation_id = $1 ORDER BY sc.site_id, sc.criterion_id`, relocationID)
	return out, relocation.DBError("criteria: scores", err, "")
}

// Score returns the manual value of a criterion for a site; ENOTFOUND when none was
// entered.
func (s *Store) Score(ctx context.Context, siteID, criterionID int64) (Score, error) {
	var out Score
	err := sqlx.GetContext(ctx, s.q, &out, `SELECT `+scoreColumns+` FROM scores WHERE site_id = $1 AND criterion_id = $2`, siteID, criterionID)
	return out, relocation.DBError("criteria: score", err, "Aucune note n’a été saisie pour ce site sur ce critère.")
}

// scoreIn reads the score of a cell inside an action; exists is false when none was
// entered.
func scoreIn(ctx context.Context, tx *relocation.Tx, siteID, criterionID int64) (sc Score, exists bool, err error) {
	err = tx.Get(ctx, &sc, `SELECT `+scoreColumns+` FROM scores WHERE site_id = $1 AND criterion_id = $2`, siteID, criterionID)
	if errors.Is(err, sql.ErrNoRows) {
		return sc, false, nil
	}
	return sc, err == nil, relocation.DBError("criteria: score", err, "")
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

// frenchNumber writes a scale bound with a decimal comma.
func frenchNumber(f float64) string {
	return strings.Replace(strconv.FormatFloat(f, 'f', -1, 64), ".", ",", 1)
}
