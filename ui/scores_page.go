package ui

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/criteria"
	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
)

// The score grid: ONE form for the whole grid (every site's manual criteria), one
// button, saved in one action (criteria.SetGridScores), so that nothing typed for one
// site is lost when another is saved. A refused form is drawn again with every value as
// typed, each refused field marked at its input, and an error summary linking them. A
// stale form (a score changed since it was drawn) saves nothing: the changed cells show
// their current value and say so, every other cell keeps what was typed.

// scoresPage is the body of the score grid.
type scoresPage struct {
	Relocation relocation.Relocation
	Criteria   []criteria.Criterion
	Rows       []scoreRow
	CanEdit    bool
	Form       formState // values as typed (criteria.GridScoreField names) and refusals; Values nil when drawn fresh
	Stale      bool      // the form was refused as stale
	Summary    problemSummary
}

// Editable reports whether the page draws the grid's form: the user may edit and some
// site has a manual criterion.
func (p scoresPage) Editable() bool {
	if !p.CanEdit {
		return false
	}
	for _, row := range p.Rows {
		if row.HasManual() {
			return true
		}
	}
	return false
}

// CellValue is what the value input of a cell shows: as typed when the form was refused
// (unless that cell changed meanwhile), else the stored value.
func (p scoresPage) CellValue(cell scoreCell) string {
	if v, ok := p.typed(cell, "value"); ok {
		return v
	}
	if cell.Value == nil {
		return ""
	}
	return exactFloat(*cell.Value)
}

// CellReason is what the justification of a cell shows (see CellValue).
func (p scoresPage) CellReason(cell scoreCell) string {
	if v, ok := p.typed(cell, "justification"); ok {
		return v
	}
	if cell.Score == nil {
		return ""
	}
	return cell.Score.Justification
}

// CellError is the message of a cell's refused field ("value" or "justification").
func (p scoresPage) CellError(cell scoreCell, field string) string {
	if field == "value" && p.changed(cell) {
		return "note modifiée entre-temps : voici sa valeur enregistrée, votre saisie n’a pas été reprise"
	}
	return p.Form.Errors[criteria.GridScoreField(field, cell.SiteID, cell.Criterion.ID)]
}

// CellVersion is the version a cell's form field carries: the stored score's, or
// « nouvelle » over an empty cell.
func (p scoresPage) CellVersion(cell scoreCell) string {
	if cell.Score == nil {
		return "nouvelle"
	}
	return strconv.Itoa(cell.Score.Version)
}

// changed reports whether a refused form was drawn over another version of cell than
// the stored one: its typed value would overwrite a change it never saw.
func (p scoresPage) changed(cell scoreCell) bool {
	if p.Form.Values == nil {
		return false
	}
	v, ok := p.Form.Values[criteria.GridScoreField("version", cell.SiteID, cell.Criterion.ID)]
	return ok && v != p.CellVersion(cell)
}

func (p scoresPage) typed(cell scoreCell, field string) (string, bool) {
	if p.Form.Values == nil || p.changed(cell) {
		return "", false
	}
	v, ok := p.Form.Values[criteria.GridScoreField(field, cell.SiteID, cell.Criterion.ID)]
	return v, ok
}

// pageScores shows the grid of sites × criteria, one form for the whole grid.
func (s *Server) pageScores(c *fiber.Ctx) error { return scoresForm.drawn(s, c, scoresPage{}) }

// scoresForm draws the score grid, over its form's state (refused, say).
var scoresForm = formPage[scoresPage]{name: "scores", data: (*Server).scoresData}

// scoresData reads the score grid of relocation id in one snapshot, over page (its
// refused form) for an account that may change it or not: the page's title and body.
func (s *Server) scoresData(c *fiber.Ctx, id int64, canEdit bool, page scoresPage) (string, any, error) {
	page.CanEdit = canEdit
	g, err := s.gridOf(c, id)
	if err != nil {
		return "", nil, err
	}
	r := g.Relocation
	page.Relocation, page.Criteria, page.Rows = r, g.Criteria, scoreGrid(&g, g.Sites)
	if page.Stale {
		page.Form.Problem = "Notes non enregistrées : une note a été modifiée entre-temps" + s.changedBy(c, criteria.EntityScore, page.staleSite()) +
			". Les notes modifiées montrent leur valeur enregistrée ; vos autres saisies sont conservées : vérifiez-les et enregistrez de nouveau."
	}
	page.Summary = scoresSummary(page, page.Rows)
	return "Notes des sites — " + r.Name, page, nil
}

