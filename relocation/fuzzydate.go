package relocation

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Precision is the precision at which a FuzzyDate was announced.
type Precision string

// The precisions of a FuzzyDate.
const (
	PrecisionDay      Precision = "day"
	PrecisionMonth    Precision = "month"
	PrecisionQuarter  Precision = "quarter"
	PrecisionSemester Precision = "semester"
	PrecisionEarly    Precision = "early"
	PrecisionMid      Precision = "mid"
	PrecisionLate     Precision = "late"
	PrecisionYear     Precision = "year"
)

// FuzzyDateForms lists the canonical API forms of a FuzzyDate.
const FuzzyDateForms = "2021-06-15, 2021-06, 2022-Q1, 2022-S1, 2022-early, 2022-mid, 2022-late, 2022"

// FuzzyDateInvalid is the refusal of a value that is none of those forms.
const FuzzyDateInvalid = "date invalide : formes acceptées " + FuzzyDateForms

// FuzzyDateInputForms lists, in French, the forms HTML forms accept for a FuzzyDate
// (ParseFuzzyDateInput also reads the API forms, which it does not advertise; a test
// parses every example quoted here).
const FuzzyDateInputForms = "« 15/03/2022 » ou « 15 mars 2022 », « mars 2022 », « 1er trimestre 2022 » ou « T1 2022 », " +
	"« 1er semestre 2022 » ou « S1 2022 », « début 2022 », « mi-2022 », « fin 2022 », « 2022 »"

// FuzzyDateExamples is the short list of French forms a date field's help gives.
const FuzzyDateExamples = "Par exemple : 15/03/2022, mars 2022, début 2022, mi-2022, fin 2022, 1er trimestre 2022, 2022"

var (
	errFuzzy      = errors.New(FuzzyDateInvalid)
	errFuzzyInput = errors.New("date non reconnue : écrivez par exemple " + FuzzyDateInputForms)
)

// FuzzyDate is a date announced at a stated precision, e.g. « début 2022 ».
// Month is set for day and month precision, Day for day precision, Part
// (quarter 1-4, semester 1-2) for quarter and semester precision; other
// fields are zero. The zero value means "no date".
type FuzzyDate struct {
	Precision Precision
	Year      int
	Month     time.Month
	Day       int
	Part      int
}

// ParseFuzzyDate parses the canonical API forms only: 2021-06-15, 2021-06,
// 2022-Q1 to 2022-Q4, 2022-S1, 2022-S2, 2022-early, 2022-mid, 2022-late, 2022.
func ParseFuzzyDate(s string) (FuzzyDate, error) {
	d, ok := parseFuzzyCanonical(strings.ToLower(s))
	return found(d, ok && d.String() == s, errFuzzy)
}

// ParseFuzzyDateInput parses what HTML forms accept: the canonical forms,
// the French labels (« juin 2021 », « 2e trimestre 2022 », « début 2022 »,
// « mi-2022 », « 1er juin 2021 »…), « T1 2022 », « S2 2022 » and
// « 15/06/2021 », tolerant of spaces, case and missing accents.
func ParseFuzzyDateInput(s string) (FuzzyDate, error) {
	d, ok := parseFuzzyInput(normalizeFrench(s))
	return found(d, ok, errFuzzyInput)
}

// parseFuzzyCanonical parses a lower-cased canonical form.
func parseFuzzyCanonical(s string) (FuzzyDate, bool) {
	if len(s) < 4 {
		return FuzzyDate{}, false
	}
	y, ok := parseDateYear(s[:4])
	if !ok {
		return FuzzyDate{}, false
	}
	rest, dash := strings.CutPrefix(s[4:], "-")
	switch {
	case s[4:] == "":
		return FuzzyDate{Precision: PrecisionYear, Year: y}, true
	case !dash:
		return FuzzyDate{}, false
	case rest == "early" || rest == "mid" || rest == "late":
		return FuzzyDate{Precision: Precision(rest), Year: y}, true
	case len(rest) == 2 && rest[0] == 'q':
		return fuzzyPart(PrecisionQuarter, y, rest[1:], 4)
	case len(rest) == 2 && rest[0] == 's':
		return fuzzyPart(PrecisionSemester, y, rest[1:], 2)
	case len(rest) == 2:
		if m, ok := atoiDigits(rest); ok && m >= 1 && m <= 12 {
			return FuzzyDate{Precision: PrecisionMonth, Year: y, Month: time.Month(m)}, true
		}
	case len(rest) == 5:
		if d, ok := parseISODate(s); ok {
			return fuzzyDay(d), true
		}
	}
	return FuzzyDate{}, false
}

