package ui

import (
	"encoding/xml"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ministere/tracker/relocation"
)

// svgNode is any element of a parsed SVG, with its attributes, children and text.
type svgNode struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Nodes   []svgNode  `xml:",any"`
	Text    string     `xml:",chardata"`
}

func (n svgNode) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}

func (n svgNode) num(t *testing.T, name string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(n.attr(name), 64)
	if err != nil {
		t.Fatalf("<%s %s=%q>: %v", n.XMLName.Local, name, n.attr(name), err)
	}
	return f
}

// hasClass reports whether n's class attribute holds the class c.
func (n svgNode) hasClass(c string) bool {
	for _, f := range strings.Fields(n.attr("class")) {
		if f == c {
			return true
		}
	}
	return false
}

// find returns n's descendants (n included) that are <tag> elements with class c (any
// element when tag is "", any class when c is "").
func (n svgNode) find(tag, c string) []svgNode {
	var out []svgNode
	if (tag == "" || n.XMLName.Local == tag) && (c == "" || n.hasClass(c)) {
		out = append(out, n)
	}
	for _, k := range n.Nodes {
		out = append(out, k.find(tag, c)...)
	}
	return out
}

// parseSVG checks that s is one well-formed XML element and returns it.
func parseSVG(t *testing.T, s string) svgNode {
	t.Helper()
	var root svgNode
	d := xml.NewDecoder(strings.NewReader(s))
	d.Strict = true
	if err := d.Decode(&root); err != nil {
		t.Fatalf("the timeline is not well-formed XML: %v\n%s", err, s)
	}
	return root
}

// tlMilestone builds a milestone planned at planned (canonical form), with the same baseline.
func tlMilestone(t *testing.T, title, planned string) relocation.Milestone {
	t.Helper()
	p, err := relocation.ParseFuzzyDate(planned)
	if err != nil {
		t.Fatal(err)
	}
	return relocation.Milestone{Title: title, Planned: p, Baseline: p, Source: "JO", Version: 1}
}

// The CLEISS case, as of 1 September 2021: a decision done on the day, a letter of intent
// done, a move « début 2022 » put off from « fin 2021 », a day-precision milestone to come.
func tlCLEISS(t *testing.T) ([]relocation.Milestone, relocation.Date) {
	decision := tlMilestone(t, "Décision du 4e CITP", "2019-11-15")
	decision.Actual = calDate(t, "2019-11-15")
	letter := tlMilestone(t, "Lettre d’intention signée avec le bailleur du bas Montreuil", "2021-06")
	letter.Actual = calDate(t, "2021-06-10")
	answer := tlMilestone(t, "Réponse publiée au JO", "2021-06-15")
	move := tlMilestone(t, "Déménagement", "2022-early")
	move.Baseline, _ = relocation.ParseFuzzyDate("2021-late")
	return []relocation.Milestone{decision, letter, answer, move}, calDate(t, "2021-09-01")
}

