package relocation

import (
	"slices"
	"strconv"
)

// Precondition is what a writer says of the state it read, checked under lock by the
// action: HTTP's If-Match (strong comparison, RFC 9110 §13.1.1) or the version a form
// was drawn from. The zero value checks nothing.
type Precondition struct {
	kind preconditionKind
	tags []string // opaque tags without quotes: a version ("3") or a content tag
}

type preconditionKind int

const (
	unconditional preconditionKind = iota
	missing                        // required, but the writer sent none (428)
	anyTag                         // "*": the resource must exist
	oneOf                          // one of tags (an empty list matches nothing: 412)
	noneYet                        // the resource must not exist yet
)

// Unconditional checks nothing (a PUT without If-Match, the demo loader).
func Unconditional() Precondition { return Precondition{} }

// Missing is a precondition the writer had to give and did not: EPRECONDREQ when checked.
func Missing() Precondition { return Precondition{kind: missing} }

// AnyVersion matches any existing resource (If-Match: *).
func AnyVersion() Precondition { return Precondition{kind: anyTag} }

// Tags matches a resource whose current tag is one of tags; none matches nothing.
func Tags(tags ...string) Precondition { return Precondition{kind: oneOf, tags: tags} }

// Version matches the resource at version v.
func Version(v int) Precondition { return Tags(strconv.Itoa(v)) }

// NoneYet matches only a resource that does not exist yet (a form drawn over an empty
// score cell).
func NoneYet() Precondition { return Precondition{kind: noneYet} }

// CheckVersion checks the precondition against a resource at version current (exists:
// whether there is one at all). EPRECONDREQ or EPRECONDITION when it fails.
func (p Precondition) CheckVersion(current int, exists bool) error {
	return p.CheckTag(strconv.Itoa(current), exists, StaleVersion(current))
}

// CheckTag checks the precondition against a resource whose current tag is current;
// stale is the error to give when it does not match.
func (p Precondition) CheckTag(current string, exists bool, stale error) error {
	switch p.kind {
	case missing:
		return Errorf(EPRECONDREQ, "Indiquez la version modifiée dans l’en-tête If-Match (l’ETag reçu à la lecture).")
	case anyTag:
		if !exists {
			return stale
		}
	case oneOf:
		if !exists || !slices.Contains(p.tags, current) {
			return stale
		}
	case noneYet:
		if exists {
			return stale
		}
	}
	return nil
}

// StaleVersion is the EPRECONDITION error of a write over an older version.
func StaleVersion(current int) error {
	if current == 0 {
		return Errorf(EPRECONDITION, "Cette fiche n’existe pas encore ou a été supprimée entre-temps : relisez-la avant de la modifier.")
	}
	return Errorf(EPRECONDITION, "Cette fiche a été modifiée entre-temps (version actuelle : %d) : relisez-la avant de la modifier.", current)
}

// Given is the input of a creation that already holds its value (the demo loader, tests).
func Given[T any](v T) func() (T, error) { return func() (T, error) { return v, nil } }

// Replace is the edit of an update that replaces the current value by v whole (the demo
// loader, tests).
func Replace[T any](v T) func(T) (T, error) { return func(T) (T, error) { return v, nil } }
