package ui

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/ministere/tracker/criteria"
	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
)

// chartColours is how many criteria colours app.css defines (.crit-0 … .crit-9); the
// criteria beyond reuse them in turn.
const chartColours = 10

// Outcomes of a site in the ranking, as the pages and the CSV name them.
const (
	outcomeRanked     = "classé"
	outcomeEliminated = "écarté"
	outcomeIncomplete = "incomplet"
	outcomeBoth       = "incomplet et écarté"
)

// rankingView is a relocation's ranking as the ranking page, the decision note and the
// CSV export show it: every figure already written the French way.
type rankingView struct {
	Relocation relocation.Relocation
	Criteria   []rankingCriterion
	Rows       []rankingRow
	// Sensitivity has one sentence per criterion; NoSensitivity says why there is none.
	Sensitivity   []string
	NoSensitivity string
	Leader        string // the rank-1 site's name ("" when none or shared)
	Ranked        int    // how many sites have a rank
	Chart         chartData
	RosterMissing bool     // some site misses a commute criterion: the roster is not imported
	SetAside      []string // criteria set aside: out of the ranking, listed so the reader knows
	// WaitingOn names the criteria the incomplete sites only miss, when setting them aside
	// would let the ranking go on: « « Temps de trajet » » (empty otherwise).
	WaitingOn string
}

// rankingCriterion is one criterion with its share of the total weight.
type rankingCriterion struct {
	criteria.Criterion
	Class   string // crit-0 … crit-9
	Percent string // « 30,0 % »
}

// rankingRow is one site of the ranking.
type rankingRow struct {
	SiteID     int64
	Name       string
	SiteStatus string // the site's decision status (candidate, selected…)
	StatusText string // its French label
	StatusTone string // the DSFR badge modifier: success, error or info
	Outcome    string // outcomeRanked, outcomeEliminated…
	Rank       string // « 1 », or « — »
	Score      string // « 71,3 », or « — » when incomplete
	Eliminated string // « écarté : Surface … sous le seuil de 1 (valeur 0,6) »
	Missing    string // « incomplet, il manque : … »
	MissingFor []string
	Hints      []string // what to do so that the missing values exist
	EliminBy   []string
	Cells      []rankingCell
	score      *float64
	rank       *int
}

// rankingCell is one criterion's value and contribution for one site.
type rankingCell struct {
	Value    string // « 1,2 », « — » when missing
	Weighted string // contribution in points out of 100, one decimal
	value    *float64
	weighted *float64
}

// newRankingView ranks the grid and writes the result for the pages.
func newRankingView(g *criteria.Grid) rankingView {
	rk := g.Rank()
	v := rankingView{Relocation: g.Relocation}
	active := criteria.Active(g.Criteria)
	weights := criteria.WeightsOf(active)
	for _, c := range g.Criteria {
		if !c.Active {
			v.SetAside = append(v.SetAside, c.Name)
		}
	}
	byID := map[int64]int{}
	for i, c := range active {
		v.Criteria = append(v.Criteria, rankingCriterion{Criterion: c,
			Class: fmt.Sprintf("crit-%d", i%chartColours), Percent: percent1(weights.Percent(i))})
		byID[c.ID] = i
	}
	status := map[int64]string{}
	for _, s := range g.Sites {
		status[s.ID] = s.Status
	}
	for _, it := range rk.Items {
		row, roster := newRankingRow(g, byID, it, status[it.SiteID])
		v.RosterMissing = v.RosterMissing || roster
		if row.rank != nil {
			v.Ranked++
		}
		v.Rows = append(v.Rows, row)
	}
	v.WaitingOn = waitingOn(v.Rows, len(active))
	v.Chart = newChartData(v)
	v.sensitivity(rk)
	return v
}

