package ui

import (
	"html/template"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/ministere/tracker/criteria"
	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
	"github.com/ministere/tracker/ui/account"
)

// French labels of the codes the API uses.
var (
	relocationStatusLabels = map[string]string{
		relocation.StatusAnnounced: "Annoncée", relocation.StatusSiteSearch: "Recherche de site",
		relocation.StatusSiteSelected: "Site choisi", relocation.StatusCommitted: "Engagée",
		relocation.StatusWorks: "Travaux", relocation.StatusMoved: "Réalisée", relocation.StatusCancelled: "Abandonnée",
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
	visibilityLabels = map[string]string{relocation.VisibilityInternal: "Interne", relocation.VisibilityPublic: "Publique"}
	siteKindLabels   = map[string]string{"colocation": "Colocation chez un partenaire", "lease": "Location", "state_owned": "Domanial"}
	siteStatusLabels = map[string]string{sites.StatusCandidate: "Candidat", sites.StatusShortlisted: "Présélectionné", sites.StatusRejected: "Écarté", sites.StatusSelected: "Retenu"}
	directionLabels  = map[string]string{criteria.HigherIsBetter: "Plus c’est haut, mieux c’est", criteria.LowerIsBetter: "Plus c’est bas, mieux c’est"}
	sourceLabels     = map[string]string{
		criteria.SourceManual: "Saisie manuelle", criteria.SourceSurfaceCoverage: "Calculé : surface du site ÷ surface nécessaire",
		criteria.SourceCommuteMedian:    "Calculé : temps de trajet médian des agents (minutes)",
		criteria.SourceCommuteShareOver: "Calculé : part des agents dont le trajet s’allonge au-delà du seuil (%)",
		criteria.SourcePartnerProximity: "Calculé : temps moyen estimé vers les organismes partenaires (minutes, pondéré)",
		criteria.SourceCostPerResident:  "Calculé : coût annuel du site ÷ résidents (€ par résident)",
	}
	roleLabels = map[string]string{
		account.RoleAdmin: "Administrateur", account.RoleManager: "Responsable de projet", account.RoleViewer: "Lecteur",
	}
	entityLabels = map[string]string{
		relocation.EntityRelocation: "Projet", relocation.EntityMilestone: "Jalon", relocation.EntityManagers: "Responsables",
		sites.EntitySite: "Site", criteria.EntityCriterion: "Critère", criteria.EntityScore: "Notes du site",
		criteria.EntityAHP: "Pondération AHP", sites.EntityRoster: "Fichier des agents",
		relocation.EntityQuestion: "Question écrite",
		sites.EntityPartner:       "Organisme partenaire",
	}
	actionLabels = map[string]string{
		relocation.ActionCreate: "création", relocation.ActionUpdate: "modification",
		relocation.ActionDelete: "suppression", relocation.ActionImport: "import",
	}
	auditActionLabels = map[string]string{
		account.AuditCreate: "Création du compte", account.AuditUpdate: "Modification",
		account.AuditDisable: "Désactivation", account.AuditEnable: "Réactivation",
		account.AuditPasswordReset: "Nouveau mot de passe", account.AuditPasswordChange: "Mot de passe changé par son titulaire",
		account.AuditTokenCreate: "Création d’un jeton d’API",
		account.AuditTokenRevoke: "Révocation d’un jeton d’API",
	}
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
		"asset":             s.assets.url,
		"statusLabel":       func(c string) string { return relocationStatusLabels[c] },
		"kindLabel":         func(c string) string { return milestoneKindLabels[c] },
		"msStatusLabel":     func(c string) string { return milestoneStatusLabels[c] },
		"visibilityLabel":   func(c string) string { return visibilityLabels[c] },
		"number":            frenchFloat,
		"integer":           func(n int) string { return frenchFloat(float64(n)) },
		"datetime":          frenchDateTime,
		"roleLabel":         func(r string) string { return roleLabels[r] },
		"siteKindLabel":     func(k string) string { return siteKindLabels[k] },
		"siteStatusLabel":   func(k string) string { return siteStatusLabels[k] },
		"siteStatusTone":    siteStatusTone,
		"siteDecided":       sites.NeedsReason,
		"directionLabel":    func(k string) string { return directionLabels[k] },
		"sourceLabel":       func(k string) string { return sourceLabels[k] },
		"siteKindOptions":   func() []option { return options(sites.Kinds(), siteKindLabels) },
		"siteStatusOptions": func() []option { return options(sites.Statuses(), siteStatusLabels) },
		"directionOptions": func() []option {
			return options(criteria.Directions(), directionLabels)
		},
		"sourceOptions": func() []option { return options(criteria.Sources(), sourceLabels) },
		"deref":         func(p *float64) float64 { return *p },
		"roleOptions":   func() []option { return options(account.Roles(), roleLabels) },
		"slip":          slipLabel,
		"statusOptions": func() []option { return options(relocation.Statuses(), relocationStatusLabels) },
		"kindOptions":   func() []option { return options(relocation.MilestoneKinds(), milestoneKindLabels) },
		"visibilityOptions": func() []option {
			return options(relocation.Visibilities(), visibilityLabels)
		},
		"auditActionLabel": func(a string) string { return or(auditActionLabels[a], a) },
		"changeValue":      changeValue,
		"fieldLabel":       fieldLabel,
		"add":              func(a, b int) int { return a + b },
		"dateExamples":     func() string { return relocation.FuzzyDateExamples },
		"userAgent":        userAgentSummary,
		"sub":              func(a, b int) int { return a - b },
		"field": func(f formState, name, label string, hint ...string) fieldView {
			return fieldView{Name: name, Label: label, Hint: strings.Join(hint, " "),
				Value: f.Values[name], Error: f.fieldError(name)}
		},
	}
}

// fieldView is one form input as templates draw it.
type fieldView struct {
	Name, Label, Hint, Value, Error, Type string
	Autocomplete                          string // the input's autocomplete token, when one helps
	Required                              bool
	Options                               []option
}

// Completes returns the field with the autocomplete token a (current-password…).
func (f fieldView) Completes(a string) fieldView { f.Autocomplete = a; return f }

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

// frenchDate writes an instant's date in Paris time: « 25 novembre 2026 ».
func frenchDate(t time.Time) string { return relocation.DateOf(t.In(relocation.Paris)).Label() }

// frenchDateTime writes an instant in Paris time: « 25 novembre 2026 à 21 h 05 ».
//
// The time is bound by no-break spaces (« à 02 h 13 » never breaks across lines).
func frenchDateTime(t time.Time) string {
	local := t.In(relocation.Paris)
	return relocation.DateOf(local).Label() + " à\u00a0" + local.Format("15\u00a0h\u00a004")
}

// exactFloat writes a number unrounded with a decimal comma, for form inputs: saving
// a form unchanged must change nothing.
func exactFloat(f float64) string {
	return strings.Replace(strconv.FormatFloat(f, 'f', -1, 64), ".", ",", 1)
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

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
