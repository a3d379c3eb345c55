package ui

import (
	"html/template"
	"math"
	"strconv"
	"strings"

	"github.com/ministere/tracker/relocation"
)

// French labels of the codes the API uses.
var (
	relocationStatusLabels = map[string]string{
		"announced": "Annoncée", "site_search": "Recherche de site", "site_selected": "Site choisi",
		"committed": "Engagée", "works": "Travaux", "moved": "Réalisée", "cancelled": "Abandonnée",
	}
	milestoneKindLabels = map[string]string{
		"decision": "Décision", "parliamentary_question": "Question parlementaire",
		"site_search": "Recherche de site", "site_decision": "Choix du site",
		"letter_of_intent": "Lettre d’intention", "lease": "Bail",
		"staff_consultation": "Consultation des instances", "works": "Travaux",
		"move": "Déménagement", "other": "Autre",
	}
	milestoneStatusLabels = map[string]string{
		relocation.MilestoneDone: "Réalisé", relocation.MilestoneOverdue: "En retard",
		relocation.MilestonePlanned: "Prévu",
	}
	visibilityLabels = map[string]string{"internal": "Interne", "public": "Publique"}
)

// option is one choice of a select input.
type option struct{ Value, Label string }

// options lists codes with their labels, in the codes' order.
func options(codes []string, labels map[string]string) []option {
	out := make([]option, len(codes))
	for i, c := range codes {
		out[i] = option{Value: c, Label: labels[c]}
	}
	return out
}

// templateFuncs are the helpers templates may call.
func (s *Server) templateFuncs() template.FuncMap {
	return template.FuncMap{
		"asset":           s.assets.url,
		"statusLabel":     func(c string) string { return relocationStatusLabels[c] },
		"kindLabel":       func(c string) string { return milestoneKindLabels[c] },
		"msStatusLabel":   func(c string) string { return milestoneStatusLabels[c] },
		"visibilityLabel": func(c string) string { return visibilityLabels[c] },
		"number":          frenchFloat,
		"slip":            slipLabel,
		"statusOptions":   func() []option { return options(relocation.Statuses, relocationStatusLabels) },
		"kindOptions":     func() []option { return options(relocation.MilestoneKinds, milestoneKindLabels) },
		"visibilityOptions": func() []option {
			return options(relocation.Visibilities, visibilityLabels)
		},
		"field": func(f formState, name, label string, hint ...string) fieldView {
			return fieldView{Name: name, Label: label, Hint: strings.Join(hint, " "),
				Value: f.Values[name], Error: f.fieldError(name)}
		},
	}
}

// fieldView is one form input as templates draw it.
type fieldView struct {
	Name, Label, Hint, Value, Error, Type string
	Required                              bool
	Options                               []option
}

// Typed returns the field as an input of HTML type t (number, date…).
func (f fieldView) Typed(t string) fieldView { f.Type = t; return f }

// Needed returns the field marked as required.
func (f fieldView) Needed() fieldView { f.Required = true; return f }

// Choices returns the field as a select among opts.
func (f fieldView) Choices(opts []option) fieldView { f.Options = opts; return f }

// frenchFloat writes a number the French way: "1 234,5" (narrow no-break space between
// thousands), at most two decimals, none when whole.
func frenchFloat(f float64) string {
	s := strconv.FormatFloat(math.Round(f*100)/100, 'f', -1, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(intPart, "-")
	intPart = strings.TrimPrefix(intPart, "-")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteRune('\u202f')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if frac != "" {
		out += "," + frac
	}
	if neg {
		out = "−" + out
	}
	return out
}

// slipLabel writes a slip in days: « +123 j », « −15 j », « — » when none.
func slipLabel(days int) string {
	switch {
	case days > 0:
		return "+" + strconv.Itoa(days) + " j"
	case days < 0:
		return "−" + strconv.Itoa(-days) + " j"
	}
	return "—"
}
