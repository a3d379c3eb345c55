package relocation

import (
	"context"
	"slices"
	"strings"
	"unicode"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// PortfolioRow is one relocation of the portfolio with what it shows beside it: its next
// milestone not done (in planned order; NextTitle empty when none) and its worst slip.
type PortfolioRow struct {
	Relocation
	NextID      int64     `db:"next_id"` // 0 when none
	NextTitle   string    `db:"next_title"`
	NextPlanned FuzzyDate `db:"next_planned"`
	Slip        int       `db:"slip"`     // the largest slip in days among the milestones not done (0 when none slipped)
	Total       int       `db:"total"`    // how many relocations the filter selects, on every row
	MovedOn     *Date     `db:"moved_on"` // when the move milestone was done (then pages say « déménagé le … »)
}

// PortfolioFilter selects relocations of the portfolio; its zero value selects them all.
type PortfolioFilter struct {
	Status string // only this status ("" for all)
	// Search keeps the relocations where every word of it is found, ignoring case and
	// accents, in the name, the public page address, the body (acronym and name), the
	// origin, the destination, the decision, the commune of one of its sites or the
	// ministries of its written questions: « mont » finds Montreuil.
	Search string
	// Late keeps the relocations whose next milestone not done ended before Today.
	Late  bool
	Today Date
	// ManagedBy keeps the relocations assigned to this account (0 for all).
	ManagedBy int64
}

// foldPairs maps each accented letter (either case) to its lower-case base letter: the
// one table both foldSearch (in Go) and searchFolded (in SQL) follow, so that they agree
// whatever the database's locale (PostgreSQL's unaccent is an extension this program
// does not require).
var foldPairs = func() map[rune]rune {
	const lower, base = "àáâãäåāçćčèéêëēėęìíîïīñòóôõöøōùúûüūýÿžšœæźżł", "aaaaaaaccceeeeeeeiiiiinooooooouuuuuyyzsoazzl"
	m := map[rune]rune{}
	bases := []rune(base)
	if len(bases) != len([]rune(lower)) {
		panic("relocation: foldPairs: the two alphabets differ in length")
	}
	for i, r := range []rune(lower) {
		m[r], m[unicode.ToUpper(r)] = bases[i], bases[i]
	}
	return m
}()

// searchFolded is the SQL expression, around a %s, that folds a text as foldSearch
// folds a word: accents off (translate, with foldPairs), then lower-cased.
var searchFolded = func() string {
	var from, to strings.Builder
	keys := make([]rune, 0, len(foldPairs))
	for r := range foldPairs {
		keys = append(keys, r)
	}
	slices.Sort(keys)
	for _, r := range keys {
		from.WriteRune(r)
		to.WriteRune(foldPairs[r])
	}
	return "lower(translate(%s, '" + from.String() + "', '" + to.String() + "'))"
}()

// foldSearch splits a search into words, lower-cased and without accents (as
// searchFolded folds the texts searched), with LIKE's wildcards escaped.
func foldSearch(q string) []string {
	var words []string
	for _, w := range strings.Fields(q) {
		var b strings.Builder
		for _, r := range strings.ToLower(w) {
			if base, ok := foldPairs[r]; ok {
				r = base
			}
			switch {
			case unicode.Is(unicode.Mn, r): // a combining accent
				continue
			case r == '\\' || r == '%' || r == '_':
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		}
		if b.Len() > 0 {
			words = append(words, b.String())
		}
	}
	return words
}

// NextOverdue reports whether the relocation's next milestone is late today (Overdue).
func (r PortfolioRow) NextOverdue(today Date) bool {
	return r.NextTitle != "" && Overdue(r.NextPlanned, today)
}

// portfolioQuery is the statement of Portfolio, built once. Its next milestone is the
// first not done in milestoneOrder (the order of Milestones, which NextMilestone reads),
// and it is late when its planned end is before today, as Overdue says
// (TestNextMilestoneAgreesWithGo holds both).
var portfolioQuery = `SELECT ` + Qualified("r", relocationColumns) + `,
			coalesce(n.id, 0) AS next_id, coalesce(n.title, '') AS next_title, n.planned AS next_planned,
			greatest(0, coalesce((SELECT max(m.planned_end - m.baseline_end) FROM milestones m
				WHERE m.relocation_id = r.id AND m.actual IS NULL), 0)) AS slip,
			count(*) OVER () AS total,
			(SELECT mv.actual FROM milestones mv WHERE mv.relocation_id = r.id AND mv.kind = '` + KindMove + `') AS moved_on
		FROM relocations r
		LEFT JOIN LATERAL (SELECT id, title, planned, planned_end FROM milestones m WHERE m.relocation_id = r.id AND m.actual IS NULL` +
	milestoneOrder + ` LIMIT 1) n ON true
		WHERE ($1 = '' OR r.status = $1)
		  AND (cardinality($4::text[]) = 0 OR NOT EXISTS (SELECT 1 FROM unnest($4::text[]) w
				WHERE ` + strings.Replace(searchFolded, "%s", `concat_ws(' ', r.name, r.slug, r.body, r.body_name, r.origin,
			r.destination, r.decision, (SELECT string_agg(st.commune, ' ') FROM sites st WHERE st.relocation_id = r.id),
			(SELECT string_agg(wq.ministry_asked || ' ' || wq.ministry_answering, ' ') FROM written_questions wq WHERE wq.relocation_id = r.id))`, 1) + ` NOT LIKE '%' || w || '%'))
		  AND ($5::date IS NULL OR n.planned_end < $5::date)
		  AND ($6 = 0 OR EXISTS (SELECT 1 FROM relocation_managers rm WHERE rm.relocation_id = r.id AND rm.user_id = $6))
		ORDER BY r.name, r.id LIMIT $2 OFFSET $3`

// Portfolio returns one page of the relocations (by name) that f selects, with their
// next milestone and worst slip, computed in PostgreSQL: one statement, whatever the
// number of relocations and milestones.
func (s *Store) Portfolio(ctx context.Context, f PortfolioFilter, limit, offset int) ([]PortfolioRow, error) {
	out := []PortfolioRow{}
	var today any
	if f.Late {
		today = f.Today
	}
	err := sqlx.SelectContext(ctx, s.q, &out, portfolioQuery,
		f.Status, limit, offset, pq.Array(foldSearch(f.Search)), today, f.ManagedBy)
	return out, DBError("relocation: portfolio", err, "")
}
