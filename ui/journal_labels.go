package ui

import (
	"fmt"
	"strings"

	"github.com/ministere/tracker/criteria"
	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
)

// fieldLabels name the journal's fields in French: a relocation's by their `label`
// tags, the others' here.
var fieldLabels = withRelocationLabels(map[string]string{
	"kind": "type", "title": "intitulé", "planned": "date prévue",
	"actual": "date de réalisation", "source": "source", "source_url": "lien vers la source", "notes": "notes",
	"public": "public", "reason": "motif du changement", "address": "adresse", "commune": "commune",
	"department": "département", "lat": "latitude", "lon": "longitude", "surface_m2": "surface (m²)",
	"annual_cost_eur": "coût annuel (€)", "available_from": "disponible à partir de",
	"decision_reason": "motif de la décision", "description": "description", "weight": "poids",
	"direction": "sens", "scale_min": "minimum de l’échelle", "scale_max": "maximum de l’échelle",
	"threshold": "seuil", "value": "valeur", "justification": "justification", "criterion_id": "critère",
	"managers": "responsables", "consistency_ratio": "ratio de cohérence",
	"comparisons": "comparaisons deux à deux",
	"email":       "adresse électronique", "role": "rôle", "disabled": "désactivé", "token_id": "jeton n°",
	"token_name": "nom du jeton", "active": "pris en compte dans le classement", "decided": "date de la décision",
	"agents": "agents", "agents_located": "agents dont le domicile est situé",
	"agents_with_measures": "agents avec des temps mesurés",
	"chamber":              "assemblée", "legislature": "législature", "number": "numéro", "author": "auteur",
	"constituency": "circonscription", "ministry_asked": "ministère interrogé", "ministry_answering": "ministère répondant",
	"question_published": "question publiée le", "question_page": "page de la question au JO",
	"answer_published": "réponse publiée le", "answer_page": "page de la réponse au JO",
	"question_milestone_id": "jalon de la question", "answer_milestone_id": "jalon de la réponse",
	"answer_text": "texte de la réponse (caractères)", "text": "texte de la page",
})

// withRelocationLabels adds the labels relocation.Relocation's tags give its fields to
// labels; a name in both must have one label (it panics at start-up otherwise).
func withRelocationLabels(labels map[string]string) map[string]string {
	for _, f := range relocation.RelocationFields() {
		if f.Label == "" {
			continue
		}
		if l, ok := labels[f.Name]; ok && l != f.Label {
			panic(fmt.Sprintf("ui: field %q labelled %q and %q", f.Name, l, f.Label))
		}
		labels[f.Name] = f.Label
	}
	return labels
}

// fieldLabel names a journal field in French (the API name when unknown).
func fieldLabel(field string) string { return or(fieldLabels[field], field) }

// changeValue writes a value of the journal as a French reader expects it: labels for
// codes, French dates, unrounded numbers with a decimal comma, « — » for none.
func changeValue(entity, field string, v any) string {
	switch x := v.(type) {
	case nil:
		return "—"
	case float64:
		return exactFloat(x)
	case bool:
		if x {
			return "oui"
		}
		return "non"
	case string:
		return stringValue(entity, field, x)
	case []any:
		if comps, ok := criteria.ReadComparisons(x); ok {
			parts := make([]string, len(comps))
			for i, c := range comps {
				parts[i] = fmt.Sprintf("%d / %d : %s", c.A, c.B, exactFloat(c.Value))
			}
			return strings.Join(parts, " ; ")
		}
	}
	return fmt.Sprint(v)
}

func stringValue(entity, field, s string) string {
	if s == "" {
		return "« »"
	}
	var labels map[string]string
	switch field {
	case "status":
		labels = map[string]map[string]string{relocation.EntityRelocation: relocationStatusLabels, sites.EntitySite: siteStatusLabels}[entity]
	case "kind":
		labels = map[string]map[string]string{relocation.EntityMilestone: milestoneKindLabels, sites.EntitySite: siteKindLabels}[entity]
	case "visibility":
		labels = visibilityLabels
	case "role":
		labels = roleLabels
	case "chamber":
		labels = map[string]string{relocation.ChamberAN: "Assemblée nationale", relocation.ChamberSenat: "Sénat"}
	case "direction":
		labels = directionLabels
	case "source":
		if entity == criteria.EntityCriterion {
			labels = sourceLabels
		}
	case "planned", "target_move", "available_from", "decided":
		if d, err := relocation.ParseFuzzyDate(s); err == nil {
			return d.Label()
		}
	case "actual", "question_published", "answer_published":
		if d, err := relocation.ParseDate(s); err == nil {
			return d.Label()
		}
	}
	return or(labels[s], s)
}
