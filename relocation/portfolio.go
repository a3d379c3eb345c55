package relocation

import (
	"context"

	"github.com/jmoiron/sqlx"
)

// PortfolioRow is one relocation of the portfolio with what it shows beside it: its next
// milestone not done (in planned order; NextTitle empty when none) and its worst slip.
type PortfolioRow struct {
	Relocation
	NextTitle   string    `db:"next_title"`
	NextPlanned FuzzyDate `db:"next_planned"`
	Slip        int       `db:"slip"`     // the largest slip in days among the milestones not done (0 when none slipped)
	Total       int       `db:"total"`    // how many relocations the filter selects, on every row
	MovedOn     *Date     `db:"moved_on"` // when the move milestone was done (then pages say « déménagé le … »)
}

// Portfolio returns one page of the relocations (by name), those of status only when
// status is not empty, with their next milestone and worst slip, computed in PostgreSQL:
// one statement, whatever the number of relocations and milestones.
func (s *Store) Portfolio(ctx context.Context, status string, limit, offset int) ([]PortfolioRow, error) {
	out := []PortfolioRow{}
	err := sqlx.SelectContext(ctx, s.q, &out, `SELECT `+Qualified("r", relocationColumns)+`,
			coalesce(n.title, '') AS next_title, n.planned AS next_planned,
			greatest(0, coalesce((SELECT max(m.planned_end - m.baseline_end) FROM milestones m
				WHERE m.relocation_id = r.id AND m.actual IS NULL), 0)) AS slip,
			count(*) OVER () AS total,
			(SELECT mv.actual FROM milestones mv WHERE mv.relocation_id = r.id AND mv.kind = 'move') AS moved_on
		FROM relocations r
		LEFT JOIN LATERAL (SELECT title, planned FROM milestones m WHERE m.relocation_id = r.id AND m.actual IS NULL
			ORDER BY planned_start, planned_end, id LIMIT 1) n ON true
		WHERE $1 = '' OR r.status = $1
		ORDER BY r.name, r.id LIMIT $2 OFFSET $3`, status, limit, offset)
	return out, DBError("relocation: portfolio", err, "")
}
