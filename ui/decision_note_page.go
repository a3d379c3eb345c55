package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/criteria"
	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
)

// decisionNote is the body of the printable decision note.
type decisionNote struct {
	rankingView
	Issued          string // « 1er juillet 2021 »
	RequiredSurface string
	Chosen          string // the selected site's name, "" when none
	Grid            []noteCriterion
	Sites           []noteSite
	Decisions       []noteDecision
	Weighting       string   // how the weights were set: the last AHP, its ratio, who, when
	Comparisons     []string // the comparisons of the last AHP weighting, in words
	Acceptability   acceptabilityView
	// Version is the relocation's revision the note is drawn from (every change raises
	// it): the reference line quotes it, so that two printed notes can be told apart.
	Version int64
}

// noteCriterion is one criterion as the note describes it.
type noteCriterion struct {
	Name, Description, Percent, Direction, Scale, Threshold, Source string
}

// noteSite is one site with the value of each criterion and where it comes from.
type noteSite struct {
	Name, Status string
	Scores       []noteScore
}

// noteScore is one value with its justification (« calculé » for computed ones).
type noteScore struct {
	Criterion, Value, Justification, Origin string
	Missing                                 bool
}

// noteDecision is one site selection or rejection from the journal.
type noteDecision struct {
	Site, Decision, By, At, Reason string
	Decided                        string // when it was decided, as the sources date it (« juin 2021 »); "" when not published
}

// pageDecisionNote shows a printable note that defends the choice: the criteria and
// their weights, each site's values with their justifications, the ranking, the
// sensitivity, and who selected or rejected which site and when (from the journal).
func (s *Server) pageDecisionNote(c *fiber.Ctx) error {
	return s.drawnPage(c, "decision_note", "relocations", "", func(id, _ int64, st relocation.Stamp) (string, any, error) {
		return s.decisionNote(c, id, st.Revision)
	})
}

// decisionNote reads and writes the decision note of relocation id at revision: its
// title and body.
func (s *Server) decisionNote(c *fiber.Ctx, id, revision int64) (string, any, error) {
	var g criteria.Grid
	var entries []relocation.Entry
	var weighting string
	var comparisons []string
	var people names
	err := s.snapshot(c, func(rd reader) error {
		r, err := rd.rel.Relocation(c.UserContext(), id)
		if err != nil {
			return err
		}
		if g, err = rd.criteria.Grid(c.UserContext(), r); err != nil {
			return err
		}
		if entries, err = rd.rel.FieldChanges(c.UserContext(), id, sites.EntitySite, "status"); err != nil {
			return err
		}
		if people, err = relocationPeople(c.UserContext(), rd.q, id); err != nil {
			return err
		}
		weighting, comparisons, err = s.weighting(c, rd.rel, id, people, g.Criteria)
		return err
	})
	if err != nil {
		return "", nil, err
	}
	r := g.Relocation
	n := decisionNote{rankingView: newRankingView(&g), Issued: s.today().Label(), Weighting: weighting, Comparisons: comparisons,
		Acceptability: newAcceptabilityView(&g), Version: revision}
	required, computed := r.RequiredSurface()
	n.RequiredSurface = frenchFloat(required) + "\u00a0m² SUB"
	if computed {
		n.RequiredSurface += fmt.Sprintf(" (%s résidents × %s\u00a0m²)", frenchFloat(r.EffectiveResidents()), frenchFloat(r.SurfaceRatioM2))
	}
	for _, c := range n.Criteria {
		nc := noteCriterion{Name: c.Name, Description: c.Description, Percent: c.Percent,
			Direction: directionLabels[c.Direction], Source: or(sourceLabels[c.Source], c.Source),
			Scale: frenchFloat(c.ScaleMin) + " à " + frenchFloat(c.ScaleMax), Threshold: "—"}
		if c.Threshold != nil {
			nc.Threshold = frenchFloat(*c.Threshold)
		}
		n.Grid = append(n.Grid, nc)
	}
	n.Sites = noteSites(&g, people)
	byID := map[int64]sites.Site{}
	for _, site := range g.Sites {
		byID[site.ID] = site
		if r.ChosenSiteID != nil && *r.ChosenSiteID == site.ID {
			n.Chosen = site.Name
		}
	}
	n.Decisions = noteDecisions(entries, byID, people)
	return "Note de décision — " + r.Name, n, nil
}

