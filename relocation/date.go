package relocation

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Paris must work without system tzdata.
)

// Date is a civil calendar date without time zone, such as the actual date
// of a milestone. The zero value means "no date".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// Years accepted by the parsers.
const (
	minDateYear = 1900
	maxDateYear = 2200
)

var (
	errDate      = errors.New("date invalide : format attendu AAAA-MM-JJ, par exemple 2021-06-15")
	errDateInput = errors.New("date invalide : formes acceptées 2021-06-15, 15/06/2021, « 15 juin 2021 »")
)

// frenchMonths are the French month names, January first.
var frenchMonths = [12]string{"janvier", "février", "mars", "avril", "mai", "juin",
	"juillet", "août", "septembre", "octobre", "novembre", "décembre"}

// Paris is the time zone of the tracker's users: "today" and every time shown is
// read there (time/tzdata is linked in, so it loads without system tzdata).
var Paris = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return time.FixedZone("CET", 3600) // unreachable with time/tzdata embedded
	}
	return loc
}()

// ParseDate parses a strict ISO date such as 2021-06-15 (years 1900 to 2200).
func ParseDate(s string) (Date, error) {
	d, ok := parseISODate(s)
	return found(d, ok, errDate)
}

// ParseDateInput parses what HTML forms accept: 2021-06-15, 15/06/2021 (also 15.06.2021, 15-06-2021)
// (or 1/6/2021), « 15 juin 2021 » or « 1er juin 2021 », tolerant of spaces,
// case and missing accents.
func ParseDateInput(s string) (Date, error) {
	d, ok := parseDateInput(normalizeFrench(s))
	return found(d, ok, errDateInput)
}

// DateOf returns t's calendar date in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// Today returns now's calendar date in Europe/Paris.
func Today(now time.Time) Date { return DateOf(now.In(Paris)) }

// String returns the ISO form, e.g. "2021-06-15", or "" for the zero value.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Label returns the French label, e.g. "15 juin 2021" or "1er juin 2021".
func (d Date) Label() string {
	if d.IsZero() || d.Month < time.January || d.Month > time.December {
		return ""
	}
	day := strconv.Itoa(d.Day)
	if d.Day == 1 {
		day = "1er"
	}
	return day + " " + frenchMonths[d.Month-1] + " " + strconv.Itoa(d.Year)
}

// Time returns midnight UTC of d.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// AddDays returns d shifted by n days (n may be negative).
func (d Date) AddDays(n int) Date { return DateOf(d.Time().AddDate(0, 0, n)) }

// DaysSince returns the number of days from o to d (negative when d is before o).
func (d Date) DaysSince(o Date) int { return int((d.Time().Unix() - o.Time().Unix()) / 86400) }

// Before reports whether d is strictly before o.
func (d Date) Before(o Date) bool { return d.compare(o) < 0 }

// After reports whether d is strictly after o.
func (d Date) After(o Date) bool { return d.compare(o) > 0 }

// IsZero reports whether d is the zero value (no date).
func (d Date) IsZero() bool { return d == Date{} }

func (d Date) compare(o Date) int {
	switch {
	case d.Year != o.Year:
		return d.Year - o.Year
	case d.Month != o.Month:
		return int(d.Month - o.Month)
	}
	return d.Day - o.Day
}

// parseISODate parses exactly AAAA-MM-JJ.
func parseISODate(s string) (Date, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, false
	}
	y, ok1 := atoiDigits(s[:4])
	m, ok2 := atoiDigits(s[5:7])
	d, ok3 := atoiDigits(s[8:])
	if !ok1 || !ok2 || !ok3 {
		return Date{}, false
	}
	return makeDate(y, m, d)
}

// parseDateInput parses a normalized 2021-06-15, 15/06/2021 (also 15.06.2021 and
// 15-06-2021) or "15 juin 2021".
func parseDateInput(s string) (Date, bool) {
	if d, ok := parseISODate(s); ok {
		return d, true
	}
	if p := splitDMY(s); len(p) == 3 {
		d, ok1 := atoiDigits(p[0])
		m, ok2 := atoiDigits(p[1])
		y, ok3 := parseDateYear(p[2])
		if !ok1 || !ok2 || !ok3 || len(p[0]) > 2 || len(p[1]) > 2 {
			return Date{}, false
		}
		return makeDate(y, m, d)
	}
	f := strings.Split(s, " ")
	if len(f) != 3 {
		return Date{}, false
	}
	day := f[0]
	if day == "1er" {
		day = "1"
	}
	d, ok1 := atoiDigits(day)
	m, ok2 := frenchMonthOrAbbreviation(f[1]) // « décembre », « déc. »
	y, ok3 := parseDateYear(f[2])
	if !ok1 || !ok2 || !ok3 || len(day) > 2 {
		return Date{}, false
	}
	return makeDate(y, int(m), d)
}

// splitDMY splits « 15/06/2021 », « 15.06.2021 » or « 15-06-2021 » at its separator,
// the same twice; nil for anything else.
func splitDMY(s string) []string {
	i := strings.IndexAny(s, "/.-")
	if i < 0 {
		return nil
	}
	p := strings.Split(s, s[i:i+1])
	if len(p) != 3 || strings.ContainsAny(p[1]+p[2], "/.-") {
		return nil
	}
	return p
}

// makeDate validates a calendar date within the accepted years.
func makeDate(y, m, d int) (Date, bool) {
	if y < minDateYear || y > maxDateYear || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, time.Month(m)) {
		return Date{}, false
	}
	return Date{y, time.Month(m), d}, true
}

// daysInMonth returns the number of days of month m of year y.
func daysInMonth(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// atoiDigits parses 1 to 4 ASCII digits (no sign, no spaces).
func atoiDigits(s string) (int, bool) {
	if s == "" || len(s) > 4 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// parseDateYear parses a four-digit year between 1900 and 2200.
func parseDateYear(s string) (int, bool) {
	y, ok := atoiDigits(s)
	return y, ok && len(s) == 4 && y >= minDateYear && y <= maxDateYear
}

// parseFrenchMonth parses a normalized French month name (« fevrier », « aout »).
func parseFrenchMonth(s string) (time.Month, bool) {
	m, ok := frenchMonthByName[s]
	return m, ok
}

// frenchMonthByName is each month by its name as normalizeFrench writes it.
var frenchMonthByName = func() map[string]time.Month {
	byName := make(map[string]time.Month, len(frenchMonths))
	for i, name := range frenchMonths {
		byName[normalizeFrench(name)] = time.Month(i + 1)
	}
	return byName
}()

// frenchFolds maps the characters normalizeFrench folds to plain ASCII.
var frenchFolds = strings.NewReplacer(
	"à", "a", "â", "a", "ä", "a", "ç", "c", "é", "e", "è", "e", "ê", "e", "ë", "e",
	"î", "i", "ï", "i", "ô", "o", "ö", "o", "ù", "u", "û", "u", "ü", "u",
	"ᵉ", "e", "ʳ", "r", "–", "-", "—", "-", "‐", "-", "‑", "-",
	"\u0300", "", "\u0301", "", "\u0302", "", "\u0308", "", "\u0327", "", // combining accents
)

// normalizeFrench lower-cases s, folds French accents, typographic dashes and
// superscripts, trims it and collapses runs of white space into one space.
func normalizeFrench(s string) string {
	return strings.Join(strings.Fields(frenchFolds.Replace(strings.ToLower(s))), " ")
}