// TestTimelineSVG: well-formed, labelled, one row per milestone; « début 2022 » is a wider
// band than a day's mark; a done milestone has a point; the slipped move shows its
// baseline and says the slip; today's line lies within the axis; year ticks; no style.
func TestTimelineSVG(t *testing.T) {
	ms, today := tlCLEISS(t)
	out := string(timelineSVG(ms, today))
	root := parseSVG(t, out)

	if root.XMLName.Local != "svg" || root.attr("role") != "img" || !root.hasClass("timeline-svg") || root.attr("viewBox") == "" {
		t.Errorf("root <%s role=%q class=%q viewBox=%q>", root.XMLName.Local, root.attr("role"), root.attr("class"), root.attr("viewBox"))
	}
	if got, want := root.attr("aria-label"), "Frise chronologique de 4 jalons, du 15 novembre 2019 au début 2022, dont un reporté"; got != want {
		t.Errorf("aria-label %q, want %q", got, want)
	}
	if strings.Contains(out, "style=") || strings.Contains(out, "<style") || strings.Contains(out, "<script") {
		t.Errorf("inline style or script in the timeline:\n%s", out)
	}
	rows := root.find("g", "timeline-row")
	if len(rows) != len(ms) {
		t.Fatalf("%d rows, want %d", len(rows), len(ms))
	}
	band := func(i int) svgNode {
		t.Helper()
		bands := rows[i].find("rect", "timeline-band")
		if len(bands) != 1 {
			t.Fatalf("row %d has %d bands, want 1", i, len(bands))
		}
		return bands[0]
	}
	// « début 2022 » covers four months; 15 June 2021 is one day, drawn as a thin mark.
	if early, day := band(3).num(t, "width"), band(2).num(t, "width"); early < 5*day || day <= 0 || day > 4 {
		t.Errorf("band widths: début 2022 %.1f, a day %.1f; want a wide band and a thin mark", early, day)
	}
	if !band(0).hasClass("timeline-band--done") || !band(1).hasClass("timeline-band--done") || band(3).hasClass("timeline-band--done") {
		t.Errorf("done bands: %q %q %q", band(0).attr("class"), band(1).attr("class"), band(3).attr("class"))
	}
	if !band(2).hasClass("timeline-band--overdue") {
		t.Errorf("15 June 2021 not done on 1 September 2021: class %q, want overdue", band(2).attr("class"))
	}
	for i, wantPoint := range []bool{true, true, false, false} {
		if got := len(rows[i].find("circle", "timeline-point")); got != map[bool]int{true: 1, false: 0}[wantPoint] {
			t.Errorf("row %d has %d points", i, got)
		}
	}
	// The point of 10 June 2021 lies inside the band of June 2021.
	p := rows[1].find("circle", "timeline-point")[0]
	if cx, x, w := p.num(t, "cx"), band(1).num(t, "x"), band(1).num(t, "width"); cx < x || cx > x+w {
		t.Errorf("point at %.1f outside the band [%.1f, %.1f]", cx, x, x+w)
	}
	// The move slipped from « fin 2021 »: its baseline, before its band, and the slip in words.
	base := rows[3].find("rect", "timeline-baseline")
	if len(base) != 1 || base[0].num(t, "x") >= band(3).num(t, "x") {
		t.Fatalf("the slipped move has %d baselines (want 1, before its band)", len(base))
	}
	titles := rows[3].find("title", "")
	if len(titles) != 1 || !strings.Contains(titles[0].Text, "reporté de 120 jours (prévu initialement fin 2021)") {
		t.Errorf("the move's title %v does not say the slip", titles)
	}
	for i := 0; i < 3; i++ {
		if len(rows[i].find("rect", "timeline-baseline")) != 0 {
			t.Errorf("row %d has a baseline but did not slip", i)
		}
	}
	// Today's line, within the axis, labelled.
	axis := root.find("g", "timeline-axis")
	todays := root.find("g", "timeline-today")
	if len(axis) != 1 || len(todays) != 1 {
		t.Fatalf("%d axes, %d today marks, want 1 each", len(axis), len(todays))
	}
	axisLine := axis[0].find("line", "")[0]
	lo, hi := axisLine.num(t, "x1"), axisLine.num(t, "x2")
	line := todays[0].find("line", "")
	if len(line) != 1 || line[0].num(t, "x1") < lo || line[0].num(t, "x1") > hi {
		t.Errorf("today's line %v outside the axis [%.1f, %.1f]", line, lo, hi)
	}
	if texts := todays[0].find("text", ""); len(texts) != 1 || texts[0].Text != "aujourd’hui" {
		t.Errorf("today's label: %v", texts)
	}
	// Between the letter's band (June 2021) and the move's (2022).
	if x := line[0].num(t, "x1"); x < band(1).num(t, "x") || x > band(3).num(t, "x") {
		t.Errorf("today's line at %.1f, not between June 2021 and 2022", x)
	}
	var years []string
	for _, tx := range axis[0].find("text", "") {
		years = append(years, tx.Text)
	}
	if got := strings.Join(years, " "); got != "2020 2021 2022" {
		t.Errorf("year ticks %q, want 2020 2021 2022", got)
	}
	// Every band lies within the axis.
	for _, r := range root.find("rect", "") {
		if x, w := r.num(t, "x"), r.num(t, "width"); x < lo-0.1 || x+w > hi+0.1 {
			t.Errorf("<rect class=%q> [%.1f, %.1f] outside the axis [%.1f, %.1f]", r.attr("class"), x, x+w, lo, hi)
		}
	}
}