// parseFuzzyInput parses a normalized form input.
func parseFuzzyInput(s string) (FuzzyDate, bool) {
	if d, ok := parseFuzzyCanonical(s); ok {
		return d, true
	}
	if d, ok := parseDateInput(s); ok {
		return fuzzyDay(d), true
	}
	if d, ok := parseMonthYear(s); ok {
		return d, true
	}
	s = typedForms(s)
	f := strings.Split(s, " ")
	if len(f) < 2 || len(f) > 3 {
		return FuzzyDate{}, false
	}
	y, ok := parseDateYear(f[len(f)-1])
	if !ok {
		return FuzzyDate{}, false
	}
	if len(f) == 3 {
		n, ok := parseFrenchOrdinal(f[0])
		switch {
		case !ok:
		case f[1] == "trimestre":
			return fuzzyPart(PrecisionQuarter, y, strconv.Itoa(n), 4)
		case f[1] == "semestre":
			return fuzzyPart(PrecisionSemester, y, strconv.Itoa(n), 2)
		}
		return FuzzyDate{}, false
	}
	switch w := f[0]; {
	case len(w) == 2 && w[0] == 'q':
		return fuzzyPart(PrecisionQuarter, y, w[1:], 4)
	case w == "debut":
		return FuzzyDate{Precision: PrecisionEarly, Year: y}, true
	case w == "mi":
		return FuzzyDate{Precision: PrecisionMid, Year: y}, true
	case w == "fin":
		return FuzzyDate{Precision: PrecisionLate, Year: y}, true
	case len(w) == 2 && w[0] == 't':
		return fuzzyPart(PrecisionQuarter, y, w[1:], 4)
	case len(w) == 2 && w[0] == 's':
		return fuzzyPart(PrecisionSemester, y, w[1:], 2)
	}
	if m, ok := parseFrenchMonth(f[0]); ok {
		return FuzzyDate{Precision: PrecisionMonth, Year: y, Month: m}, true
	}
	return FuzzyDate{}, false
}

// parseMonthYear parses a normalized « 12/2024 » (also 12.2024, 12-2024, 1/2024).
func parseMonthYear(s string) (FuzzyDate, bool) {
	i := strings.IndexAny(s, "/.-")
	if i < 1 || i > 2 {
		return FuzzyDate{}, false
	}
	m, ok1 := atoiDigits(s[:i])
	y, ok2 := parseDateYear(s[i+1:])
	if !ok1 || !ok2 || m < 1 || m > 12 {
		return FuzzyDate{}, false
	}
	return FuzzyDate{Precision: PrecisionMonth, Year: y, Month: time.Month(m)}, true
}

// typedForms rewrites a normalized input's ways of writing into the words the parser
// reads: « fin-2024 » (a hyphen after début, mi, fin), « déc. 2024 » (an abbreviated
// month), « premier trimestre 2024 » (an ordinal written out: ordinalWords, shared with
// the written questions' parser).
func typedForms(s string) string {
	for _, w := range []string{"debut", "mi", "fin"} {
		if y, ok := strings.CutPrefix(s, w+"-"); ok {
			s = w + " " + y
		}
	}
	f := strings.Split(s, " ")
	for i, w := range f {
		if n, ok := ordinalWords[w]; ok {
			f[i] = n
		} else if m, ok := monthAbbreviation(w); ok {
			f[i] = m
		}
	}
	return strings.Join(f, " ")
}

// monthAbbreviation returns the normalized full name of the month a short form
// (« déc. », « sept ») or a full name with a dot stands for (frenchMonthOrAbbreviation).
func monthAbbreviation(w string) (string, bool) {
	m, ok := frenchMonthOrAbbreviation(w)
	if !ok {
		return "", false
	}
	return normalizeFrench(frenchMonths[m-1]), true
}

// fuzzyPart builds a quarter or semester from the one-digit string n in 1..max.
func fuzzyPart(p Precision, y int, n string, max int) (FuzzyDate, bool) {
	k, ok := atoiDigits(n)
	if !ok || len(n) != 1 || k < 1 || k > max {
		return FuzzyDate{}, false
	}
	return FuzzyDate{Precision: p, Year: y, Part: k}, true
}