// noteSites lists each site's values: manual ones with their justification and who
// entered them, computed ones marked « calculé » with how.
func noteSites(g *criteria.Grid, people names) []noteSite {
	out := make([]noteSite, 0, len(g.Sites))
	for _, site := range g.Sites {
		ns := noteSite{Name: site.Name, Status: siteStatusOf(site.Status)}
		for _, c := range g.Criteria {
			cell := g.Cell(site.ID, c.ID)
			sc := noteScore{Criterion: c.Name, Value: "—", Missing: cell.Value == nil, Origin: noteMissing[cell.Missing]}
			switch {
			case cell.Score != nil:
				sc.Value, sc.Justification = frenchFloat(cell.Score.Value), cell.Score.Justification
				sc.Origin = "saisi par " + people.person(cell.Score.UpdatedBy) + " le " + frenchDateTime(cell.Score.UpdatedAt)
			case cell.Value != nil && cell.Origin == criteria.OriginSurface:
				sc.Value = frenchFloat(*cell.Value)
				sc.Origin = fmt.Sprintf("calculé : surface du site %s\u00a0m² ÷ surface nécessaire %s\u00a0m²",
					frenchFloat(cell.SurfaceM2), frenchFloat(cell.Required))
			case cell.Value != nil && cell.Origin == criteria.OriginPartner:
				sc.Value, sc.Origin = frenchFloat(*cell.Value), partnerOrigin(cell.Proximity)
			case cell.Value != nil && cell.Origin == criteria.OriginCost:
				sc.Value = frenchFloat(*cell.Value)
				sc.Origin = fmt.Sprintf("calculé : coût annuel %s\u00a0€ ÷ %s résidents", frenchFloat(cell.CostEUR), frenchFloat(cell.Residents))
			case cell.Value != nil:
				sc.Value, sc.Origin = frenchFloat(*cell.Value), commuteOrigin(cell.Commute)
			}
			ns.Scores = append(ns.Scores, sc)
		}
		out = append(out, ns)
	}
	return out
}

// commuteOrigin says where a commute figure comes from, and how many of its minutes
// were estimated.
func commuteOrigin(f *sites.Figures) string {
	out := fmt.Sprintf("calculé à partir des trajets de %d agents", f.Agents)
	if f.Estimated > 0 || f.EstimatedCurrent > 0 {
		out += fmt.Sprintf(" (estimés : %d trajets vers le site, %d trajets actuels)", f.Estimated, f.EstimatedCurrent)
	}
	return out
}

// noteMissing says, by criteria.Cell's Missing, why the note has no value.
var noteMissing = map[string]string{
	criteria.MissingScore:   "non saisi",
	criteria.MissingSurface: "calculé, mais la surface du site n’est pas renseignée",
	criteria.MissingRoster:  "calculé à partir du fichier des agents, qui n’a pas été importé",
	criteria.MissingCommute: "calculé à partir du fichier des agents, mais les trajets vers ce site ne peuvent pas être chiffrés",
	criteria.MissingPlace:   "estimé à partir des coordonnées du site, qui ne sont pas renseignées",
	criteria.MissingPartner: "estimé à partir des organismes partenaires, dont aucun n’est enregistré",
	criteria.MissingCost:    "calculé, mais le coût annuel du site n’est pas renseigné",
}

