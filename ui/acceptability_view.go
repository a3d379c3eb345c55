package ui

import (
	"fmt"
	"html/template"
	"math"
	"strings"

	"github.com/ministere/tracker/criteria"
)

// acceptabilityAround is the band, in percentage points around the weights, of the second
// figure the ranking page and the decision note give.
const acceptabilityAround = 5.0

// acceptabilityView is the rank acceptability (SMAA-2) of a ranking, as the ranking page
// and the decision note show it: one sentence, a stacked bar chart and its table.
type acceptabilityView struct {
	Sentence string // « Bas Montreuil est premier dans 87 % des pondérations possibles ; … »
	None     string // why there is no analysis ("" when there is one)
	Method   string // how the vectors were drawn, for the table's caption
	Ranks    []acceptabilityRank
	Rows     []acceptabilityRow
	SVG      template.HTML
}

// acceptabilityRank is one rank of the legend: « Rang 1 » and its colour class.
type acceptabilityRank struct{ Label, Class string }

// acceptabilityRow is one ranked site: its share of vectors at each rank, the same within
// the band, and its central weights in words.
type acceptabilityRow struct {
	SiteID  int64
	Name    string
	Shares  []string // « 87 % », by rank
	First   string   // share at rank 1 within ±acceptabilityAround points
	Central string   // « Surface… 41 %, Visibilité… 20 % » or « jamais premier »
	shares  []float64
}

// newAcceptabilityView runs the analysis over the whole simplex and within
// ±acceptabilityAround points of the weights (default samples and seed), and says it of
// the relocation's chosen site when it is ranked, else of the first of the ranking.
func newAcceptabilityView(g *criteria.Grid) acceptabilityView {
	var v acceptabilityView
	full, err := g.Acceptability(criteria.AcceptabilityOptions{Samples: criteria.DefaultSamples, Seed: criteria.DefaultSeed})
	if err != nil || len(full.Items) == 0 {
		v.None = "Pas d’analyse de robustesse : aucun site n’est classé."
		return v
	}
	around := acceptabilityAround
	near, nearErr := g.Acceptability(criteria.AcceptabilityOptions{Samples: criteria.DefaultSamples, Seed: criteria.DefaultSeed, Around: &around})
	names := map[string]string{}
	for _, c := range criteria.Active(g.Criteria) {
		names[fmt.Sprint(c.ID)] = c.Name
	}
	v.Method = fmt.Sprintf("%s pondérations tirées uniformément parmi toutes les pondérations possibles des critères actifs (graine %d)",
		frenchFloat(float64(full.Samples)), full.Seed)
	for r := range full.Items {
		v.Ranks = append(v.Ranks, acceptabilityRank{Label: fmt.Sprintf("Rang %d", r+1), Class: fmt.Sprintf("crit-%d", r%chartColours)})
	}
	subjectRow := -1
	for k, it := range full.Items {
		row := acceptabilityRow{SiteID: it.SiteID, Name: it.Name, First: "—", Central: "jamais premier", shares: it.Acceptability}
		for _, s := range it.Acceptability {
			row.Shares = append(row.Shares, sharePercent(s))
		}
		if nearErr == nil {
			row.First = sharePercent(near.Items[indexOfSite(near.Items, it.SiteID)].Acceptability[0])
		}
		if it.CentralWeights != nil {
			var parts []string
			for _, c := range criteria.Active(g.Criteria) {
				parts = append(parts, fmt.Sprintf("%s %s", c.Name, sharePercent(100*it.CentralWeights[fmt.Sprint(c.ID)])))
			}
			row.Central = strings.Join(parts, ", ")
		}
		if chosen := g.Relocation.ChosenSiteID; chosen != nil && *chosen == it.SiteID {
			subjectRow = k
		}
		v.Rows = append(v.Rows, row)
	}
	if subjectRow < 0 {
		subjectRow = 0
	}
	row := v.Rows[subjectRow]
	v.Sentence = fmt.Sprintf("%s est premier dans %s des pondérations possibles", row.Name, row.Shares[0])
	if nearErr == nil {
		v.Sentence += fmt.Sprintf(" ; dans %s à ±%s points des poids retenus", row.First, frenchFloat(acceptabilityAround))
	}
	if len(v.Rows) == 1 {
		v.Sentence += " : c’est le seul site classé, les autres étant écartés par un seuil ou incomplets quelle que soit la pondération"
	}
	v.Sentence += "."
	v.SVG = acceptabilityChart(v)
	return v
}

// indexOfSite returns the position of site id among items (0 when absent: both analyses
// rank the same sites).
func indexOfSite(items []criteria.SiteAcceptability, id int64) int {
	for i, it := range items {
		if it.SiteID == id {
			return i
		}
	}
	return 0
}

// sharePercent writes a share in percent rounded to the unit, never rounding to 0 or 100
// a share that is not: « 87 % », « moins de 1 % », « plus de 99 % ».
func sharePercent(x float64) string {
	switch r := math.Round(x); {
	case r == 0 && x > 0:
		return "moins de 1\u202f%"
	case r == 100 && x < 100:
		return "plus de 99\u202f%"
	default:
		return frenchFloat(r) + "\u202f%"
	}
}

// acceptabilityChart draws one bar per site, one segment per rank (the share of vectors
// giving it that rank), as inline SVG styled by app.css's classes (no style attribute).
// Every text is escaped here.
func acceptabilityChart(v acceptabilityView) template.HTML {
	axisY := chartTop + len(v.Rows)*chartRow
	var summary []string
	for _, r := range v.Rows {
		summary = append(summary, r.Name+" : premier dans "+r.Shares[0])
	}
	label := "Diagramme en barres empilées : part des pondérations qui donnent chaque rang à chaque site. " +
		strings.Join(summary, " ; ") + ". Les mêmes chiffres figurent dans le tableau qui suit."
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="ranking-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-label="%s">`,
		chartWidth, axisY+chartAxis, esc(label))
	b.WriteString(`<g class="chart-grid" aria-hidden="true">`)
	for pts := 0; pts <= 100; pts += 25 {
		x := chartBarX + chartBarWidth*pts/100
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d"></line>`, x, chartTop-4, x, axisY)
		fmt.Fprintf(&b, `<text class="chart-tick" x="%d" y="%d" text-anchor="middle">%d %%</text>`, x, axisY+16, pts)
	}
	b.WriteString(`</g>`)
	for i, r := range v.Rows {
		y := chartTop + i*chartRow + (chartRow-chartBar)/2
		b.WriteString(`<g class="chart-site">`)
		fmt.Fprintf(&b, `<text class="chart-name" x="%d" y="%d" text-anchor="end">%s</text>`,
			chartLabelEnd, y+chartBar-5, esc(shorten(r.Name, chartNameMax)))
		x := float64(chartBarX)
		for k, s := range r.shares {
			if s <= 0 {
				continue
			}
			w := chartBarWidth * s / 100
			fmt.Fprintf(&b, `<rect class="%s" x="%.2f" y="%d" width="%.2f" height="%d"><title>%s</title></rect>`,
				v.Ranks[k].Class, x, y, w, chartBar, esc(fmt.Sprintf("%s — rang %d : %s", r.Name, k+1, r.Shares[k])))
			x += w
		}
		b.WriteString(`</g>`)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // every piece of text above is escaped by esc
}
