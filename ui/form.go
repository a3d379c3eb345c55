package ui

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
	"github.com/ministere/tracker/ui/account"
)

// formState is what a form page shows: the values typed (kept as typed when refused),
// the message beside each refused field, and the version being edited.
type formState struct {
	Values  map[string]string
	Errors  map[string]string
	Version int
	Problem string // a message above the form (conflict, stale version…)
}

// fieldError returns the message of a field, for templates.
func (f formState) fieldError(name string) string { return f.Errors[name] }

// Failed reports whether the form was refused: a field refused or a message above it.
func (f formState) Failed() bool { return f.Problem != "" || len(f.Errors) > 0 }

// problemSummary is the error summary drawn above a refused form: the message above
// the form and each refused field, linked to its input.
type problemSummary struct {
	Problem string
	Items   []problemItem
	Nested  bool // the form sits under an h2: the summary's title is an h3
}

// problemItem is one refused field of a summary; Anchor is false when the form has no
// input of that name to link to.
type problemItem struct {
	Name, Label, Message string
	Anchor               bool
}

// Title is the summary's title: « Erreur : » and what went wrong.
func (p problemSummary) Title() string {
	switch n := len(p.Items); {
	case n == 1:
		return "Erreur : 1 champ à corriger"
	case n > 1:
		return "Erreur : " + strconv.Itoa(n) + " champs à corriger"
	}
	return "Erreur : " + p.Problem
}

// Shown reports whether there is anything to summarise.
func (p problemSummary) Shown() bool { return p.Problem != "" || len(p.Items) > 0 }

// Sub returns the summary titled one level down (h3), for a form under an h2.
func (p problemSummary) Sub() problemSummary { p.Nested = true; return p }

// Summary lists the refused fields for the error summary: first those of order (the
// form's inputs, in the order its template draws them), then any other by name. Each
// field is named by its French label and linked to its input when the form has one.
func (f formState) Summary(order ...string) problemSummary {
	p := problemSummary{Problem: f.Problem}
	seen := map[string]bool{}
	add := func(name string, anchor bool) {
		msg, refused := f.Errors[name]
		if !refused || seen[name] {
			return
		}
		seen[name] = true
		p.Items = append(p.Items, problemItem{Name: name, Label: capitalize(or(formOnlyLabels[name], fieldLabel(name))), Message: msg, Anchor: anchor})
	}
	for _, name := range order {
		add(name, true)
	}
	rest := make([]string, 0, len(f.Errors))
	for name := range f.Errors {
		rest = append(rest, name)
	}
	sort.Strings(rest)
	for _, name := range rest {
		_, drawn := f.Values[name] // a field the form was drawn with has an input
		add(name, drawn)
	}
	return p
}

// formOnlyLabels names the form fields the journal never records (fieldLabel names the
// others).
var formOnlyLabels = map[string]string{"password": "mot de passe", account.FieldCurrentPassword: "mot de passe actuel",
	account.FieldNewPassword: "nouveau mot de passe", account.FieldConfirmPassword: "confirmation du nouveau mot de passe"}

// capitalize returns s with its first letter in upper case.
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// bindForm fills the input struct dst (pointer fields with json names, as the API uses)
// from the submitted form. Empty inputs are nil; numbers accept a decimal comma;
// fuzzydate fields accept the French forms; a checkbox sent nothing for is nil. It returns
// the raw values (to show again) and the fields that could not be read.
func bindForm(c *fiber.Ctx, dst any) (map[string]string, map[string]string) {
	raw, problems := map[string]string{}, map[string]string{}
	v := reflect.ValueOf(dst).Elem()
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		// Browsers send a textarea's line breaks as CRLF: store them as LF, so that saving
		// a form unchanged changes nothing.
		text := strings.TrimSpace(strings.ReplaceAll(c.FormValue(name), "\r\n", "\n"))
		raw[name] = text
		field := v.Field(i)
		if strings.ContainsRune(text, 0) {
			problems[name] = "caractère nul interdit"
			field.Set(reflect.Zero(sf.Type))
			continue
		}
		if sf.Type.Elem().Kind() == reflect.Bool {
			// An unchecked checkbox sends nothing; a form that must say « unchecked » pairs it
			// with a hidden input of the same name set to false, after it.
			if len(c.Context().PostArgs().PeekMulti(name)) == 0 && text == "" {
				field.Set(reflect.Zero(sf.Type))
				continue
			}
			field.Set(reflect.ValueOf(ptr(text == "on" || text == "true" || text == "1")))
			continue
		}
		if text == "" {
			field.Set(reflect.Zero(sf.Type))
			continue
		}
		value, msg := parseFormValue(sf, text)
		if msg != "" {
			problems[name] = msg
			field.Set(reflect.Zero(sf.Type))
			continue
		}
		p := reflect.New(sf.Type.Elem())
		p.Elem().Set(reflect.ValueOf(value).Convert(sf.Type.Elem()))
		field.Set(p)
	}
	return raw, problems
}