// noteDecisions picks from the journal (newest first) the changes that made a site
// selected or rejected, and returns them oldest first. A decision whose change did not
// carry the reason shows the site's current reason when it is the site's latest.
func noteDecisions(entries []relocation.Entry, byID map[int64]sites.Site, people names) []noteDecision {
	var out []noteDecision
	seen := map[int64]bool{}
	for _, e := range entries {
		if e.Entity != sites.EntitySite {
			continue
		}
		st, ok := e.Changes["status"].After.(string)
		if !ok || !sites.NeedsReason(st) {
			continue
		}
		site, known := byID[e.EntityID]
		d := noteDecision{Site: or(site.Name, fmt.Sprintf("site n° %d", e.EntityID)),
			Decision: "retenu", By: people.person(e.By), At: frenchDateTime(e.At)}
		if st == sites.StatusRejected {
			d.Decision = "écarté"
		}
		if reason, ok := e.Changes["decision_reason"].After.(string); ok {
			d.Reason = reason
		}
		if d.Reason == "" && known && !seen[e.EntityID] && site.Status == st {
			d.Reason = site.DecisionReason
		}
		if decided, ok := e.Changes["decided"].After.(string); ok {
			d.Decided = decided
		} else if known && !seen[e.EntityID] && site.Status == st && !site.Decided.IsZero() {
			d.Decided = site.Decided.String()
		}
		if fd, err := relocation.ParseFuzzyDate(d.Decided); err == nil {
			d.Decided = fd.Label()
		}
		seen[e.EntityID] = true
		out = append(out, d)
	}
	slices.Reverse(out)
	return out
}

// weighting says how the weights were set, from the journal: the last weighting by
// AHP with its consistency ratio, who applied it and when, and whether a weight was
// changed by hand since; and that weighting's comparisons in words (none when the
// journal entry predates their recording).
func (s *Server) weighting(c *fiber.Ctx, store *relocation.Store, relocationID int64, people names, cs []criteria.Criterion) (string, []string, error) {
	runs, err := store.FieldChanges(c.UserContext(), relocationID, criteria.EntityAHP, "consistency_ratio")
	if err != nil || len(runs) == 0 {
		return "Poids saisis directement (aucune pondération par comparaisons deux à deux n’a été appliquée).", nil, err
	}
	last := runs[0]
	cr, _ := last.Changes["consistency_ratio"].After.(float64)
	text := fmt.Sprintf("Poids tirés de comparaisons deux à deux (méthode AHP) par %s le %s : ratio de cohérence %s (au plus 0,10).",
		people.person(last.By), frenchDateTime(last.At), strings.Replace(strconv.FormatFloat(cr, 'f', 3, 64), ".", ",", 1))
	changes, err := store.FieldChanges(c.UserContext(), relocationID, criteria.EntityCriterion, "weight")
	if err != nil {
		return "", nil, err
	}
	if len(changes) > 0 && changes[0].ID > last.ID {
		text += " Des poids ont été modifiés à la main depuis."
	}
	comps, _ := criteria.ReadComparisons(last.Changes["comparisons"].After)
	return text, comparisonSentences(comps, cs), nil
}

// comparisonSentences says each comparison in words, with the criteria's current names:
// « « Surface » compte 3 fois plus que « Visibilité » ».
func comparisonSentences(comps []criteria.Comparison, cs []criteria.Criterion) []string {
	names := map[int64]string{}
	for _, c := range cs {
		names[c.ID] = c.Name
	}
	name := func(id int64) string {
		if n, ok := names[id]; ok {
			return "« " + n + " »"
		}
		return fmt.Sprintf("le critère n° %d (supprimé depuis)", id)
	}
	out := make([]string, 0, len(comps))
	for _, cmp := range comps {
		a, b := name(cmp.A), name(cmp.B)
		switch {
		case cmp.Value == 1:
			out = append(out, fmt.Sprintf("%s et %s comptent autant (1).", a, b))
		case cmp.Value > 1:
			out = append(out, fmt.Sprintf("%s compte %s fois plus que %s (%s).", a, frenchFloat(cmp.Value), b, frenchFloat(cmp.Value)))
		default:
			out = append(out, fmt.Sprintf("%s compte %s fois plus que %s (1/%s).", b, frenchFloat(1/cmp.Value), a, frenchFloat(1/cmp.Value)))
		}
	}
	return out
}

// partnerOrigin says how a partner_proximity value is estimated, with the minutes to each
// partner.
func partnerOrigin(p *sites.Proximity) string {
	parts := make([]string, len(p.ByPartner))
	for i, m := range p.ByPartner {
		parts[i] = fmt.Sprintf("%s %s min (poids %s)", m.Partner.Name, frenchFloat(m.Minutes), frenchFloat(m.Partner.Weight))
	}
	return "estimé, moyenne pondérée des temps vers les organismes partenaires : " + strings.Join(parts, " ; ")
}
