package ui

import (
	"fmt"
	"html/template"
	"strings"
	"unicode"

	"github.com/ministere/tracker/relocation"
)

// Geometry of the milestone timeline, in SVG user units (the SVG scales to its box: the
// .timeline-svg class gives it the container's width and an automatic height).
const (
	timelineWidth    = 560
	timelinePlotX0   = 258 // the time axis starts here; titles sit left of it
	timelinePlotX1   = 540 // and ends here (room for the last year's label)
	timelineTop      = 30  // room for the « aujourd’hui » label above the rows
	timelineRow      = 32
	timelineBaseY    = 3  // the baseline strip, within a row
	timelineBaseH    = 7  //
	timelineBandY    = 12 // the planned band, within a row
	timelineBandH    = 14 //
	timelineAxisRoom = 34 // under the rows: the axis and its year labels
	timelineTitleMax = 32 // longer titles are cut (the full title is in the row's <title>)
	timelineMinMark  = 3  // the least width of a band: a day is a thin mark
	timelineTickRoom = 44 // the least room between two year labels
)

// timelineSVG draws milestones ms (in planned order) on a horizontal time axis: each
// planned interval as a band at its precision (« début 2022 » is a band of four months,
// a day is a thin mark), each actual date as a point, the baseline interval beside a
// slipped planned date (lighter/dashed, with the slip said in the accessible text),
// today marked by a vertical line labelled « aujourd’hui »; year ticks on the axis.
// It returns "" when ms is empty. Every text is escaped here; the colours come from CSS
// classes (no style attribute: the CSP forbids inline styles).
func timelineSVG(ms []relocation.Milestone, today relocation.Date) template.HTML {
	if len(ms) == 0 {
		return ""
	}
	ax := newTimelineAxis(ms, today)
	return ax.svg(today, len(ms), timelineSummary(ms), func(b *strings.Builder, i, y int) {
		writeTimelineRow(b, ax, ms[i], today, y)
	})
}

// svg draws a timeline of rows rows on ax, summed up for screen readers by summary: the
// axis, each row i written by row at height y, today's mark. row must pass every text it
// writes through svgText.
func (ax timelineAxis) svg(today relocation.Date, rows int, summary string, row func(b *strings.Builder, i, y int)) template.HTML {
	axisY := timelineTop + rows*timelineRow + 4
	height := axisY + timelineAxisRoom
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="timeline-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-label="%s">`,
		timelineWidth, height, svgText(summary))
	ax.writeAxis(&b, axisY)
	for i := range rows {
		row(&b, i, timelineTop+i*timelineRow)
	}
	ax.writeToday(&b, today, axisY)
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // every text above goes through svgText
}

// timelineAxis maps days to x: from start (included) to end (excluded).
type timelineAxis struct {
	start, end relocation.Date
}

// newTimelineAxis spans every date of ms (baseline, planned, actual) and today, padded
// by a twentieth of the span on each side (at least 15 days).
func newTimelineAxis(ms []relocation.Milestone, today relocation.Date) timelineAxis {
	lo, hi := today, today.AddDays(1)
	widen := func(first, last relocation.Date) {
		if first.Before(lo) {
			lo = first
		}
		if next := last.AddDays(1); next.After(hi) {
			hi = next
		}
	}
	for _, m := range ms {
		for _, d := range []relocation.FuzzyDate{m.Baseline, m.Planned} {
			if !d.IsZero() {
				widen(d.Start(), d.End())
			}
		}
		if !m.Actual.IsZero() {
			widen(m.Actual, m.Actual)
		}
	}
	pad := max(15, hi.DaysSince(lo)/20)
	return timelineAxis{start: lo.AddDays(-pad), end: hi.AddDays(pad)}
}

// x returns the abscissa of the start of day d.
func (a timelineAxis) x(d relocation.Date) float64 {
	span := float64(a.end.DaysSince(a.start))
	return timelinePlotX0 + float64(d.DaysSince(a.start))/span*(timelinePlotX1-timelinePlotX0)
}

// interval returns the abscissa and width of the days first to last (inclusive), at
// least timelineMinMark wide (widened around its middle).
func (a timelineAxis) interval(first, last relocation.Date) (x, w float64) {
	x, end := a.x(first), a.x(last.AddDays(1))
	if w = end - x; w < timelineMinMark {
		x, w = (x+end-timelineMinMark)/2, timelineMinMark
	}
	return x, w
}