// parseFormValue reads one non-empty form value for a struct field, or says why not.
// Numbers are read as people type them (relocation.ParseNumberInput: « 150 000 »,
// « 12,5 », the field's units from its `unit` tag: « 35 % », « 150 000 € »), decimal
// notation only; coordinates (`coordinate` tag) also in degrees, minutes and seconds.
func parseFormValue(sf reflect.StructField, text string) (any, string) {
	tag := sf.Tag.Get("validate")
	units := strings.Fields(sf.Tag.Get("unit"))
	switch sf.Type.Elem().Kind() {
	case reflect.Int:
		f, err := relocation.ParseNumberInput(text, units...)
		if err != nil || f != math.Trunc(f) || math.Abs(f) > math.MaxInt32 {
			return nil, "nombre entier attendu"
		}
		return int(f), ""
	case reflect.Float64:
		if axis, ok := map[string]sites.Axis{"lat": sites.Latitude, "lon": sites.Longitude}[sf.Tag.Get("coordinate")]; ok {
			f, err := sites.ParseCoordinateInput(text, axis)
			if err != nil {
				return nil, err.Error()
			}
			return f, ""
		}
		f, err := relocation.ParseNumberInput(text, units...)
		if err != nil {
			return nil, err.Error()
		}
		return f, ""
	}
	switch {
	case strings.Contains(tag, "fuzzydate"):
		d, err := relocation.ParseFuzzyDateInput(text)
		if err != nil {
			return nil, err.Error() // the forms it reads, in French
		}
		return d.String(), ""
	case strings.Contains(tag, "isodate"):
		d, err := relocation.ParseDateInput(text)
		if err != nil {
			return nil, "date invalide : format attendu JJ/MM/AAAA ou AAAA-MM-JJ"
		}
		return d.String(), ""
	}
	return text, ""
}

// formValues shows the input struct src as a form fills it: dates by their French
// label, numbers with a decimal comma.
func formValues(src any) map[string]string {
	out := map[string]string{}
	v := reflect.Indirect(reflect.ValueOf(inputFields(src)))
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		f := v.Field(i)
		if f.IsNil() {
			out[name] = ""
			continue
		}
		switch x := f.Elem().Interface().(type) {
		case string:
			if d, err := relocation.ParseFuzzyDate(x); err == nil && strings.Contains(sf.Tag.Get("validate"), "fuzzydate") {
				x = d.Label()
			}
			out[name] = x
		case float64:
			// Unrounded, so that saving the form unchanged changes nothing.
			out[name] = exactFloat(x)
		case int:
			out[name] = strconv.Itoa(x)
		case bool:
			out[name] = strconv.FormatBool(x)
		}
	}
	return out
}

// mergeProblems adds the validator's messages to the binder's, the binder's first.
func mergeProblems(problems map[string]string, err error) (map[string]string, error) {
	code := relocation.ErrorCode(err)
	if code != "" && code != relocation.EINVALID {
		return problems, err
	}
	var e *relocation.Error
	if errors.As(err, &e) {
		for _, f := range e.Fields {
			if _, seen := problems[f.Field]; !seen {
				problems[f.Field] = f.Message
			}
		}
	}
	return problems, nil
}

// formVersion reads the version a form was drawn from (0, never a stored version,
// when missing or garbled).
func formVersion(c *fiber.Ctx) int {
	v, err := strconv.Atoi(c.FormValue("version"))
	if err != nil || v < 0 {
		return 0
	}
	return v
}

// formFailure shows a form again after the store refused it: the message above the
// form, the fields beside their inputs, with the status of the refusal. Other errors
// go to the error page.
func (s *Server) formFailure(c *fiber.Ctx, err error, f *formState, redraw func() error) error {
	var e *relocation.Error
	if !errors.As(err, &e) {
		return err
	}
	switch e.Code {
	case relocation.EINVALID, relocation.ECONFLICT, relocation.EPRECONDITION:
	default:
		return err
	}
	if e.Code != relocation.EINVALID || len(e.Fields) == 0 {
		f.Problem = e.Message // refused fields speak for themselves, beside their inputs
	}
	if f.Errors == nil {
		f.Errors = map[string]string{}
	}
	for _, fe := range e.Fields {
		f.Errors[fe.Field] = fe.Message
	}
	c.Status(statusOf[e.Code])
	return redraw()
}

// refreshStale, when failure is a stale version, puts the record's current values and
// version in the form with who changed it (prefix first, « Jalon non supprimé. » say).
func (s *Server) refreshStale(c *fiber.Ctx, failure error, f *formState, entity string, id int64, current map[string]string, version int, prefix string) {
	if relocation.ErrorCode(failure) != relocation.EPRECONDITION {
		return
	}
	f.Values, f.Version = current, version
	f.Problem = prefix + s.staleMessage(c, entity, id)
}

// staleMessage says who changed a record while the user was editing it, from the
// journal: « Cette fiche a été modifiée entre-temps par … » (staleProblem).
func (s *Server) staleMessage(c *fiber.Ctx, entity string, id int64) string {
	return staleProblem(s.changedBy(c, entity, id))
}

// staleProblem is the problem of a form refused because its record changed while the
// user was editing it, which it shows again at its current values; by says who changed
// it (changedBy: « par … le … », or "" when unknown).
func staleProblem(by string) string {
	return "Cette fiche a été modifiée entre-temps" + by + ". Voici ses valeurs actuelles : reprenez vos modifications."
}

// changedBy says who last changed a record and when, from the journal: « par … le … »
// with a leading space, or "" when the journal cannot say.
func (s *Server) changedBy(c *fiber.Ctx, entity string, id int64) string {
	e, err := s.store.LastChange(c.UserContext(), entity, id)
	if err != nil {
		return ""
	}
	return s.changedByEntry(c, e)
}

// changedByEntry is changedBy for a journal entry already read.
func (s *Server) changedByEntry(c *fiber.Ctx, e relocation.Entry) string {
	by := e.By
	if people, err := peopleNames(c.UserContext(), s.db, []string{e.By}); err == nil {
		by = names{people: people}.person(e.By)
	}
	return fmt.Sprintf(" par %s le %s", by, frenchDateTime(e.At))
}
