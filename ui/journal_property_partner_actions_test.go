package ui_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// The partner bodies' actions of the property test (journal_property_actions_test.go):
// create, update, delete, through the API and through the forms.

// partnerInput draws the fields of a partner body, near Paris.
func (w *propertyWorld) partnerInput() map[string]any {
	return map[string]any{"name": "Caisse " + w.word(), "address": fmt.Sprintf("%d rue de %s", 1+w.rng.IntN(90), w.oneOf(words)),
		"lat": 48.80 + float64(w.rng.IntN(1000))/10000, "lon": 2.30 + float64(w.rng.IntN(2000))/10000, "weight": 1 + w.rng.IntN(5)}
}

func createPartnerAction(t *testing.T, w *propertyWorld, rel int64) (string, int) {
	if len(w.of(rel, "partner")) >= 4 {
		return patchPartnerAction(t, w, rel)
	}
	p := w.partnerInput()
	switch w.rng.IntN(10) {
	case 0:
		delete(p, "lat") // refused: 422, partner_proximity needs it
	case 1:
		p["weight"] = 0 // refused: 422
	}
	return w.send(t, "POST", fmt.Sprintf("/api/v1/relocations/%d/partners", rel), jsonOf(p), nil, "")
}

func patchPartnerAction(t *testing.T, w *propertyWorld, rel int64) (string, int) {
	p, ok := w.any(rel, "partner")
	if !ok {
		return createPartnerAction(t, w, rel)
	}
	body := map[string]any{}
	in := w.partnerInput()
	switch w.rng.IntN(6) {
	case 0:
		body["name"] = in["name"]
	case 1:
		body["address"] = in["address"]
	case 2, 3:
		body["lat"], body["lon"] = in["lat"], in["lon"] // partner_proximity moves
	case 4:
		body["weight"] = in["weight"]
	case 5:
		body["weight"] = -2 // refused: 422
	}
	im, imDesc := w.ifMatch(p.version)
	return w.send(t, "PATCH", fmt.Sprintf("/api/v1/partners/%d", p.id), jsonOf(body), im, imDesc)
}

func deletePartnerAction(t *testing.T, w *propertyWorld, rel int64) (string, int) {
	p, ok := w.any(rel, "partner")
	if !ok || len(w.of(rel, "partner")) < 2 {
		return createPartnerAction(t, w, rel)
	}
	im, imDesc := w.ifMatch(p.version)
	return w.send(t, "DELETE", fmt.Sprintf("/api/v1/partners/%d", p.id), "", im, imDesc)
}

// frenchDecimal writes a number as the forms show it (« 48,8589 »).
func frenchDecimal(v any) string { return strings.ReplaceAll(fmt.Sprint(v), ".", ",") }

func partnerFormAction(t *testing.T, w *propertyWorld, rel int64) (string, int) {
	p, ok := w.any(rel, "partner")
	in := w.partnerInput()
	switch n := w.rng.IntN(10); {
	case !ok || n < 4:
		if len(w.of(rel, "partner")) >= 4 {
			return patchPartnerAction(t, w, rel)
		}
		action := fmt.Sprintf("/projets/%d/partenaires", rel)
		page := w.page(t, action)
		expect(t, page, 200)
		f := formFields(t, page.raw, action)
		f.Set("name", in["name"].(string))
		f.Set("address", in["address"].(string))
		f.Set("lat", frenchDecimal(in["lat"]))
		f.Set("lon", frenchDecimal(in["lon"]))
		f.Set("weight", fmt.Sprint(in["weight"]))
		if w.chance(0.15) {
			f.Set("lon", "à l’est") // refused: 422
		}
		return w.submitForm(t, action, f)
	case n < 8:
		action := fmt.Sprintf("/partenaires/%d", p.id)
		f := w.editForm(t, action+"/modifier", action)
		switch w.rng.IntN(3) {
		case 0:
			f.Set("weight", fmt.Sprint(in["weight"]))
		case 1:
			f.Set("lat", frenchDecimal(in["lat"]))
		case 2:
			f.Set("name", " ") // refused: 422
		}
		return w.submitForm(t, action, f)
	default:
		if len(w.of(rel, "partner")) < 2 {
			return createPartnerAction(t, w, rel)
		}
		v := int(p.version)
		if w.chance(0.1) {
			v--
		}
		return w.submitForm(t, fmt.Sprintf("/partenaires/%d/supprimer", p.id), url.Values{"version": {fmt.Sprint(v)}})
	}
}
