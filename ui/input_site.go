package ui

import (
	"strings"

	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
)

// siteInput is a site as clients write it (API and forms), made from the `input` tags
// of sites.Site (tagInput).
type siteInput struct {
	tagInput[sites.Site]
}

// check adds the rules validator tags cannot say: coordinates come in pairs (their
// ranges: checkCoordinates; the distance to the origin is the store's to check, under
// lock), and a rejected or selected site needs a decision reason that is not blank.
func (in siteInput) check() error {
	if err := in.pairs(); err != nil {
		return err
	}
	status, _ := in.value("status").(*string)
	reason, _ := in.value("decision_reason").(*string)
	if status != nil && sites.NeedsReason(*status) && strings.TrimSpace(val(reason)) == "" {
		return relocation.Invalid(relocation.FieldError{Field: "decision_reason",
			Message: "obligatoire quand le site est écarté ou retenu : dites pourquoi"})
	}
	return nil
}