// newRankingRow writes one ranked item; roster reports whether it misses a value that
// only the agents' roster can give.
func newRankingRow(g *criteria.Grid, byID map[int64]int, it criteria.Ranked, status string) (row rankingRow, roster bool) {
	cs := criteria.Active(g.Criteria)
	row = rankingRow{SiteID: it.SiteID, Name: it.Name, SiteStatus: status, Rank: "—", Score: "—",
		score: it.Score, rank: it.Rank}
	row.StatusText, row.StatusTone = siteStatusOf(row.SiteStatus), siteStatusTone(row.SiteStatus)
	if it.Rank != nil {
		row.Rank = strconv.Itoa(*it.Rank)
	}
	if it.Score != nil {
		row.Score = decimal1(*it.Score)
	}
	switch {
	case it.Eliminated && it.Incomplete:
		row.Outcome = outcomeBoth
	case it.Eliminated:
		row.Outcome = outcomeEliminated
	case it.Incomplete:
		row.Outcome = outcomeIncomplete
	default:
		row.Outcome = outcomeRanked
	}
	for _, b := range it.Breakdown {
		cell := rankingCell{Value: "—", Weighted: "—", value: b.Value, weighted: b.Weighted}
		if b.Value != nil {
			cell.Value = frenchFloat(*b.Value)
			cell.Weighted = decimal1(*b.Weighted)
		}
		row.Cells = append(row.Cells, cell)
	}
	var reasons []string
	missing := map[string]bool{} // why values are missing (criteria.Cell's Missing)
	for _, id := range it.EliminatedBy {
		c := cs[byID[id]]
		row.EliminBy = append(row.EliminBy, c.Name)
		reasons = append(reasons, eliminationReason(c, it.Breakdown[byID[id]].Value))
	}
	if len(reasons) > 0 {
		row.Eliminated = "écarté : " + strings.Join(reasons, " ; ")
	}
	for _, id := range it.Missing {
		c := cs[byID[id]]
		row.MissingFor = append(row.MissingFor, c.Name)
		why := g.Cell(it.SiteID, id).Missing
		roster = roster || why == criteria.MissingRoster || why == criteria.MissingCommute
		missing[why] = true
	}
	if len(row.MissingFor) > 0 {
		row.Missing = "incomplet, il manque : " + strings.Join(row.MissingFor, ", ")
	}
	for _, h := range missingHints {
		if missing[h.missing] {
			row.Hints = append(row.Hints, h.hint)
		}
	}
	return row, roster
}

// eliminationReason says why one criterion eliminates a site: « Surface … sous le seuil
// de 1 (valeur 0,6) ».
func eliminationReason(c criteria.Criterion, value *float64) string {
	side := "sous le"
	if c.Direction == criteria.LowerIsBetter {
		side = "au-dessus du"
	}
	out := fmt.Sprintf("%s %s seuil de %s", c.Name, side, frenchFloat(*c.Threshold))
	if value != nil {
		out += " (valeur " + frenchFloat(*value) + ")"
	}
	return out
}

// waitingOn names the criteria the incomplete rows miss, when they are fewer than the
// active criteria (setting them aside would leave a ranking); "" otherwise.
func waitingOn(rows []rankingRow, active int) string {
	var names []string
	seen := map[string]bool{}
	for _, r := range rows {
		for _, n := range r.MissingFor {
			if !seen[n] {
				seen[n] = true
				names = append(names, "« "+n+" »")
			}
		}
	}
	if len(names) == 0 || len(names) >= active {
		return ""
	}
	return joinFrench(names)
}

