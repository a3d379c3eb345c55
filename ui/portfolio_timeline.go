package ui

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/ministere/tracker/relocation"
)

// portfolioTimelineSVG draws the target move of every relocation of rows on one time
// axis, with the milestone timeline's geometry and classes (timeline.go): a band over
// the interval the move is announced at (« début 2022 » covers January to April), green
// once moved, red when its end is past and the relocation has not moved, grey when
// cancelled; today marked. Each row's <title> says it in words; the page's table holds
// the same facts. It returns "" when rows is empty.
func portfolioTimelineSVG(rows []portfolioRow, today relocation.Date) template.HTML {
	if len(rows) == 0 {
		return ""
	}
	// The axis spans the moves and today, as the milestone timeline's spans its dates.
	spans := make([]relocation.Milestone, len(rows))
	for i, r := range rows {
		spans[i] = relocation.Milestone{Planned: r.TargetMove}
	}
	ax := newTimelineAxis(spans, today)
	return ax.svg(today, len(rows), portfolioTimelineSummary(rows), func(b *strings.Builder, i, y int) {
		r := rows[i]
		b.WriteString(`<g class="timeline-row">`)
		fmt.Fprintf(b, `<title>%s</title>`, svgText(portfolioMoveText(r, today)))
		fmt.Fprintf(b, `<text class="timeline-label" x="0" y="%d">%s</text>`,
			y+timelineBandY+timelineBandH-2, svgText(shorten(r.Name, timelineTitleMax)))
		if !r.TargetMove.IsZero() {
			x, w := ax.interval(r.TargetMove.Start(), r.TargetMove.End())
			fmt.Fprintf(b, `<rect class="timeline-band%s" x="%.1f" y="%d" width="%.1f" height="%d"></rect>`,
				portfolioMoveClass(r, today), x, y+timelineBandY, w, timelineBandH)
		}
		b.WriteString(`</g>`)
	})
}

// portfolioMoved reports whether r has moved: its move milestone is done, or its status
// says so.
func portfolioMoved(r portfolioRow) bool {
	return r.MovedOn != nil || r.Status == relocation.StatusMoved
}

// portfolioMoveLate reports whether r's target move ended before today while r has
// neither moved nor been cancelled.
func portfolioMoveLate(r portfolioRow, today relocation.Date) bool {
	return !portfolioMoved(r) && r.Status != relocation.StatusCancelled && !r.TargetMove.IsZero() && today.After(r.TargetMove.End())
}

// portfolioMoveClass is the band's modifier class for r's state.
func portfolioMoveClass(r portfolioRow, today relocation.Date) string {
	switch {
	case portfolioMoved(r):
		return " timeline-band--done"
	case r.Status == relocation.StatusCancelled:
		return " timeline-band--cancelled"
	case portfolioMoveLate(r, today):
		return " timeline-band--overdue"
	}
	return ""
}

// portfolioMoveText says a row in words: « Relocalisation du CLEISS (CLEISS) —
// déménagement visé début 2022, du 1er janvier 2022 au 30 avril 2022 ; Site choisi ;
// date dépassée ».
func portfolioMoveText(r portfolioRow, today relocation.Date) string {
	s := fmt.Sprintf("%s (%s) — déménagement visé %s", r.Name, r.Body, timelinePlannedLabel(r.TargetMove))
	if r.TargetMove.Precision != relocation.PrecisionDay {
		s += ", du " + r.TargetMove.Start().Label() + " au " + r.TargetMove.End().Label()
	}
	s += " ; " + relocationStatusLabels[r.Status]
	if r.MovedOn != nil {
		s += " ; déménagé le " + r.MovedOn.Label()
	}
	if portfolioMoveLate(r, today) {
		s += " ; date dépassée"
	}
	return s
}

// portfolioTimelineSummary is the SVG's accessible name: « Frise des déménagements visés
// de 3 projets, de début 2022 à fin 2024 (détail dans le tableau) ».
func portfolioTimelineSummary(rows []portfolioRow) string {
	first, last := rows[0].TargetMove, rows[0].TargetMove
	for _, r := range rows[1:] {
		if r.TargetMove.Start().Before(first.Start()) {
			first = r.TargetMove
		}
		if r.TargetMove.End().After(last.End()) {
			last = r.TargetMove
		}
	}
	s := "Frise du déménagement visé d’un projet, " + first.Label()
	if len(rows) > 1 {
		s = fmt.Sprintf("Frise des déménagements visés de %d projets", len(rows))
		if first.Label() == last.Label() {
			s += ", " + first.Label()
		} else {
			s += ", de " + first.Label() + " à " + last.Label()
		}
	}
	return s + " (détail dans le tableau)"
}
