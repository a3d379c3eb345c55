package ui_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// The decision note's page (decision_note_page.go). The grid and the rk… helpers are
// ranking_page_test.go's; the note's sentences alone: decision_note_internal_test.go.

// TestRankingDecisionNote: the note of the ranking's grid names the site chosen, the
// weights, each site's figures and decision with its reason and who recorded it, the
// sensitivity sentences, and how the weights were set (AHP, then changed by hand).
func TestRankingDecisionNote(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	s := rkLogin(t, e, adminEmail)
	g := rkNewGrid(t, e, nil)
	decide := func(site, status, reason string) {
		m := e.do(t, "GET", fmt.Sprintf("/api/v1/sites/%d", g.sites[site]), "")
		expect(t, m, 200)
		r := e.do(t, "PATCH", fmt.Sprintf("/api/v1/sites/%d", g.sites[site]),
			jsonOf(map[string]any{"status": status, "decision_reason": reason}), "If-Match", etag(int(m.json["version"].(float64))))
		expect(t, r, 200)
	}
	decide("Locaux du partenaire", "rejected", "faute d’espaces disponibles")
	decide("Bas Montreuil", "selected", "meilleur score, desserte RER")

	page := s.page(t, fmt.Sprintf("/projets/%d/note-de-decision", g.id))
	rkContains(t, "decision note", page,
		"Note de décision", "Relocalisation du CLEISS", "Site retenu Bas Montreuil",
		rkSurface+" 40,0 %", rkVis+" 33,3 %", rkNeeds+" 26,7 %",
		"Visite du Bas Montreuil", "calculé : surface du site 1 200 m² ÷ surface nécessaire 1 000 m²",
		"écarté : "+rkSurface+" sous le seuil de 1",
		"Bas Montreuil reste premier tant que le poids de « "+rkSurface+" » reste entre 0,0 % et 57,1 %",
		"Bas Montreuil est premier dans", "des pondérations possibles ; dans 100 % à ±5 points des poids retenus.",
	)
	// The journal stamps entries with the database's clock: the date is not checked.
	for _, want := range []string{
		`Locaux du partenaire : écarté, décision dont la date n’est pas publiée — motif : « faute d’espaces disponibles » \(enregistré par Agent ` + adminEmail + ` le [^)]+ à \d\d h \d\d\)`,
		`Bas Montreuil : retenu, décision dont la date n’est pas publiée — motif : « meilleur score, desserte RER » \(enregistré par Agent ` + adminEmail + ` le [^)]+ à \d\d h \d\d\)`,
	} {
		if !regexp.MustCompile(want).MatchString(rkText(page)) {
			t.Errorf("decision note lacks %s", want)
		}
	}
	if strings.Index(page, "Locaux du partenaire</strong> : écarté") > strings.Index(page, "Bas Montreuil</strong> : retenu") {
		t.Error("decisions are not in chronological order")
	}
	rkContains(t, "decision note before AHP", page, "Poids saisis directement")
	// Weigh by AHP (every pair equal: CR 0), and the note says so, with who.
	crits := e.do(t, "GET", fmt.Sprintf("/api/v1/relocations/%d/criteria", g.id), "")
	expect(t, crits, 200)
	var ids []int64
	for _, c := range crits.json["items"].([]any) {
		ids = append(ids, int64(c.(map[string]any)["id"].(float64)))
	}
	var comparisons []map[string]any
	for i := range ids {
		for j := i + 1; j < len(ids); j++ {
			comparisons = append(comparisons, map[string]any{"a": ids[i], "b": ids[j], "value": 1})
		}
	}
	ahp := e.do(t, "POST", fmt.Sprintf("/api/v1/relocations/%d/ahp", g.id), jsonOf(map[string]any{"comparisons": comparisons}))
	expect(t, ahp, 200)
	page = s.page(t, fmt.Sprintf("/projets/%d/note-de-decision", g.id))
	rkContains(t, "decision note after AHP", page, "méthode AHP) par Agent "+adminEmail, "ratio de cohérence 0,000 (au plus 0,10)",
		"Comparaisons deux à deux qui ont donné ces poids", "« "+rkSurface+" » et « "+rkVis+" » comptent autant (1).",
		"« "+rkVis+" » et « "+rkNeeds+" » comptent autant (1).")
	if strings.Contains(page, "modifiés à la main") {
		t.Error("the note says weights were changed by hand; none was")
	}
	// A weight changed by hand afterwards is said too.
	path := fmt.Sprintf("/api/v1/criteria/%d", ids[0])
	cur := e.do(t, "GET", fmt.Sprintf("/api/v1/relocations/%d/criteria", g.id), "")
	version := int(cur.json["items"].([]any)[0].(map[string]any)["version"].(float64))
	expect(t, e.do(t, "PATCH", path, `{"weight":50}`, "If-Match", etag(version)), 200)
	page = s.page(t, fmt.Sprintf("/projets/%d/note-de-decision", g.id))
	rkContains(t, "decision note after a hand change", page, "Des poids ont été modifiés à la main depuis.")
}

// TestDecisionNoteDatesAndNames: the note dates each decision by the site's decided
// date (not the day it was typed in), says when that date is not published, and names
// who recorded it by name.
func TestDecisionNoteDatesAndNames(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rid := idOf(t, e.createRelocation(t, nil))
	montreuil := idOf(t, e.createSite(t, rid, nil))
	partner := idOf(t, e.createSite(t, rid, map[string]any{"name": "Locaux du partenaire", "kind": "colocation"}))
	expect(t, e.do(t, "PATCH", fmt.Sprintf("/api/v1/sites/%d", partner), `{"status":"rejected","decision_reason":"faute d’espaces disponibles"}`,
		"Content-Type", "application/json", "If-Match", etag(1)), 200)
	expect(t, e.do(t, "PATCH", fmt.Sprintf("/api/v1/sites/%d", montreuil), `{"status":"selected","decision_reason":"lettre d’intention","decided":"2021-06"}`,
		"Content-Type", "application/json", "If-Match", etag(1)), 200)
	s := e.login(t, adminEmail, testPassword)
	note := rkText(e.get(t, s, fmt.Sprintf("/projets/%d/note-de-decision", rid)).raw)
	for _, want := range []string{
		"Locaux du partenaire : écarté, décision dont la date n’est pas publiée",
		"Bas Montreuil : retenu, décision datée de juin 2021",
		"(enregistré par Agent " + adminEmail + " le ", // the journal's clock is the database's
	} {
		if !strings.Contains(note, want) {
			t.Errorf("the decision note lacks %q:\n%s", want, note)
		}
	}
	if strings.Contains(note, "datée de 1er juillet 2021") {
		t.Errorf("the note dates a decision by the day it was recorded")
	}
}
