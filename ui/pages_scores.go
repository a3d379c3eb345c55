package ui

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/criteria"
	"github.com/ministere/tracker/relocation"
)

// The score grid: one form per site, holding all that site's manual criteria, saved in
// one action (criteria.SetSiteScores). A refused form is drawn again with every value as
// typed, each refused field marked at its input, and an error summary linking them.

// scoresPage is the body of the score grid.
type scoresPage struct {
	Relocation relocation.Relocation
	Criteria   []criteria.Criterion
	Rows       []scoreRow
	CanEdit    bool
	Refused    int64     // the site whose form was refused (0 when none)
	Form       formState // its values as typed (fields value_<cid>, justification_<cid>) and refusals
	Summary    problemSummary
}

// CellValue is what the value input of a cell shows: as typed when its site's form was
// refused, else the stored value.
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
	if p.Refused != cell.SiteID {
		return ""
	}
	return p.Form.Errors[criteria.ScoreField(field, cell.Criterion.ID)]
}

func (p scoresPage) typed(cell scoreCell, field string) (string, bool) {
	if p.Refused != cell.SiteID || p.Form.Values == nil {
		return "", false
	}
	v, ok := p.Form.Values[criteria.ScoreField(field, cell.Criterion.ID)]
	return v, ok
}

// pageScores shows the grid of sites × criteria, one form per site.
func (s *Server) pageScores(c *fiber.Ctx) error {
	return s.drawnPage(c, "scores", "relocations", "", func(id, _ int64, st relocation.Stamp) (string, any, error) {
		return s.scoresData(c, id, scoresPage{CanEdit: st.Writes})
	})
}

// renderScores draws the score grid of relocation id with page's refused form.
func (s *Server) renderScores(c *fiber.Ctx, id int64, page scoresPage) error {
	return s.renderFor(c, "scores", id, func(canEdit bool) (string, any, error) {
		page.CanEdit = canEdit
		return s.scoresData(c, id, page)
	})
}

// scoresData reads the score grid of relocation id in one snapshot, over page (its
// refused form and rights): the page's title and body.
func (s *Server) scoresData(c *fiber.Ctx, id int64, page scoresPage) (string, any, error) {
	g, err := s.gridOf(c, id)
	if err != nil {
		return "", nil, err
	}
	r := g.Relocation
	page.Relocation, page.Criteria, page.Rows = r, g.Criteria, scoreGrid(&g, g.Sites)
	for _, row := range page.Rows {
		if row.Site.ID == page.Refused {
			page.Summary = scoresSummary(page.Form, row)
		}
	}
	return "Notes des sites — " + r.Name, page, nil
}

// scoresSummary lists the refused fields of a site's form in the order it draws them,
// each linked to its input (f-v-<site>-<criterion>, f-j-<site>-<criterion>).
func scoresSummary(f formState, row scoreRow) problemSummary {
	p := problemSummary{Problem: f.Problem}
	seen := map[string]bool{}
	for _, cell := range row.Cells {
		for _, part := range []struct{ field, id, label string }{
			{"value", "v", "Note sur « " + cell.Criterion.Name + " »"},
			{"justification", "j", "Justification de la note sur « " + cell.Criterion.Name + " »"},
		} {
			name := criteria.ScoreField(part.field, cell.Criterion.ID)
			if msg, ok := f.Errors[name]; ok {
				seen[name] = true
				p.Items = append(p.Items, problemItem{Name: fmt.Sprintf("%s-%d-%d", part.id, row.Site.ID, cell.Criterion.ID),
					Label: part.label, Message: msg, Anchor: cell.Manual})
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

// scoreFieldName reads the criterion of a score form's value field: value_<id>.
var scoreFieldName = regexp.MustCompile(`^value_([1-9][0-9]{0,18})$`)

// readScoreForm reads a site's score form: for each criterion it carries (a field
// value_<id>), the value, its justification and the version the form was drawn from
// (version_<id>: a number, or « nouvelle » over an empty cell). typed receives the
// values as typed, to show again.
func readScoreForm(c *fiber.Ctx, typed map[string]string) []criteria.ScoreInput {
	var ids []int64
	c.Request().PostArgs().VisitAll(func(key, _ []byte) {
		if m := scoreFieldName.FindSubmatch(key); m != nil {
			if id, err := strconv.ParseInt(string(m[1]), 10, 64); err == nil {
				ids = append(ids, id)
			}
		}
	})
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	var out []criteria.ScoreInput
	for i, id := range ids {
		if i > 0 && ids[i-1] == id {
			continue
		}
		valueName, reasonName := criteria.ScoreField("value", id), criteria.ScoreField("justification", id)
		text := bodyValue(c, valueName)
		in := criteria.ScoreInput{CriterionID: id, Justification: bodyValue(c, reasonName),
			Pre: preconditionOf(bodyValue(c, criteria.ScoreField("version", id)))}
		typed[valueName], typed[reasonName] = text, in.Justification
		if trimmed := strings.TrimSpace(text); trimmed != "" {
			if v, err := parseFrenchFloat(trimmed); err != nil {
				in.Unreadable = "nombre attendu (par exemple 7 ou 7,5)"
			} else {
				in.Value = &v
			}
		}
		out = append(out, in)
	}
	return out
}

// formSetSiteScores saves every manual value of one site from its form, then shows the
// grid at that site (303); a refused form keeps every value typed.
func (s *Server) formSetSiteScores(c *fiber.Ctx) error {
	site, err := s.siteParam(c, "sid")
	if err != nil {
		return err
	}
	typed := map[string]string{}
	changed, failure := s.criteria.SetSiteScores(c.UserContext(), s.actor(c), site.ID, func() ([]criteria.ScoreInput, error) {
		clear(typed)
		return readScoreForm(c, typed), nil
	})
	to := fmt.Sprintf("/projets/%d/notes#site-%d", site.RelocationID, site.ID)
	if failure == nil {
		if changed == 0 {
			return s.redirectNotice(c, to, noticeScoresUnchanged)
		}
		return s.redirectNotice(c, to, noticeScoresSaved)
	}
	f := formState{Values: typed}
	return s.formFailure(c, failure, &f, func() error {
		// A stale form shows the notes as they are now, with who changed them.
		s.refreshStale(c, failure, &f, criteria.EntityScore, site.ID, nil, 0, "Notes de « "+site.Name+" » non enregistrées. ")
		return s.renderScores(c, site.RelocationID, scoresPage{Refused: site.ID, Form: f})
	})
}
