package ui

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	goical "github.com/emersion/go-ical"

	"github.com/ministere/tracker/relocation"
)

// calMilestone builds a milestone by hand: id, title, planned (canonical form), version;
// the rest as the test sets it.
func calMilestone(t *testing.T, id int64, title, planned string, version int) relocation.Milestone {
	t.Helper()
	p, err := relocation.ParseFuzzyDate(planned)
	if err != nil {
		t.Fatalf("planned %q: %v", planned, err)
	}
	at := time.Date(2021, 6, 16, 10, 30, 0, 0, relocation.Paris)
	return relocation.Milestone{ID: id, RelocationID: 1, Kind: "other", Title: title, Planned: p, Baseline: p,
		Source: "Réponse à la QE n° 25585, JO du 15 juin 2021, p. 4892", Version: version, CreatedAt: at, UpdatedAt: at}
}

func calDate(t *testing.T, s string) relocation.Date {
	t.Helper()
	d, err := relocation.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

var calRelocation = relocation.Relocation{ID: 1, Slug: "cleiss", Name: "Relocalisation du CLEISS, Paris → Montreuil"}

// parseICS writes ms with calendarICS and reads the result back with go-ical, another
// implementation of RFC 5545: the events by UID and the raw text.
func parseICS(t *testing.T, ms ...relocation.Milestone) (*goical.Calendar, map[string]goical.Event, string) {
	t.Helper()
	out, err := calendarICS(calRelocation, ms)
	if err != nil {
		t.Fatalf("calendarICS: %v", err)
	}
	cal, err := goical.NewDecoder(strings.NewReader(string(out))).Decode()
	if err != nil {
		t.Fatalf("go-ical cannot read the calendar: %v\n%s", err, out)
	}
	events := map[string]goical.Event{}
	for _, e := range cal.Events() {
		uid, _ := e.Props.Text(goical.PropUID)
		events[uid] = e
	}
	return cal, events, string(out)
}

// propText reads a TEXT property as go-ical unescapes it.
func propText(t *testing.T, c *goical.Component, name string) string {
	t.Helper()
	s, err := c.Props.Text(name)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return s
}

// propValue returns a property's raw value, "" when absent.
func propValue(c *goical.Component, name string) string {
	if p := c.Props.Get(name); p != nil {
		return p.Value
	}
	return ""
}

// TestCalendarICSProperties: the calendar's properties, and each event's for a milestone
// planned « début 2022 », one planned to the day, and one done.
func TestCalendarICSProperties(t *testing.T) {
	move := calMilestone(t, 7, "Déménagement", "2022-early", 2)
	move.Notes = "Date annoncée par le ministre."
	url := "https://www.assemblee-nationale.fr/dyn/15/questions/QANR5L15QE25585?a=1,2;b"
	move.SourceURL = &url
	decision := calMilestone(t, 8, "Décision du 4e CITP", "2019-11-15", 1)
	letter := calMilestone(t, 9, "Lettre d’intention signée", "2021-06", 4)
	letter.Actual = calDate(t, "2021-06-10")
	cal, events, raw := parseICS(t, move, decision, letter)

	for name, want := range map[string]string{
		"PRODID": "-//Ministère//Suivi des relocalisations//FR", "VERSION": "2.0", "CALSCALE": "GREGORIAN",
		"METHOD": "PUBLISH", "X-WR-CALNAME": "Relocalisation du CLEISS, Paris → Montreuil — jalons",
		"X-WR-TIMEZONE": "Europe/Paris",
	} {
		if got := propText(t, cal.Component, name); got != want {
			t.Errorf("calendar %s = %q, want %q", name, got, want)
		}
	}
	if len(events) != 3 {
		t.Fatalf("%d events, want 3:\n%s", len(events), raw)
	}

	type want struct {
		start, end, status, summary, description, url string
		sequence                                      int
	}
	for uid, w := range map[string]want{
		"jalon-7@suivi-relocalisations.gouv.fr": {"20220101", "20220501", "TENTATIVE", "Déménagement (début 2022)",
			"Source : Réponse à la QE n° 25585, JO du 15 juin 2021, p. 4892\n\nDate annoncée par le ministre.", url, 1},
		"jalon-8@suivi-relocalisations.gouv.fr": {"20191115", "20191116", "CONFIRMED", "Décision du 4e CITP",
			"Source : Réponse à la QE n° 25585, JO du 15 juin 2021, p. 4892", "", 0},
		"jalon-9@suivi-relocalisations.gouv.fr": {"20210610", "20210611", "CONFIRMED", "Lettre d’intention signée",
			"Source : Réponse à la QE n° 25585, JO du 15 juin 2021, p. 4892", "", 3},
	} {
		e, ok := events[uid]
		if !ok {
			t.Errorf("no event %s:\n%s", uid, raw)
			continue
		}
		for _, p := range []struct{ name, value string }{{goical.PropDateTimeStart, w.start}, {goical.PropDateTimeEnd, w.end}} {
			prop := e.Props.Get(p.name)
			if prop == nil || prop.Value != p.value || prop.Params.Get(goical.ParamValue) != "DATE" {
				t.Errorf("%s %s = %+v, want VALUE=DATE:%s", uid, p.name, prop, p.value)
			}
		}
		if _, err := e.DateTimeStart(nil); err != nil {
			t.Errorf("%s DTSTART unreadable: %v", uid, err)
		}
		if got := propText(t, e.Component, goical.PropStatus); got != w.status {
			t.Errorf("%s STATUS = %q, want %q", uid, got, w.status)
		}
		if got := propText(t, e.Component, goical.PropSummary); got != w.summary {
			t.Errorf("%s SUMMARY = %q, want %q", uid, got, w.summary)
		}
		if got := propText(t, e.Component, goical.PropDescription); got != w.description {
			t.Errorf("%s DESCRIPTION = %q, want %q", uid, got, w.description)
		}
		if got := propValue(e.Component, goical.PropURL); got != w.url {
			t.Errorf("%s URL = %q, want %q", uid, got, w.url)
		}
		if seq, err := e.Props.Get(goical.PropSequence).Int(); err != nil || seq != w.sequence {
			t.Errorf("%s SEQUENCE = %d (%v), want %d", uid, seq, err, w.sequence)
		}
		for _, name := range []string{goical.PropDateTimeStamp, goical.PropLastModified} {
			if got := propValue(e.Component, name); got != "20210616T083000Z" {
				t.Errorf("%s %s = %q, want 20210616T083000Z (UpdatedAt in UTC)", uid, name, got)
			}
		}
	}
}

// TestCalendarICSIntervals: DTEND is the day after the planned interval's last day, across
// months, years and a leap February.
func TestCalendarICSIntervals(t *testing.T) {
	for planned, want := range map[string][2]string{
		"2022-Q1":    {"20220101", "20220401"},
		"2022-S2":    {"20220701", "20230101"},
		"2022-mid":   {"20220501", "20220901"},
		"2022-late":  {"20220901", "20230101"},
		"2024-02":    {"20240201", "20240301"},
		"2022":       {"20220101", "20230101"},
		"2021-12-31": {"20211231", "20220101"},
	} {
		_, events, _ := parseICS(t, calMilestone(t, 1, "Jalon", planned, 1))
		e := events["jalon-1@suivi-relocalisations.gouv.fr"]
		if e.Component == nil {
			t.Fatalf("%s: no event", planned)
		}
		got := [2]string{propValue(e.Component, "DTSTART"), propValue(e.Component, "DTEND")}
		if got != want {
			t.Errorf("%s: DTSTART, DTEND = %v, want %v", planned, got, want)
		}
	}
}

// TestCalendarICSStableUID: the same milestone written at version 1, then re-planned at
// version 3, keeps its UID and raises its SEQUENCE.
func TestCalendarICSStableUID(t *testing.T) {
	m := calMilestone(t, 42, "Déménagement", "2022-early", 1)
	_, before, _ := parseICS(t, m)
	m.Planned, _ = relocation.ParseFuzzyDate("2022-mid")
	m.Version = 3
	m.UpdatedAt = m.UpdatedAt.Add(48 * time.Hour)
	_, after, _ := parseICS(t, m)
	uid := "jalon-42@suivi-relocalisations.gouv.fr"
	if len(before) != 1 || len(after) != 1 || before[uid].Component == nil || after[uid].Component == nil {
		t.Fatalf("UIDs %v then %v, want %s both times", before, after, uid)
	}
	s1, _ := before[uid].Props.Get(goical.PropSequence).Int()
	s2, _ := after[uid].Props.Get(goical.PropSequence).Int()
	if s1 != 0 || s2 != 2 {
		t.Errorf("SEQUENCE %d then %d, want 0 then 2", s1, s2)
	}
	if got := propValue(after[uid].Component, "DTSTAMP"); got != "20210618T083000Z" {
		t.Errorf("DTSTAMP after the change = %s, want 20210618T083000Z", got)
	}
}

// TestCalendarICSFolding: every physical line ends with CRLF and holds at most 75 octets,
// never cut inside a character, for a long accented title and a 300-character source;
// go-ical unfolds them back to the originals.
func TestCalendarICSFolding(t *testing.T) {
	title := strings.Repeat("Déménagement à Montreuil de l’établissement « Élysée » — ", 4) + "étape ôûçè"
	source := strings.Repeat("Réponse é ", 29) + "Réponse éé" // 300 characters, 360 octets
	if utf8.RuneCountInString(source) != 300 {
		t.Fatalf("source of %d characters", utf8.RuneCountInString(source))
	}
	m := calMilestone(t, 3, title, "2021-06-15", 1)
	m.Source = source
	_, events, raw := parseICS(t, m)

	if !strings.HasSuffix(raw, "END:VCALENDAR\r\n") {
		t.Errorf("the calendar does not end with END:VCALENDAR CRLF: %q", raw[max(0, len(raw)-30):])
	}
	lines := strings.Split(strings.TrimSuffix(raw, "\r\n"), "\r\n")
	folded := 0
	for i, line := range lines {
		if len(line) > 75 || strings.ContainsAny(line, "\r\n") || !utf8.ValidString(line) {
			t.Errorf("line %d (%d octets, valid UTF-8 %v): %q", i+1, len(line), utf8.ValidString(line), line)
		}
		if strings.HasPrefix(line, " ") {
			folded++
		}
	}
	if folded < 8 {
		t.Errorf("%d continuation lines, want the long title and source folded:\n%s", folded, raw)
	}
	e := events["jalon-3@suivi-relocalisations.gouv.fr"]
	if got := propText(t, e.Component, "SUMMARY"); got != title {
		t.Errorf("SUMMARY read back %q, want %q", got, title)
	}
	if got := propText(t, e.Component, "DESCRIPTION"); got != "Source : "+source {
		t.Errorf("DESCRIPTION read back %q", got)
	}
}

// TestCalendarICSEscaping: , ; \ and line ends in the title, source and notes are escaped
// in the text, and read back as written; a CRLF from a form never leaves a bare CR.
func TestCalendarICSEscaping(t *testing.T) {
	title := `Bail, signé; voir \ dossier` + "\nsuite"
	m := calMilestone(t, 5, title, "2021-06-15", 1)
	m.Source = `JO, p. 4892; annexe \ 2` + "\nligne 2"
	m.Notes = "note 1\r\nnote 2"
	_, events, raw := parseICS(t, m)
	unfolded := strings.ReplaceAll(raw, "\r\n ", "")
	for _, want := range []string{
		`SUMMARY:Bail\, signé\; voir \\ dossier\nsuite` + "\r\n",
		`DESCRIPTION:Source : JO\, p. 4892\; annexe \\ 2\nligne 2\n\nnote 1\nnote 2` + "\r\n",
	} {
		if !strings.Contains(unfolded, want) {
			t.Errorf("the calendar lacks %q:\n%s", want, raw)
		}
	}
	if strings.Count(raw, "\r") != strings.Count(raw, "\r\n") || strings.Count(raw, "\n") != strings.Count(raw, "\r\n") {
		t.Errorf("bare CR or LF in the calendar: %q", raw)
	}
	e := events["jalon-5@suivi-relocalisations.gouv.fr"]
	if got := propText(t, e.Component, "SUMMARY"); got != title {
		t.Errorf("SUMMARY read back %q, want %q", got, title)
	}
	if got, want := propText(t, e.Component, "DESCRIPTION"), "Source : "+m.Source+"\n\nnote 1\nnote 2"; got != want {
		t.Errorf("DESCRIPTION read back %q, want %q", got, want)
	}
}

// TestCalendarICSScriptTitle: iCalendar is not HTML: a <script> title is kept as text.
func TestCalendarICSScriptTitle(t *testing.T) {
	title := "<script>alert(1)</script> & « guillemets »"
	_, events, raw := parseICS(t, calMilestone(t, 6, title, "2022-early", 1))
	if strings.Contains(raw, "&lt;") || strings.Contains(raw, "&amp;") {
		t.Errorf("HTML escaping in the calendar:\n%s", raw)
	}
	if got := propText(t, events["jalon-6@suivi-relocalisations.gouv.fr"].Component, "SUMMARY"); got != title+" (début 2022)" {
		t.Errorf("SUMMARY read back %q", got)
	}
}

// TestCalendarICSEmpty: no milestones still make a valid calendar; a milestone without
// any date has no day to sit on and is left out.
func TestCalendarICSEmpty(t *testing.T) {
	cal, events, _ := parseICS(t)
	if len(events) != 0 || propText(t, cal.Component, "PRODID") == "" {
		t.Errorf("empty calendar: %d events", len(events))
	}
	undated := relocation.Milestone{ID: 9, Title: "Sans date", Version: 1}
	if _, events, _ := parseICS(t, undated); len(events) != 0 {
		t.Errorf("an undated milestone gave %d events", len(events))
	}
}