// staleSite returns the first site with a cell changed since the refused form was drawn
// (0 when none).
func (p scoresPage) staleSite() int64 {
	for _, row := range p.Rows {
		for _, cell := range row.Cells {
			if cell.Manual && p.changed(cell) {
				return cell.SiteID
			}
		}
	}
	return 0
}

// scoresSummary lists the refused fields of the grid's form in the order it draws them,
// each linked to its input (f-v-<site>-<criterion>, f-j-<site>-<criterion>).
func scoresSummary(page scoresPage, rows []scoreRow) problemSummary {
	f := page.Form
	p := problemSummary{Problem: f.Problem}
	seen := map[string]bool{}
	for _, row := range rows {
		for _, cell := range row.Cells {
			for _, part := range []struct{ field, id, label string }{
				{"value", "v", "Note de « " + row.Site.Name + " » sur « " + cell.Criterion.Name + " »"},
				{"justification", "j", "Justification de la note de « " + row.Site.Name + " » sur « " + cell.Criterion.Name + " »"},
			} {
				name := criteria.GridScoreField(part.field, cell.SiteID, cell.Criterion.ID)
				seen[name] = true
				if msg := page.CellError(cell, part.field); msg != "" && cell.Manual {
					p.Items = append(p.Items, problemItem{Name: fmt.Sprintf("%s-%d-%d", part.id, row.Site.ID, cell.Criterion.ID),
						Label: part.label, Message: msg, Anchor: true})
				}
			}
		}
	}
	var rest []string
	for name := range f.Errors {
		if !seen[name] {
			rest = append(rest, name)
		}
	}
	sort.Strings(rest)
	for _, name := range rest {
		p.Items = append(p.Items, problemItem{Name: name, Label: "Note", Message: f.Errors[name]})
	}
	return p
}

// scoreFieldName reads the site and criterion of the grid form's value field:
// value_<site>_<criterion>.
var scoreFieldName = regexp.MustCompile(`^value_([1-9][0-9]{0,18})_([1-9][0-9]{0,18})$`)

