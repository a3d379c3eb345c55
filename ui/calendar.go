package ui

import (
	"strconv"
	"strings"
	"unicode"

	ics "github.com/arran4/golang-ical"
	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
)

// Calendar identity: the product identifier and the domain of the events' UIDs. A UID
// depends only on the milestone's id, so calendar applications update an event in place
// when the milestone changes (SEQUENCE tells them which copy is newer).
const (
	calendarProdID    = "-//Ministère//Suivi des relocalisations//FR"
	calendarUIDDomain = "suivi-relocalisations.gouv.fr"
)

// calendarICS writes the iCalendar (RFC 5545) of relocation r's milestones ms (the caller
// passes the public ones for /r/{slug}/calendar.ics, all for the API): one all-day VEVENT
// per milestone, UID jalon-<id>@suivi-relocalisations.gouv.fr, SEQUENCE version − 1,
// DTSTART/DTEND (VALUE=DATE, end exclusive) over the planned interval or, once done, the
// actual day; SUMMARY with the French label while the date is approximate; STATUS
// TENTATIVE until the planned date is a day. A milestone with neither planned nor actual
// date has no day to sit on and is left out. Lines end with CRLF and are folded at 75
// octets by the library, which also escapes TEXT values; no HTML escaping applies.
func calendarICS(r relocation.Relocation, ms []relocation.Milestone) ([]byte, error) {
	cal := ics.NewCalendarFor("Ministère")
	cal.SetProductId(calendarProdID)
	cal.SetCalscale("GREGORIAN")
	cal.SetMethod(ics.MethodPublish)
	cal.SetXWRCalName(icsText(r.Name + " — jalons"))
	cal.SetXWRTimezone("Europe/Paris")
	for _, m := range ms {
		first, last, ok := calendarDays(m)
		if !ok {
			continue
		}
		e := cal.AddEvent("jalon-" + strconv.FormatInt(m.ID, 10) + "@" + calendarUIDDomain)
		stamp := m.UpdatedAt
		if stamp.IsZero() {
			stamp = m.CreatedAt
		}
		e.SetDtStampTime(stamp.UTC())
		e.SetLastModifiedAt(stamp.UTC())
		e.SetSequence(max(m.Version-1, 0))
		e.SetAllDayStartAt(first.Time())
		e.SetAllDayEndAt(last.AddDays(1).Time())
		e.SetSummary(icsText(calendarSummary(m)))
		e.SetStatus(calendarStatus(m))
		if d := calendarDescription(m); d != "" {
			e.SetDescription(icsText(d))
		}
		if m.SourceURL != nil {
			if u := strings.TrimSpace(*m.SourceURL); u != "" && !strings.ContainsFunc(u, unicode.IsControl) {
				e.SetURL(u) // a URI, not TEXT: written as is
			}
		}
	}
	var b strings.Builder
	if err := cal.SerializeTo(&b, ics.WithNewLineWindows); err != nil {
		return nil, err
	}
	return []byte(b.String()), nil
}

// calendarDays returns the first and last day (inclusive) of m's event: the actual day
// once done, else the planned interval; ok is false when m has no date at all.
func calendarDays(m relocation.Milestone) (first, last relocation.Date, ok bool) {
	switch {
	case !m.Actual.IsZero():
		return m.Actual, m.Actual, true
	case !m.Planned.IsZero():
		return m.Planned.Start(), m.Planned.End(), true
	}
	return relocation.Date{}, relocation.Date{}, false
}

// calendarSummary is m's title, with the French label of its planned date in
// parentheses while that date is approximate and m not done (« Déménagement (début
// 2022) »): once done the event sits on the actual day, which is exact.
func calendarSummary(m relocation.Milestone) string {
	if m.Actual.IsZero() && !m.Planned.IsZero() && m.Planned.Precision != relocation.PrecisionDay {
		return m.Title + " (" + m.Planned.Label() + ")"
	}
	return m.Title
}

// calendarStatus is CONFIRMED once m is done or planned to the day, else TENTATIVE.
func calendarStatus(m relocation.Milestone) ics.ObjectStatus {
	if !m.Actual.IsZero() || m.Planned.Precision == relocation.PrecisionDay {
		return ics.ObjectStatusConfirmed
	}
	return ics.ObjectStatusTentative
}

// calendarDescription is « Source : <source> », then m's notes after a blank line.
func calendarDescription(m relocation.Milestone) string {
	var parts []string
	if s := strings.TrimSpace(m.Source); s != "" {
		parts = append(parts, "Source : "+s)
	}
	if n := strings.TrimSpace(m.Notes); n != "" {
		parts = append(parts, n)
	}
	return strings.Join(parts, "\n\n")
}

// icsText prepares s for an iCalendar TEXT value, which the library then escapes (\ ; ,
// and newlines): line ends become LF (a CR would otherwise be written bare), and the
// control characters RFC 5545 forbids in TEXT (all but HTAB and LF) are dropped.
func icsText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Map(func(r rune) rune {
		if r != '\t' && r != '\n' && unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
}

// sendCalendar answers the calendar of r's milestones ms (RFC 5545).
func sendCalendar(c *fiber.Ctx, r relocation.Relocation, ms []relocation.Milestone) error {
	body, err := calendarICS(r, ms)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, calendarType)
	return c.Send(body)
}
