package ui

import (
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strings"

	"github.com/go-playground/validator/v10"

	"github.com/ministere/tracker/criteria"
	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
)

// choice is an allowed-values list of the domain, as a validator tag checks it.
type choice struct {
	is     func(string) bool // the domain's predicate
	values func() []string   // the domain's list, for the message
}

// choices are the validator tags of the domain's allowed-values lists, by tag name: each
// accepts exactly what its domain predicate accepts, and its message lists the values.
var choices = map[string]choice{
	"relocation_status":   {relocation.IsStatus, relocation.Statuses},
	"visibility":          {relocation.IsVisibility, relocation.Visibilities},
	"milestone_kind":      {relocation.IsMilestoneKind, relocation.MilestoneKinds},
	"site_kind":           {sites.IsKind, sites.Kinds},
	"site_status":         {sites.IsStatus, sites.Statuses},
	"criterion_direction": {criteria.IsDirection, criteria.Directions},
	"criterion_source":    {criteria.IsSource, criteria.Sources},
}

// newValidator returns a validator that names fields by their JSON name and knows the
// tags of this domain: slug, fuzzydate (API form), isodate, httpurl, notblank and the
// allowed-values lists (choices).
func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		return name
	})
	v.RegisterValidation("slug", func(fl validator.FieldLevel) bool {
		return relocation.IsSlug(fl.Field().String())
	})
	v.RegisterValidation("fuzzydate", func(fl validator.FieldLevel) bool {
		_, err := relocation.ParseFuzzyDate(fl.Field().String())
		return err == nil
	})
	v.RegisterValidation("isodate", func(fl validator.FieldLevel) bool {
		_, err := relocation.ParseDate(fl.Field().String())
		return err == nil
	})
	// httpurl is what the database's CHECK on source_url accepts: http:// or https://,
	// lower-case, then a host.
	v.RegisterValidation("httpurl", func(fl validator.FieldLevel) bool {
		s := fl.Field().String()
		u, err := url.Parse(s)
		return err == nil && (strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")) && u.Host != ""
	})
	v.RegisterValidation("notblank", func(fl validator.FieldLevel) bool {
		return strings.TrimSpace(fl.Field().String()) != ""
	})
	for tag, c := range choices {
		v.RegisterValidation(tag, func(fl validator.FieldLevel) bool { return c.is(fl.Field().String()) })
	}
	return v
}

// validate checks in against the rules of values (cleanValues: texts normalised, numbers
// finite and of sane magnitude), then its tags, then against its own check method when it has
// one (rules across fields), and returns an EINVALID *relocation.Error listing every
// refused field with a French message, or nil.
func (s *Server) validate(in any) error {
	target := inputFields(in) // what to check field by field; in keeps its check method
	fields := cleanValues(target)
	refused := map[string]bool{}
	for _, f := range fields {
		refused[f.Field] = true
	}
	for _, f := range checkCoordinates(target) {
		if !refused[f.Field] {
			fields, refused[f.Field] = append(fields, f), true
		}
	}
	err := s.validator.Struct(target)
	var verrs validator.ValidationErrors
	switch {
	case errors.As(err, &verrs):
		for _, fe := range verrs {
			if name := strings.TrimPrefix(fe.Namespace(), reflect.Indirect(reflect.ValueOf(target)).Type().Name()+"."); !refused[name] {
				fields = append(fields, relocation.FieldError{Field: name, Message: frenchMessage(fe)})
			}
		}
	case err != nil:
		return fmt.Errorf("validate: %w", err)
	}
	if c, ok := in.(interface{ check() error }); ok && len(fields) == 0 {
		var e *relocation.Error
		if err := c.check(); errors.As(err, &e) {
			fields = append(fields, e.Fields...)
		}
	}
	if len(fields) > 0 {
		return relocation.Invalid(fields...)
	}
	return nil
}

// frenchMessage says in French why a field was refused.
func frenchMessage(fe validator.FieldError) string {
	if v := reflect.ValueOf(fe.Value()); !v.IsValid() || (v.Kind() == reflect.Pointer && v.IsNil()) {
		return "champ obligatoire"
	}
	if c, ok := choices[fe.Tag()]; ok {
		return relocation.UnknownValue(c.values())
	}
	p := fe.Param()
	switch fe.Tag() {
	case "required", "notblank":
		return "champ obligatoire"
	case "gt":
		return "doit être supérieur à " + frenchNumber(p)
	case "gte", "min":
		return boundMessage(fe, "au minimum", "supérieur ou égal à")
	case "lte", "max":
		return boundMessage(fe, "au maximum", "inférieur ou égal à")
	case "slug":
		return fmt.Sprintf("uniquement des minuscules sans accent, des chiffres et des tirets, %d caractères au maximum (ex. cleiss-montreuil)", relocation.SlugMaxLength)
	case "fuzzydate":
		return relocation.FuzzyDateInvalid
	case "isodate":
		return "date invalide : format attendu AAAA-MM-JJ, par exemple 2021-06-15"
	case "httpurl":
		return "adresse web invalide : elle doit commencer par http:// ou https://"
	}
	return "valeur invalide"
}

// boundMessage says the inclusive bound of fe: of a text its length in characters
// (« 200 caractères au maximum »), of a number its value (« doit être inférieur ou égal
// à 1000 »).
func boundMessage(fe validator.FieldError, length, value string) string {
	if fe.Kind() == reflect.String {
		return fe.Param() + " caractères " + length
	}
	return "doit être " + value + " " + frenchNumber(fe.Param())
}

// frenchNumber writes a validator parameter with a decimal comma.
func frenchNumber(p string) string { return strings.ReplaceAll(p, ".", ",") }