// readScoreForm reads the grid's form: for each cell it carries (a field
// value_<site>_<criterion>), the value, its justification and the version the form was
// drawn from (version_<site>_<criterion>: a number, or « nouvelle » over an empty cell),
// by site. typed receives the values as typed, to show again.
func readScoreForm(c *fiber.Ctx, typed map[string]string) map[int64][]criteria.ScoreInput {
	type key struct{ site, criterion int64 }
	var keys []key
	seen := map[key]bool{}
	c.Request().PostArgs().VisitAll(func(name, _ []byte) {
		if m := scoreFieldName.FindSubmatch(name); m != nil {
			site, err1 := strconv.ParseInt(string(m[1]), 10, 64)
			cid, err2 := strconv.ParseInt(string(m[2]), 10, 64)
			if k := (key{site, cid}); err1 == nil && err2 == nil && !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	})
	sort.Slice(keys, func(i, j int) bool {
		return keys[i].site < keys[j].site || keys[i].site == keys[j].site && keys[i].criterion < keys[j].criterion
	})
	out := map[int64][]criteria.ScoreInput{}
	for _, k := range keys {
		valueName := criteria.GridScoreField("value", k.site, k.criterion)
		reasonName := criteria.GridScoreField("justification", k.site, k.criterion)
		versionName := criteria.GridScoreField("version", k.site, k.criterion)
		text := bodyValue(c, valueName)
		in := criteria.ScoreInput{CriterionID: k.criterion, Justification: bodyValue(c, reasonName),
			Pre: preconditionOf(bodyValue(c, versionName))}
		typed[valueName], typed[reasonName], typed[versionName] = text, in.Justification, bodyValue(c, versionName)
		if trimmed := strings.TrimSpace(text); trimmed != "" {
			if v, err := relocation.ParseNumberInput(trimmed); err != nil {
				in.Unreadable = err.Error()
			} else {
				in.Value = &v
			}
		}
		out[k.site] = append(out[k.site], in)
	}
	return out
}

// formSetScores saves every manual value of the grid's one form in one action, then
// shows the grid again (303); a refused form keeps every value typed (a stale one, every
// value but those changed meanwhile).
func (s *Server) formSetScores(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	typed := map[string]string{}
	changed, failure := s.criteria.SetGridScores(c.UserContext(), s.actor(c), id, func() (map[int64][]criteria.ScoreInput, error) {
		clear(typed)
		return readScoreForm(c, typed), nil
	})
	to := fmt.Sprintf("/projets/%d/notes", id)
	if failure == nil {
		if changed == 0 {
			return s.redirectNotice(c, to, noticeScoresUnchanged)
		}
		return s.redirectNotice(c, to, noticeScoresSaved)
	}
	f := formState{Values: typed}
	return s.formFailure(c, failure, &f, func() error {
		page := scoresPage{Form: f, Stale: relocation.ErrorCode(failure) == relocation.EPRECONDITION}
		if page.Stale {
			page.Form.Problem = ""
		}
		return scoresForm.redraw(s, c, id, page)
	})
}

// scoreRow is a site with its value on each criterion, for the grid and the site page.
type scoreRow struct {
	Site  sites.Site
	Cells []scoreCell
}

// HasManual reports whether the site has a value to enter (a manual criterion).
func (r scoreRow) HasManual() bool {
	return slices.ContainsFunc(r.Cells, func(c scoreCell) bool { return c.Manual })
}

// scoreCell is one site's value on one criterion: entered (with its justification),
// computed, or missing.
type scoreCell struct {
	Criterion criteria.Criterion
	SiteID    int64
	Manual    bool
	Value     *float64
	Score     *criteria.Score // the entered score, when there is one
	Note      string          // how a computed value comes, or why it is missing
}

// scoreGrid lays out the values of the given sites on every criterion of g.
func scoreGrid(g *criteria.Grid, ss []sites.Site) []scoreRow {
	rows := make([]scoreRow, len(ss))
	for i, site := range ss {
		rows[i].Site = site
		for _, cr := range g.Criteria {
			cell := g.Cell(site.ID, cr.ID)
			rows[i].Cells = append(rows[i].Cells, scoreCell{Criterion: cr, SiteID: site.ID,
				Manual: cell.Origin == criteria.OriginManual, Value: cell.Value, Score: cell.Score, Note: cellNote(cell)})
		}
	}
	return rows
}

// cellNote says how a computed value is obtained, or why a value is missing.
func cellNote(cell criteria.Cell) string {
	switch {
	case cell.Missing == criteria.MissingCommute && cell.Withheld != "":
		return "manquant : chiffres de trajet non publiés, " + cell.Withheld
	case cell.Missing != "":
		return missingNotes[cell.Missing]
	case cell.Origin == criteria.OriginSurface:
		return "calculé : surface du site ÷ surface nécessaire"
	case cell.Origin == criteria.OriginCommute:
		return "calculé à partir des trajets des agents"
	case cell.Origin == criteria.OriginPartner:
		return "estimé : temps moyen vers les organismes partenaires, pondéré"
	case cell.Origin == criteria.OriginCost:
		return "calculé : coût annuel du site ÷ résidents"
	}
	return ""
}

// missingNotes says, by criteria.Cell's Missing, why a value is missing (short form).
var missingNotes = map[string]string{
	criteria.MissingScore:   "à saisir",
	criteria.MissingSurface: "manquant : la surface du site n’est pas renseignée",
	criteria.MissingRoster:  "manquant : calculé à partir des trajets des agents, une fois leur liste importée",
	criteria.MissingCommute: "manquant : les trajets vers ce site ne peuvent pas être chiffrés",
	criteria.MissingPlace:   "manquant : les coordonnées du site ne sont pas renseignées",
	criteria.MissingPartner: "manquant : aucun organisme partenaire n’est enregistré",
	criteria.MissingCost:    "manquant : le coût annuel du site n’est pas renseigné",
}