// writeAxis writes the axis line under the rows and a tick, a label and a light grid
// line on every January 1st (every 2, 5, 10… years when the years are too close).
func (a timelineAxis) writeAxis(b *strings.Builder, axisY int) {
	b.WriteString(`<g class="timeline-axis" aria-hidden="true">`)
	fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d"></line>`, timelinePlotX0, axisY, timelinePlotX1, axisY)
	yearWidth := 365.25 / float64(a.end.DaysSince(a.start)) * (timelinePlotX1 - timelinePlotX0)
	step := 1
	for _, s := range []int{2, 5, 10, 20, 50, 100} {
		if float64(step)*yearWidth >= timelineTickRoom {
			break
		}
		step = s
	}
	ticks := 0
	for y := a.start.Year + 1; y <= a.end.Year; y++ {
		jan1 := relocation.Date{Year: y, Month: 1, Day: 1}
		if y%step != 0 || !jan1.Before(a.end) {
			continue
		}
		x := a.x(jan1)
		fmt.Fprintf(b, `<line class="timeline-grid" x1="%.1f" y1="%d" x2="%.1f" y2="%d"></line>`, x, timelineTop, x, axisY)
		fmt.Fprintf(b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d"></line>`, x, axisY, x, axisY+6)
		fmt.Fprintf(b, `<text x="%.1f" y="%d" text-anchor="middle">%d</text>`, x, axisY+22, y)
		ticks++
	}
	if ticks == 0 { // the whole axis lies within one year: say which
		fmt.Fprintf(b, `<text x="%d" y="%d">%d</text>`, timelinePlotX0, axisY+22, a.start.Year)
	}
	b.WriteString(`</g>`)
}

// writeToday writes today's vertical line across the rows, labelled above them.
func (a timelineAxis) writeToday(b *strings.Builder, today relocation.Date, axisY int) {
	x := a.x(today) + (a.x(today.AddDays(1))-a.x(today))/2
	anchor := "middle"
	switch {
	case x > timelinePlotX1-45:
		anchor = "end"
	case x < timelinePlotX0+45:
		anchor = "start"
	}
	fmt.Fprintf(b, `<g class="timeline-today"><title>%s</title>`, svgText("Aujourd’hui : "+today.Label()))
	fmt.Fprintf(b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d"></line>`, x, timelineTop-8, x, axisY)
	fmt.Fprintf(b, `<text x="%.1f" y="%d" text-anchor="%s">aujourd’hui</text></g>`, x, timelineTop-12, anchor)
}

// writeTimelineRow writes one milestone's row at y: its cut title, the baseline strip
// when the planned date moved, the planned band, and the point of the actual date.
func writeTimelineRow(b *strings.Builder, a timelineAxis, m relocation.Milestone, today relocation.Date, y int) {
	b.WriteString(`<g class="timeline-row">`)
	fmt.Fprintf(b, `<title>%s</title>`, svgText(timelineRowText(m, today)))
	fmt.Fprintf(b, `<text class="timeline-label" x="0" y="%d">%s</text>`,
		y+timelineBandY+timelineBandH-2, svgText(shorten(m.Title, timelineTitleMax)))
	if timelineSlipped(m) {
		x, w := a.interval(m.Baseline.Start(), m.Baseline.End())
		fmt.Fprintf(b, `<rect class="timeline-baseline" x="%.1f" y="%d" width="%.1f" height="%d"></rect>`,
			x, y+timelineBaseY, w, timelineBaseH)
	}
	if !m.Planned.IsZero() {
		class := "timeline-band"
		switch m.Status(today) {
		case relocation.MilestoneDone:
			class += " timeline-band--done"
		case relocation.MilestoneOverdue:
			class += " timeline-band--overdue"
		}
		x, w := a.interval(m.Planned.Start(), m.Planned.End())
		fmt.Fprintf(b, `<rect class="%s" x="%.1f" y="%d" width="%.1f" height="%d"></rect>`,
			class, x, y+timelineBandY, w, timelineBandH)
	}
	if !m.Actual.IsZero() {
		x, w := a.interval(m.Actual, m.Actual)
		fmt.Fprintf(b, `<circle class="timeline-point" cx="%.1f" cy="%d" r="5"></circle>`,
			x+w/2, y+timelineBandY+timelineBandH/2)
	}
	b.WriteString(`</g>`)
}

// timelineSlipped reports whether m's planned date differs from its first one.
func timelineSlipped(m relocation.Milestone) bool {
	return !m.Baseline.IsZero() && !m.Planned.IsZero() && m.Baseline != m.Planned
}

// timelineRowText says a row in words: « Déménagement — prévu début 2022 ; reporté de
// 122 jours (prévu initialement fin 2021) ; réalisé le 3 mars 2022 ».
func timelineRowText(m relocation.Milestone, today relocation.Date) string {
	parts := []string{m.Title + " — prévu " + timelinePlannedLabel(m.Planned)}
	if timelineSlipped(m) {
		initially := " (prévu initialement " + timelinePlannedLabel(m.Baseline) + ")"
		switch days := m.SlipDays(); {
		case days > 0:
			parts = append(parts, "reporté de "+timelineDays(days)+initially)
		case days < 0:
			parts = append(parts, "avancé de "+timelineDays(-days)+initially)
		default:
			parts = append(parts, "date précisée"+initially)
		}
	}
	switch m.Status(today) {
	case relocation.MilestoneDone:
		parts = append(parts, "réalisé le "+m.Actual.Label())
	case relocation.MilestoneOverdue:
		parts = append(parts, "en retard")
	}
	return strings.Join(parts, " ; ")
}

// timelinePlannedLabel is « le 15 juin 2021 » for a day, the bare label otherwise.
func timelinePlannedLabel(d relocation.FuzzyDate) string {
	if d.Precision == relocation.PrecisionDay {
		return "le " + d.Label()
	}
	return d.Label()
}

// timelineDays writes a number of days: « 1 jour », « 122 jours ».
func timelineDays(n int) string {
	if n == 1 {
		return "1 jour"
	}
	return frenchFloat(float64(n)) + " jours"
}

// timelineSummary is the SVG's short accessible name: « Frise chronologique de 5 jalons,
// du 15 novembre 2019 au début 2022 », and how many were put off; the page lists the
// details.
func timelineSummary(ms []relocation.Milestone) string {
	first, last := -1, -1
	slipped := 0
	for i, m := range ms {
		if timelineSlipped(m) && m.SlipDays() > 0 {
			slipped++
		}
		start, end, ok := calendarDays(m)
		if !ok {
			continue
		}
		if first < 0 || start.Before(firstStart(ms[first])) {
			first = i
		}
		if last < 0 || end.After(lastEnd(ms[last])) {
			last = i
		}
	}
	var s string
	if len(ms) == 1 {
		s = "Frise chronologique d’un jalon"
	} else {
		s = fmt.Sprintf("Frise chronologique de %d jalons", len(ms))
	}
	switch {
	case first < 0:
	case timelineDateLabel(ms[first]) == timelineDateLabel(ms[last]):
		s += ", " + timelineDateLabel(ms[first])
	default:
		s += ", du " + timelineDateLabel(ms[first]) + " au " + timelineDateLabel(ms[last])
	}
	switch {
	case slipped == 1:
		s += ", dont un reporté"
	case slipped > 1:
		s += fmt.Sprintf(", dont %d reportés", slipped)
	}
	return s
}

func firstStart(m relocation.Milestone) relocation.Date { d, _, _ := calendarDays(m); return d }
func lastEnd(m relocation.Milestone) relocation.Date    { _, d, _ := calendarDays(m); return d }

// timelineDateLabel is the French label of m's date: the actual day once done, else the
// planned date (« début 2022 »).
func timelineDateLabel(m relocation.Milestone) string {
	if !m.Actual.IsZero() {
		return m.Actual.Label()
	}
	return m.Planned.Label()
}

// svgText escapes s for SVG text or a double-quoted attribute, dropping what XML 1.0
// cannot carry (control characters other than tab and line ends, invalid UTF-8).
func svgText(s string) string {
	s = strings.Map(func(r rune) rune {
		if (unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r') || r == 0xFFFE || r == 0xFFFF {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
	return esc(s)
}
