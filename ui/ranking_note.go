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
	Weighting       string // how the weights were set: the last AHP, its ratio, who, when
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
}

// pageDecisionNote shows a printable note that defends the choice: the criteria and
// their weights, each site's values with their justifications, the ranking, the
// sensitivity, and who selected or rejected which site and when (from the journal).
func (s *Server) pageDecisionNote(c *fiber.Ctx) error {
	r, err := s.relocationParam(c)
	if err != nil {
		return err
	}
	g, err := s.criteria.Grid(c.UserContext(), r)
	if err != nil {
		return err
	}
	entries, err := s.store.FieldChanges(c.UserContext(), r.ID, sites.EntitySite, "status")
	if err != nil {
		return err
	}
	n := decisionNote{rankingView: newRankingView(g), Issued: s.today().Label()}
	required, computed := r.RequiredSurface()
	n.RequiredSurface = frenchFloat(required) + " m² SUB"
	if computed {
		n.RequiredSurface += fmt.Sprintf(" (%s résidents × %s m²)", frenchFloat(r.EffectiveResidents()), frenchFloat(r.SurfaceRatioM2))
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
	n.Sites = noteSites(g, required)
	byID := map[int64]sites.Site{}
	for _, site := range g.Sites {
		byID[site.ID] = site
		if r.ChosenSiteID != nil && *r.ChosenSiteID == site.ID {
			n.Chosen = site.Name
		}
	}
	n.Decisions = noteDecisions(entries, byID)
	if n.Weighting, err = s.weighting(c, r.ID); err != nil {
		return err
	}
	return s.render(c, "decision_note", pageData{Title: "Note de décision — " + r.Name, Data: n})
}

// noteSites lists each site's values: manual ones with their justification and who
// entered them, computed ones marked « calculé » with how.
func noteSites(g criteria.Grid, required float64) []noteSite {
	manual := map[[2]int64]criteria.Score{}
	for _, sc := range g.Scores {
		manual[[2]int64{sc.SiteID, sc.CriterionID}] = sc
	}
	out := make([]noteSite, 0, len(g.Sites))
	for _, site := range g.Sites {
		ns := noteSite{Name: site.Name, Status: siteStatusOf(site.Status)}
		for _, c := range g.Criteria {
			sc := noteScore{Criterion: c.Name, Value: "—"}
			switch c.Source {
			case criteria.SourceManual:
				if v, ok := manual[[2]int64{site.ID, c.ID}]; ok {
					sc.Value, sc.Justification = frenchFloat(v.Value), v.Justification
					sc.Origin = "saisi par " + v.UpdatedBy + " le " + frenchDateTime(v.UpdatedAt)
				} else {
					sc.Missing, sc.Origin = true, "non saisi"
				}
			case criteria.SourceSurfaceCoverage:
				if site.SurfaceM2 != nil && required > 0 {
					sc.Value = frenchFloat(*site.SurfaceM2 / required)
					sc.Origin = fmt.Sprintf("calculé : surface du site %s m² ÷ surface nécessaire %s m²",
						frenchFloat(*site.SurfaceM2), frenchFloat(required))
				} else {
					sc.Missing, sc.Origin = true, "calculé, mais la surface du site n’est pas renseignée"
				}
			default:
				sc.Missing, sc.Origin = true, "calculé à partir du fichier des agents, qui n’a pas été importé"
			}
			ns.Scores = append(ns.Scores, sc)
		}
		out = append(out, ns)
	}
	return out
}

// noteDecisions picks from the journal (newest first) the changes that made a site
// selected or rejected, and returns them oldest first. A decision whose change did not
// carry the reason shows the site's current reason when it is the site's latest.
func noteDecisions(entries []relocation.Entry, byID map[int64]sites.Site) []noteDecision {
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
			Decision: "retenu", By: e.By, At: frenchDateTime(e.At)}
		if st == sites.StatusRejected {
			d.Decision = "écarté"
		}
		if reason, ok := e.Changes["decision_reason"].After.(string); ok {
			d.Reason = reason
		}
		if d.Reason == "" && known && !seen[e.EntityID] && site.Status == st {
			d.Reason = site.DecisionReason
		}
		seen[e.EntityID] = true
		out = append(out, d)
	}
	slices.Reverse(out)
	return out
}

// weighting says how the weights were set, from the journal: the last weighting by
// AHP with its consistency ratio, who applied it and when, and whether a weight was
// changed by hand since.
func (s *Server) weighting(c *fiber.Ctx, relocationID int64) (string, error) {
	runs, err := s.store.FieldChanges(c.UserContext(), relocationID, criteria.EntityAHP, "consistency_ratio")
	if err != nil || len(runs) == 0 {
		return "Poids saisis directement (aucune pondération par comparaisons deux à deux n’a été appliquée).", err
	}
	last := runs[0]
	cr, _ := last.Changes["consistency_ratio"].After.(float64)
	text := fmt.Sprintf("Poids tirés de comparaisons deux à deux (méthode AHP) par %s le %s : ratio de cohérence %s (au plus 0,10).",
		last.By, frenchDateTime(last.At), strings.Replace(strconv.FormatFloat(cr, 'f', 3, 64), ".", ",", 1))
	changes, err := s.store.FieldChanges(c.UserContext(), relocationID, criteria.EntityCriterion, "weight")
	if err != nil {
		return "", err
	}
	if len(changes) > 0 && changes[0].ID > last.ID {
		text += " Des poids ont été modifiés à la main depuis."
	}
	return text, nil
}