// parseFrenchOrdinal parses a French ordinal: 1er, 1re, 2e, 2ème, 2nd, 3e, or a bare digit.
func parseFrenchOrdinal(s string) (int, bool) {
	if s == "" || s[0] < '1' || s[0] > '9' {
		return 0, false
	}
	n := int(s[0] - '0')
	switch s[1:] {
	case "", "e", "eme":
		return n, true
	case "er", "re", "ere":
		return n, n == 1
	case "nd", "nde":
		return n, n == 2
	}
	return 0, false
}

func fuzzyDay(d Date) FuzzyDate {
	return FuzzyDate{Precision: PrecisionDay, Year: d.Year, Month: d.Month, Day: d.Day}
}

// String returns the canonical value, e.g. "2022-early"; "" for the zero value.
func (d FuzzyDate) String() string {
	y := fmt.Sprintf("%04d", d.Year)
	switch d.Precision {
	case PrecisionDay:
		return Date{d.Year, d.Month, d.Day}.String()
	case PrecisionMonth:
		return fmt.Sprintf("%s-%02d", y, int(d.Month))
	case PrecisionQuarter:
		return fmt.Sprintf("%s-Q%d", y, d.Part)
	case PrecisionSemester:
		return fmt.Sprintf("%s-S%d", y, d.Part)
	case PrecisionEarly, PrecisionMid, PrecisionLate:
		return y + "-" + string(d.Precision)
	case PrecisionYear:
		return y
	}
	return ""
}

// Label returns the French label, e.g. "début 2022", "2e trimestre 2022",
// "1er juin 2021"; "" for the zero value.
func (d FuzzyDate) Label() string {
	if !d.valid() {
		return ""
	}
	y := strconv.Itoa(d.Year)
	ordinal := strconv.Itoa(d.Part) + "e"
	if d.Part == 1 {
		ordinal = "1er"
	}
	switch d.Precision {
	case PrecisionDay:
		return Date{d.Year, d.Month, d.Day}.Label()
	case PrecisionMonth:
		return frenchMonths[d.Month-1] + " " + y
	case PrecisionQuarter:
		return ordinal + " trimestre " + y
	case PrecisionSemester:
		return ordinal + " semestre " + y
	case PrecisionEarly:
		return "début " + y
	case PrecisionMid:
		return "mi-" + y
	case PrecisionLate:
		return "fin " + y
	}
	return y
}

// Start returns the first day of the interval d covers.
func (d FuzzyDate) Start() Date {
	first, _ := d.months()
	if d.Precision == PrecisionDay || first == 0 {
		return Date{d.Year, d.Month, d.Day}
	}
	return Date{d.Year, first, 1}
}

// End returns the last day (inclusive) of the interval d covers.
func (d FuzzyDate) End() Date {
	_, last := d.months()
	if d.Precision == PrecisionDay || last == 0 {
		return Date{d.Year, d.Month, d.Day}
	}
	return Date{d.Year, last, daysInMonth(d.Year, last)}
}

// months returns the first and last month covered by d (0, 0 for day precision or zero).
func (d FuzzyDate) months() (time.Month, time.Month) {
	switch d.Precision {
	case PrecisionMonth:
		return d.Month, d.Month
	case PrecisionQuarter:
		return time.Month(3*d.Part - 2), time.Month(3 * d.Part)
	case PrecisionSemester:
		return time.Month(6*d.Part - 5), time.Month(6 * d.Part)
	case PrecisionEarly:
		return time.January, time.April
	case PrecisionMid:
		return time.May, time.August
	case PrecisionLate:
		return time.September, time.December
	case PrecisionYear:
		return time.January, time.December
	}
	return 0, 0
}

// IsZero reports whether d is the zero value (no date).
func (d FuzzyDate) IsZero() bool { return d == FuzzyDate{} }

// valid reports whether d is a non-zero FuzzyDate that ParseFuzzyDate could return.
func (d FuzzyDate) valid() bool {
	v, err := ParseFuzzyDate(d.String())
	return err == nil && v == d
}

// SlipDays returns current.End() − baseline.End() in days (negative when
// the date moved earlier), or 0 when either date is zero.
func SlipDays(baseline, current FuzzyDate) int {
	if baseline.IsZero() || current.IsZero() {
		return 0
	}
	return current.End().DaysSince(baseline.End())
}
