package relocation

import (
	"regexp"
	"strings"
)

// territories are the departments and other constituencies of deputies and senators,
// by name: what tells the constituency from the political group in « (Loiret - SOCR) »
// or « ( La République en Marche - Seine-Saint-Denis ) », whose order differs by site.
var territories = func() map[string]bool {
	names := []string{"Ain", "Aisne", "Allier", "Alpes-de-Haute-Provence", "Hautes-Alpes", "Alpes-Maritimes", "Ardèche",
		"Ardennes", "Ariège", "Aube", "Aude", "Aveyron", "Bouches-du-Rhône", "Calvados", "Cantal", "Charente",
		"Charente-Maritime", "Cher", "Corrèze", "Corse-du-Sud", "Haute-Corse", "Côte-d'Or", "Côtes-d'Armor", "Creuse",
		"Dordogne", "Doubs", "Drôme", "Eure", "Eure-et-Loir", "Finistère", "Gard", "Haute-Garonne", "Gers", "Gironde",
		"Hérault", "Ille-et-Vilaine", "Indre", "Indre-et-Loire", "Isère", "Jura", "Landes", "Loir-et-Cher", "Loire",
		"Haute-Loire", "Loire-Atlantique", "Loiret", "Lot", "Lot-et-Garonne", "Lozère", "Maine-et-Loire", "Manche",
		"Marne", "Haute-Marne", "Mayenne", "Meurthe-et-Moselle", "Meuse", "Morbihan", "Moselle", "Nièvre", "Nord",
		"Oise", "Orne", "Pas-de-Calais", "Puy-de-Dôme", "Pyrénées-Atlantiques", "Hautes-Pyrénées",
		"Pyrénées-Orientales", "Bas-Rhin", "Haut-Rhin", "Rhône", "Haute-Saône", "Saône-et-Loire", "Sarthe", "Savoie",
		"Haute-Savoie", "Paris", "Seine-Maritime", "Seine-et-Marne", "Yvelines", "Deux-Sèvres", "Somme", "Tarn",
		"Tarn-et-Garonne", "Var", "Vaucluse", "Vendée", "Vienne", "Haute-Vienne", "Vosges", "Yonne",
		"Territoire de Belfort", "Essonne", "Hauts-de-Seine", "Seine-Saint-Denis", "Val-de-Marne", "Val-d'Oise",
		"Guadeloupe", "Martinique", "Guyane", "La Réunion", "Réunion", "Mayotte", "Saint-Pierre-et-Miquelon",
		"Saint-Barthélemy", "Saint-Martin", "Saint-Barthélemy et Saint-Martin", "Wallis-et-Futuna", "Polynésie française",
		"Nouvelle-Calédonie", "Français établis hors de France", "Français de l'étranger", "Corse", "Alsace",
		"Rhône (circonscription départementale)", "Métropole de Lyon"}
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[normalizeFrench(n)] = true
	}
	return m
}()

// affiliationDash splits an affiliation at its spaced dashes (not inside
// « Seine-Saint-Denis »).
var affiliationDash = regexp.MustCompile(`\s+-\s+|\s+-$|^-\s+`)

// ordinalConstituency matches a deputy's constituency written with its number.
var ordinalConstituency = regexp.MustCompile(`(?i)circonscription`)

// isTerritory reports whether part names a constituency: a department or territory,
// with or without « (3e circonscription) ».
func isTerritory(part string) bool {
	if ordinalConstituency.MatchString(part) {
		return true
	}
	name := part
	if i := strings.IndexByte(name, '('); i > 0 {
		name = name[:i]
	}
	return territories[normalizeFrench(name)]
}

// splitAffiliation splits « Seine-Saint-Denis (3e circonscription) - La République en
// Marche » or « ( La République en Marche - Seine-Saint-Denis ) » into the constituency
// and the rest; firstIsPlace says which part to take when no part names a territory
// (the Sénat writes the department first, the Assemblée's older pages last).
func splitAffiliation(s string, firstIsPlace bool) string {
	var parts []string
	for _, p := range affiliationDash.Split(strings.TrimSpace(s), -1) {
		if p = cleanValue(p); p != "" {
			parts = append(parts, p)
		}
	}
	for _, p := range parts {
		if isTerritory(p) {
			return p
		}
	}
	switch {
	case len(parts) == 0:
		return ""
	case len(parts) == 1:
		return "" // a group alone, or a place we cannot tell from one
	case firstIsPlace:
		return parts[0]
	}
	return parts[len(parts)-1]
}
