package ui

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/go-playground/validator/v10"

	"github.com/ministere/tracker/criteria"
	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
	"github.com/ministere/tracker/ui/account"
)

// TestValidatorChoices: each allowed-values tag accepts every value of its Go list,
// refuses anything else, and says so in French listing the values in the list's order.
func TestValidatorChoices(t *testing.T) {
	v := newValidator()
	for tag, c := range choices {
		for _, value := range c.values() {
			if err := v.Var(value, tag); err != nil {
				t.Errorf("%s refuses %q: %v", tag, value, err)
			}
		}
		var verrs validator.ValidationErrors
		if err := v.Var("nope", tag); !errors.As(err, &verrs) {
			t.Errorf("%s accepts %q (%v)", tag, "nope", err)
			continue
		}
		want := "valeur inconnue : choisir parmi " + strings.Join(c.values(), ", ")
		if got := frenchMessage(verrs[0]); got != want {
			t.Errorf("%s: message %q, want %q", tag, got, want)
		}
	}
	// Through an input struct, as handlers validate.
	site := sites.NewSite()
	site.Name, site.Kind = "Bas Montreuil", "chateau"
	err := (&Server{validator: v}).validate(newInput[siteInput](site))
	want := []relocation.FieldError{{Field: "kind", Message: "valeur inconnue : choisir parmi colocation, lease, state_owned"}}
	if e := (*relocation.Error)(nil); !errors.As(err, &e) || !slices.Equal(e.Fields, want) {
		t.Errorf("validate(kind chateau) = %v, want fields %+v", err, want)
	}
}

// TestChoiceLabels: forms and the journal show every allowed value with a French label.
func TestChoiceLabels(t *testing.T) {
	for name, tc := range map[string]struct {
		values []string
		labels map[string]string
	}{
		"relocation statuses": {relocation.Statuses(), relocationStatusLabels},
		"visibilities":        {relocation.Visibilities(), visibilityLabels},
		"milestone kinds":     {relocation.MilestoneKinds(), milestoneKindLabels},
		"journal actions":     {relocation.JournalActions(), actionLabels},
		"site kinds":          {sites.Kinds(), siteKindLabels},
		"site statuses":       {sites.Statuses(), siteStatusLabels},
		"directions":          {criteria.Directions(), directionLabels},
		"sources":             {criteria.Sources(), sourceLabels},
		"roles":               {account.Roles(), roleLabels},
	} {
		for _, v := range tc.values {
			if tc.labels[v] == "" {
				t.Errorf("%s: %q has no French label", name, v)
			}
		}
	}
}