// missingHints says, by criteria.Cell's Missing, what to do so that a value exists, in
// the order a row shows them.
var missingHints = []struct{ missing, hint string }{
	{criteria.MissingRoster, "Les critères de temps de trajet restent sans valeur tant que le fichier des agents n’a pas été importé."},
	{criteria.MissingCommute, "Les trajets vers un site ne peuvent être chiffrés que si ses coordonnées, celles de l’origine et celles des domiciles (ou des temps mesurés) sont connues, pour 5 agents au moins."},
	{criteria.MissingSurface, "La surface du site n’est pas renseignée : la couverture de la surface nécessaire ne peut pas être calculée."},
	{criteria.MissingPlace, "Les coordonnées du site ne sont pas renseignées : le temps vers les organismes partenaires ne peut pas être estimé."},
	{criteria.MissingPartner, "Aucun organisme partenaire n’est enregistré : la proximité des partenaires ne peut pas être estimée."},
	{criteria.MissingCost, "Le coût annuel du site n’est pas renseigné : le coût par résident ne peut pas être calculé."},
	{criteria.MissingScore, "Une note reste à saisir dans la grille des notes."},
}

// sensitivity writes one sentence per criterion, or why there is none.
func (v *rankingView) sensitivity(rk criteria.Ranking) {
	if rk.Sensitivity == nil {
		switch {
		case v.Ranked == 0:
			v.NoSensitivity = "Pas d’analyse de sensibilité : aucun site n’est classé."
		case v.Ranked < 2:
			v.NoSensitivity = "Pas d’analyse de sensibilité : il faut au moins deux sites classés pour savoir jusqu’où un poids peut varier sans changer le premier (un seul site est classé)."
		default:
			var firsts []string
			for _, r := range v.Rows {
				if r.rank != nil && *r.rank == 1 {
					firsts = append(firsts, r.Name)
				}
			}
			v.NoSensitivity = "Pas d’analyse de sensibilité : la première place est partagée entre " +
				joinFrench(firsts) + ", à égalité de score."
		}
		return
	}
	v.Leader = v.Rows[0].Name
	for i, in := range rk.Sensitivity {
		name := v.Criteria[i].Name
		current := percent1(in.Weight)
		if in.Lo != nil && in.Hi != nil && *in.Lo <= 0 && *in.Hi >= 100 {
			v.Sensitivity = append(v.Sensitivity, fmt.Sprintf("Poids de « %s » (actuellement %s) : %s reste premier quel que soit ce poids.",
				name, current, v.Leader))
			continue
		}
		lo, hi := "?", "?"
		if in.Lo != nil {
			lo = percent1(*in.Lo)
		}
		if in.Hi != nil {
			hi = percent1(*in.Hi)
		}
		v.Sensitivity = append(v.Sensitivity, fmt.Sprintf("%s reste premier tant que le poids de « %s » reste entre %s et %s (actuellement %s).",
			v.Leader, name, lo, hi, current))
	}
}

// joinFrench joins names as « A, B et C ».
func joinFrench(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " et " + names[len(names)-1]
}

// decimal1 writes x with one decimal and a French comma: « 71,3 ».
func decimal1(x float64) string {
	s := strconv.FormatFloat(x, 'f', 1, 64)
	if s == "-0.0" {
		s = "0.0"
	}
	s = strings.Replace(s, ".", ",", 1)
	return strings.Replace(s, "-", "−", 1)
}

// decimal2 writes x with two decimals and a French comma: « 0,18 ».
func decimal2(x float64) string {
	if math.Abs(x) < 0.005 {
		x = 0
	}
	return strings.Replace(strconv.FormatFloat(x, 'f', 2, 64), ".", ",", 1)
}

// percent1 writes a percentage with one decimal: « 12,0 % », the sign held to the
// number by a no-break space so that a line never splits them.
func percent1(x float64) string { return decimal1(x) + "\u00a0%" }

// siteStatusTone returns the DSFR badge modifier of a site's status: success when
// selected, error when rejected, info otherwise.
func siteStatusTone(status string) string {
	switch status {
	case sites.StatusSelected:
		return "success"
	case sites.StatusRejected:
		return "error"
	}
	return "info"
}

// siteStatusOf returns the French label of a site's decision status.
func siteStatusOf(status string) string { return or(siteStatusLabels[status], status) }