// TestTimelineSVGToday: today far after the milestones still lies on the axis, whose
// ticks thin out over a long span.
func TestTimelineSVGToday(t *testing.T) {
	ms := []relocation.Milestone{tlMilestone(t, "Décision", "1990-03-01"), tlMilestone(t, "Déménagement", "2000-S1")}
	today := calDate(t, "2031-12-31")
	root := parseSVG(t, string(timelineSVG(ms, today)))
	axisLine := root.find("g", "timeline-axis")[0].find("line", "")[0]
	todayLine := root.find("g", "timeline-today")[0].find("line", "")[0]
	if x := todayLine.num(t, "x1"); x < axisLine.num(t, "x1") || x > axisLine.num(t, "x2") {
		t.Errorf("today at %.1f, outside the axis", x)
	}
	ticks := root.find("g", "timeline-axis")[0].find("text", "")
	if len(ticks) < 3 || len(ticks) > 10 {
		t.Errorf("%d year labels over 42 years, want a readable few", len(ticks))
	}
	if got := root.attr("aria-label"); got != "Frise chronologique de 2 jalons, du 1er mars 1990 au 1er semestre 2000" {
		t.Errorf("aria-label %q", got)
	}
	// A span within one year still names its year.
	one := parseSVG(t, string(timelineSVG([]relocation.Milestone{tlMilestone(t, "Bail", "2022-05-10")}, calDate(t, "2022-04-01"))))
	if texts := one.find("g", "timeline-axis")[0].find("text", ""); len(texts) != 1 || texts[0].Text != "2022" {
		t.Errorf("one-year axis labels %v, want 2022", texts)
	}
	if got := one.attr("aria-label"); got != "Frise chronologique d’un jalon, 10 mai 2022" {
		t.Errorf("aria-label %q", got)
	}
}

// TestTimelineSVGEscapes: a <script> title is escaped text; a long title is cut with « … »
// and given in full in the row's <title>; control characters keep the XML well-formed.
func TestTimelineSVGEscapes(t *testing.T) {
	script := "<script>alert(1)</script> & \"x\""
	long := "Consultation du comité social d’administration sur l’aménagement des locaux"
	ms := []relocation.Milestone{tlMilestone(t, script, "2022-early"), tlMilestone(t, long, "2022-mid"),
		tlMilestone(t, "Bell\x07 \x00nul \ufffe", "2022-late")}
	out := string(timelineSVG(ms, calDate(t, "2021-01-01")))
	if strings.Contains(out, "<script") {
		t.Fatalf("raw <script in the timeline:\n%s", out)
	}
	root := parseSVG(t, out)
	rows := root.find("g", "timeline-row")
	if got := rows[0].find("text", "timeline-label")[0].Text; got != script {
		t.Errorf("label read back %q, want %q", got, script)
	}
	label := rows[1].find("text", "timeline-label")[0].Text
	if !strings.HasSuffix(label, "…") || utf8.RuneCountInString(label) > timelineTitleMax || !strings.HasPrefix(long, strings.TrimSuffix(label, "…")) {
		t.Errorf("long title drawn as %q", label)
	}
	if title := rows[1].find("title", "")[0].Text; !strings.HasPrefix(title, long+" — prévu mi-2022") {
		t.Errorf("row title %q, want the full title first", title)
	}
}

// TestTimelineSVGEmpty: no milestones, no timeline.
func TestTimelineSVGEmpty(t *testing.T) {
	if got := timelineSVG(nil, calDate(t, "2021-09-01")); got != "" {
		t.Errorf("timelineSVG(nil) = %q, want \"\"", got)
	}
}
