package ui

import (
	"fmt"
	"html"
	"html/template"
	"strings"
	"unicode/utf8"
)

// Geometry of the contribution chart, in SVG user units (the SVG scales to its box).
const (
	chartWidth    = 760
	chartLabelEnd = 210 // site names end here (right-aligned)
	chartBarX     = 220 // bars start here
	chartBarWidth = 440 // a full score of 100 points
	chartTop      = 8
	chartRow      = 34
	chartBar      = 20
	chartAxis     = 30 // room for the axis labels under the bars
	chartNameMax  = 30 // longer site names are cut (the full name is in the bar's title)
)

// chartData is the stacked bar chart of a ranking: one bar per site that has a score
// (ranked or eliminated), one segment per criterion, as inline SVG.
type chartData struct {
	SVG     template.HTML
	Shown   int
	Omitted []string // incomplete sites, which have no score to draw
}

// newChartData draws the chart of v's sites. Every text is escaped here; the colours
// come from the .crit-N classes of app.css (no style attribute, allowed by the CSP).
func newChartData(v rankingView) chartData {
	var d chartData
	var rows []rankingRow
	for _, r := range v.Rows {
		if r.score == nil {
			d.Omitted = append(d.Omitted, r.Name)
			continue
		}
		rows = append(rows, r)
	}
	d.Shown = len(rows)
	if len(rows) == 0 {
		return d
	}
	axisY := chartTop + len(rows)*chartRow
	height := axisY + chartAxis
	var summary []string
	for _, r := range rows {
		s := r.Name + " : " + r.Score
		if r.rank != nil {
			s += " (rang " + r.Rank + ")"
		} else {
			s += " (écarté)"
		}
		summary = append(summary, s)
	}
	label := "Diagramme en barres empilées : contribution de chaque critère au score sur 100 de chaque site. " +
		strings.Join(summary, " ; ") + ". Les mêmes chiffres figurent dans le tableau qui suit."

	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="ranking-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-label="%s">`,
		chartWidth, height, esc(label))
	b.WriteString(`<g class="chart-grid" aria-hidden="true">`)
	for pts := 0; pts <= 100; pts += 25 {
		x := chartBarX + chartBarWidth*pts/100
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d"></line>`, x, chartTop-4, x, axisY)
		fmt.Fprintf(&b, `<text class="chart-tick" x="%d" y="%d" text-anchor="middle">%d</text>`, x, axisY+16, pts)
	}
	b.WriteString(`</g>`)
	for i, r := range rows {
		y := chartTop + i*chartRow + (chartRow-chartBar)/2
		class := "chart-site"
		if r.rank == nil {
			class += " chart-site--eliminated"
		}
		fmt.Fprintf(&b, `<g class="%s">`, class)
		fmt.Fprintf(&b, `<text class="chart-name" x="%d" y="%d" text-anchor="end">%s</text>`,
			chartLabelEnd, y+chartBar-5, esc(shorten(r.Name, chartNameMax)))
		x := float64(chartBarX)
		for k, cell := range r.Cells {
			if cell.weighted == nil || *cell.weighted <= 0 {
				continue
			}
			w := chartBarWidth * *cell.weighted / 100
			c := v.Criteria[k]
			fmt.Fprintf(&b, `<rect class="%s" x="%.2f" y="%d" width="%.2f" height="%d"><title>%s</title></rect>`,
				c.Class, x, y, w, chartBar, esc(fmt.Sprintf("%s — %s : %s points", r.Name, c.Name, cell.Weighted)))
			x += w
		}
		text := r.Score
		if r.rank == nil {
			text += " (écarté)"
		}
		fmt.Fprintf(&b, `<text class="chart-score" x="%.2f" y="%d">%s</text>`, x+6, y+chartBar-5, esc(text))
		b.WriteString(`</g>`)
	}
	b.WriteString(`</svg>`)
	d.SVG = template.HTML(b.String()) // every piece of text above is escaped by esc
	return d
}

// esc escapes text for an SVG element or a double-quoted attribute.
func esc(s string) string { return html.EscapeString(s) }

// shorten cuts s to at most n characters, ending with « … » when cut.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
