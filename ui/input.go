package ui

import (
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
)

// How a request's input reaches a domain action: as a function the action runs under
// its lock, after it checked rights and the version, so that every write refuses in one
// order (rights, version, body, values) and partial updates merge onto current values.

// input is a client's view of a T (relocationInput, siteInput…): apply writes it over a T.
type input[T any] interface{ apply(T) T }

// jsonCreate returns the input of a creation: the JSON body, validated, applied to base.
func jsonCreate[T any, I input[T]](s *Server, c *fiber.Ctx, base T) func() (T, error) {
	return func() (T, error) {
		var in I
		if err := s.decodeValid(c, &in); err != nil {
			return base, err
		}
		return in.apply(base), nil
	}
}

// jsonEdit returns the edit of an update: the JSON body read over the current values
// (from gives them as input), validated, applied.
func jsonEdit[T any, I input[T]](s *Server, c *fiber.Ctx, from func(T) I) func(T) (T, error) {
	return func(cur T) (T, error) {
		in := from(cur)
		if err := s.decodeValid(c, &in); err != nil {
			return cur, err
		}
		return in.apply(cur), nil
	}
}

// formCreate is jsonCreate for a submitted form; values keeps what was typed, to show
// the form again when the action refuses it.
func formCreate[T any, I input[T]](s *Server, c *fiber.Ctx, values *map[string]string, base T) func() (T, error) {
	return func() (T, error) {
		var in I
		if err := s.bindValid(c, &in, values); err != nil {
			return base, err
		}
		return in.apply(base), nil
	}
}

// formEdit is jsonEdit for a submitted form (see formCreate).
func formEdit[T any, I input[T]](s *Server, c *fiber.Ctx, values *map[string]string, from func(T) I) func(T) (T, error) {
	return func(cur T) (T, error) {
		in := from(cur)
		if err := s.bindValid(c, &in, values); err != nil {
			return cur, err
		}
		return in.apply(cur), nil
	}
}

// bindValid binds the submitted form onto in and validates it; the fields that cannot be
// read or are refused come back as one EINVALID error. values receives what was typed.
func (s *Server) bindValid(c *fiber.Ctx, in any, values *map[string]string) error {
	raw, problems := bindForm(c, inputFields(in))
	*values = raw
	problems, err := mergeProblems(problems, s.validate(in))
	if err != nil || len(problems) == 0 {
		return err
	}
	names := make([]string, 0, len(problems))
	for name := range problems {
		names = append(names, name)
	}
	slices.Sort(names)
	fields := make([]relocation.FieldError, len(names))
	for i, name := range names {
		fields[i] = relocation.FieldError{Field: name, Message: problems[name]}
	}
	return relocation.Invalid(fields...)
}

// ifMatch reads the If-Match header as the precondition of the request's write, the one
// place that does: absent, it is required of PATCH and DELETE (428) and optional
// otherwise; "*" matches any existing version; otherwise it is a list of strong entity
// tags ("3"). A weak tag (W/"3") never matches, as RFC 9110 requires of If-Match, nor
// does anything malformed: both end in 412.
func ifMatch(c *fiber.Ctx) relocation.Precondition {
	h := strings.TrimSpace(c.Get(fiber.HeaderIfMatch))
	switch {
	case h == "" && (c.Method() == fiber.MethodPatch || c.Method() == fiber.MethodDelete):
		return relocation.Missing()
	case h == "":
		return relocation.Unconditional()
	case h == "*":
		return relocation.AnyVersion()
	}
	var tags []string
	for _, tag := range strings.Split(h, ",") {
		tag = strings.TrimSpace(tag)
		if len(tag) >= 2 && tag[0] == '"' && tag[len(tag)-1] == '"' {
			tags = append(tags, tag[1:len(tag)-1])
		}
	}
	return relocation.Tags(tags...)
}

// formPrecondition reads the version a form was drawn from (its hidden field
// "version"): « nouvelle » for a form over something that did not exist yet; anything
// else that is not a version matches nothing, so a garbled form is stale, never
// unchecked.
func formPrecondition(c *fiber.Ctx) relocation.Precondition {
	return preconditionOf(c.FormValue("version"))
}

// preconditionOf reads a version a form was drawn from (see formPrecondition).
func preconditionOf(v string) relocation.Precondition {
	if v == "nouvelle" {
		return relocation.NoneYet()
	}
	if n, err := strconv.Atoi(v); err == nil && n > 0 {
		return relocation.Version(n)
	}
	return relocation.Tags()
}

// decodeValid reads the JSON body into in and validates it.
func (s *Server) decodeValid(c *fiber.Ctx, in any) error {
	if err := decodeJSON(c, inputFields(in)); err != nil {
		return err
	}
	return s.validate(in)
}
