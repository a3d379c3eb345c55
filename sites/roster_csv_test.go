package sites

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// rosterSites are the sites of the relocation the tests import rosters for.
var rosterSites = RosterSites{3: "Tour Séquoia", 12: "Le Ponant"}

func TestParseRosterAccepts(t *testing.T) {
	tests := []struct {
		name string
		file string
		want []Agent
	}{
		{
			name: "semicolons, decimal commas, BOM, CRLF, blank lines",
			file: "\uFEFFagent_ref;home_commune;home_lat;home_lon;current_minutes;minutes_12\r\n" +
				"A001;Montreuil;48,8555;2,4255;35,5;40\r\n" +
				"\r\n" +
				"A002;;;;;12,25\r\n" +
				";;;;;\r\n" + // a blank line as a spreadsheet writes it
				"B-3_x; Paris ;48.8791;2.3346;0;\r\n",
			want: []Agent{
				{Ref: "A001", HomeCommune: "Montreuil", HomeLat: ptr(48.8555), HomeLon: ptr(2.4255), CurrentMinutes: ptr(35.5),
					SiteMinutes: map[int64]float64{12: 40}},
				{Ref: "A002", SiteMinutes: map[int64]float64{12: 12.25}},
				{Ref: "B-3_x", HomeCommune: "Paris", HomeLat: ptr(48.8791), HomeLon: ptr(2.3346), CurrentMinutes: ptr(0)},
			},
		},
		{
			// « Créteil », « L’Haÿ-les-Roses », « Saint-Maur-des-Fossés » in Windows-1252:
			// é = E9, ’ = 92, ÿ = FF
			name: "Windows-1252, as French Excel writes it",
			file: "agent_ref;home_commune\nA1;Cr\xe9teil\nA2;L\x92Ha\xff-les-Roses\nA3;Saint-Maur-des-Foss\xe9s\n",
			want: []Agent{{Ref: "A1", HomeCommune: "Créteil"}, {Ref: "A2", HomeCommune: "L’Haÿ-les-Roses"},
				{Ref: "A3", HomeCommune: "Saint-Maur-des-Fossés"}},
		},
		{
			name: "UTF-8 without BOM",
			file: "agent_ref;home_commune\nA1;Créteil\n",
			want: []Agent{{Ref: "A1", HomeCommune: "Créteil"}},
		},
		{
			name: "commas, quoted fields, decimal commas in quotes, doubled quotes",
			file: "agent_ref,home_commune,home_lat,home_lon,current_minutes\n" +
				"\"A1\",\"Saint-Denis, La Plaine\",\"48,9\",\"2,36\",\"12,5\"\n" +
				"A2,\"Le \"\"Pré\"\"\",,, 7\n",
			want: []Agent{
				{Ref: "A1", HomeCommune: "Saint-Denis, La Plaine", HomeLat: ptr(48.9), HomeLon: ptr(2.36), CurrentMinutes: ptr(12.5)},
				{Ref: "A2", HomeCommune: "Le \"Pré\"", CurrentMinutes: ptr(7)},
			},
		},
		{
			name: "column names trimmed and in any case, a site id with leading zeros, columns in any order",
			file: " Minutes_012 ; AGENT_REF;Current_Minutes ;minutes_3\n45;A1;30;1,5e+01\n",
			want: []Agent{{Ref: "A1", CurrentMinutes: ptr(30), SiteMinutes: map[int64]float64{12: 45, 3: 15}}},
		},
		{
			name: "empty trailing columns of a spreadsheet are ignored",
			file: "agent_ref;current_minutes;;\nA1;3;;\nA2;4; ;\n",
			want: []Agent{{Ref: "A1", CurrentMinutes: ptr(3)}, {Ref: "A2", CurrentMinutes: ptr(4)}},
		},
		{
			name: "a lone agent_ref column; 64 characters; -0 is 0",
			file: "agent_ref;current_minutes\n" + strings.Repeat("x", 64) + ";-0\n",
			want: []Agent{{Ref: strings.Repeat("x", 64), CurrentMinutes: ptr(0)}},
		},
		{
			name: "the limits of coordinates and minutes",
			file: "agent_ref;home_lat;home_lon;current_minutes\nA1;-90;-180;0\nA2;90;180;1440\n",
			want: []Agent{{Ref: "A1", HomeLat: ptr(-90), HomeLon: ptr(-180), CurrentMinutes: ptr(0)},
				{Ref: "A2", HomeLat: ptr(90), HomeLon: ptr(180), CurrentMinutes: ptr(1440)}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			agents, errs := ParseRoster([]byte(tt.file), rosterSites)
			if errs != nil {
				t.Fatalf("refused: %v", errs)
			}
			if !reflect.DeepEqual(agents, tt.want) {
				t.Errorf("agents:\n%s\nwant:\n%s", showAgents(agents), showAgents(tt.want))
			}
		})
	}
}

func showAgents(agents []Agent) string {
	var b strings.Builder
	for _, a := range agents {
		fmt.Fprintf(&b, "  %q %q lat %v lon %v current %v minutes %v\n", a.Ref, a.HomeCommune, deref(a.HomeLat),
			deref(a.HomeLon), deref(a.CurrentMinutes), a.SiteMinutes)
	}
	return b.String()
}

func TestParseRosterRefuses(t *testing.T) {
	const (
		name     = "agent_ref contient une espace : l’identifiant est pseudonyme (par exemple A0042), jamais le nom d’un agent."
		columns  = "colonnes possibles : agent_ref ou identifiant, home_commune ou commune, home_lat ou latitude, home_lon ou longitude, current_minutes ou minutes actuelles, minutes_<n° du site> ou minutes <n° ou nom du site>"
		minutes  = "(en minutes, de 0 à 1440 soit 24 h, par exemple 42 ou 42,5)"
		latHint  = "(entre -90 et 90 degrés, par exemple 48,8566)"
		lonHint  = "(entre -180 et 180 degrés, par exemple 2,3522)"
		together = " manquant : home_lat et home_lon se donnent ensemble, ou aucun des deux."
	)
	tests := []struct {
		name string
		file string
		want []RosterError
	}{
		{"empty file", "", []RosterError{{0, "", "Le fichier est vide."}}},
		{"only a BOM and blank lines", "\uFEFF\r\n  \n;;\n", []RosterError{{0, "", "Le fichier est vide."}}},
		{"header only", "agent_ref;home_commune\n\n;\n",
			[]RosterError{{0, "", "Le fichier ne contient aucun agent : seulement la ligne d’en-tête."}}},
		{"duplicate agent_ref", "agent_ref\nA1\nA2\nA1\n",
			[]RosterError{{4, "agent_ref", "agent_ref en double : déjà à la ligne 2."}}},
		{"a name", "agent_ref;home_commune\nJean Dupont;Paris\nA2;Paris\n", []RosterError{{2, "agent_ref", name}}},
		{"a name with a non-breaking space", "agent_ref\nJean\u00a0Dupont\n", []RosterError{{2, "agent_ref", name}}},
		{"an accented letter", "agent_ref\nRené\n",
			[]RosterError{{2, "agent_ref", "agent_ref contient « é » : seuls les lettres sans accent, les chiffres, - et _ sont permis."}}},
		{"an e-mail", "agent_ref\njean.dupont@interieur.gouv.fr\n",
			[]RosterError{{2, "agent_ref", "agent_ref contient « . » : seuls les lettres sans accent, les chiffres, - et _ sont permis."}}},
		{"65 characters", "agent_ref\n" + strings.Repeat("a", 65) + "\n",
			[]RosterError{{2, "agent_ref", "agent_ref trop long : 65 caractères, 64 au plus."}}},
		{"no agent_ref", "agent_ref;current_minutes\n;5\n",
			[]RosterError{{2, "agent_ref", "agent_ref manquant : chaque agent a un identifiant pseudonyme (par exemple A0042)."}}},
		{"latitude out of range", "agent_ref;home_lat;home_lon\nA1;95;2\nA2;-90,5;2\n",
			[]RosterError{{2, "home_lat", "home_lat hors limites : 95 " + latHint + "."}, {3, "home_lat", "home_lat hors limites : -90,5 " + latHint + "."}}},
		{"longitude out of range", "agent_ref;home_lat;home_lon\nA1;48;180,01\n",
			[]RosterError{{2, "home_lon", "home_lon hors limites : 180,01 " + lonHint + "."}}},
		{"latitude without longitude", "agent_ref;home_lat;home_lon\nA1;48,8;\n", []RosterError{{2, "home_lon", "home_lon" + together}}},
		{"longitude without latitude", "agent_ref;home_lat;home_lon\nA1; ;2,4\n", []RosterError{{2, "home_lat", "home_lat" + together}}},
		{"negative minutes", "agent_ref;current_minutes;minutes_3\nA1;-5;1\nA2;1;-0,5\n",
			[]RosterError{{2, "current_minutes", "current_minutes négatif : -5 " + minutes + "."},
				{3, "minutes_3", "minutes_3 négatif : -0,5 " + minutes + "."}}},
		{"more than a day", "agent_ref;minutes_12\nA1;1440,5\n",
			[]RosterError{{2, "minutes_12", "minutes_12 hors limites : 1440,5 " + minutes + "."}}},
		{"non-numeric minutes", "agent_ref;current_minutes\nA1;12 min\nA2;1:30\nA3;1 234\nA4;1,2,3\nA5;1.234,5\nA6;-\n",
			[]RosterError{
				{2, "current_minutes", "current_minutes n’est pas un nombre : « 12 min » " + minutes + "."},
				{3, "current_minutes", "current_minutes n’est pas un nombre : « 1:30 » " + minutes + "."},
				{4, "current_minutes", "current_minutes n’est pas un nombre : « 1 234 » " + minutes + "."},
				{5, "current_minutes", "current_minutes n’est pas un nombre : « 1,2,3 » " + minutes + "."},
				{6, "current_minutes", "current_minutes n’est pas un nombre : « 1.234,5 » " + minutes + "."},
				{7, "current_minutes", "current_minutes n’est pas un nombre : « - » " + minutes + "."},
			}},
		{"NaN, infinities, hexadecimal, overflow", "agent_ref;current_minutes\nA1;NaN\nA2;Inf\nA3;+Inf\nA4;0x1p3\nA5;1e400\n",
			[]RosterError{
				{2, "current_minutes", "current_minutes n’est pas un nombre : « NaN » " + minutes + "."},
				{3, "current_minutes", "current_minutes n’est pas un nombre : « Inf » " + minutes + "."},
				{4, "current_minutes", "current_minutes n’est pas un nombre : « +Inf » " + minutes + "."},
				{5, "current_minutes", "current_minutes n’est pas un nombre : « 0x1p3 » " + minutes + "."},
				{6, "current_minutes", "current_minutes n’est pas un nombre : « 1e400 » " + minutes + "."},
			}},
		{"non-numeric coordinates", "agent_ref;home_lat;home_lon\nA1;48°52'N;2,33\n",
			[]RosterError{{2, "home_lat", "home_lat n’est pas un nombre : « 48°52'N » " + latHint + "."}}},
		{"a minutes column of no site of the relocation", "agent_ref;minutes_99\nA1;5\n",
			[]RosterError{{1, "minutes_99", "Colonne « minutes_99 » : ce projet n’a pas de site n° 99 (ses sites : 3, 12)."}}},
		{"malformed minutes columns", "agent_ref;minutes_x;minutes_;Minutes_-3;minutes_0;minutes_1.5\nA1;;;;;\n",
			[]RosterError{
				{1, "minutes_x", "Colonne « minutes_x » : après « minutes » vient le numéro ou le nom d’un site de ce projet (ses sites : 3, 12)."},
				{1, "minutes_", "Colonne « minutes_ » : après « minutes » vient le numéro ou le nom d’un site de ce projet (ses sites : 3, 12)."},
				{1, "Minutes_-3", "Colonne « Minutes_-3 » : après « minutes » vient le numéro ou le nom d’un site de ce projet (ses sites : 3, 12)."},
				{1, "minutes_0", "Colonne « minutes_0 » : après « minutes » vient le numéro ou le nom d’un site de ce projet (ses sites : 3, 12)."},
				{1, "minutes_1.5", "Colonne « minutes_1.5 » : après « minutes » vient le numéro ou le nom d’un site de ce projet (ses sites : 3, 12)."},
			}},
		{"unknown column", "agent_ref;comune\nA1;Paris\n", []RosterError{{1, "comune", "Colonne inconnue « comune » : la plus proche est « commune » (" + columns + ")."}}},
		{"a column of names", "agent_ref;Nom;Prénom\nA1;Dupont;Jean\n", []RosterError{
			{1, "Nom", "Colonne « Nom » refusée : le fichier des agents est pseudonyme, sans nom ni coordonnées personnelles (" + columns + ")."},
			{1, "Prénom", "Colonne « Prénom » refusée : le fichier des agents est pseudonyme, sans nom ni coordonnées personnelles (" + columns + ")."},
		}},
		{"missing agent_ref column", "home_commune;current_minutes\nParis;5\n",
			[]RosterError{{1, "agent_ref", "Colonne agent_ref (ou identifiant) absente : chaque agent a un identifiant pseudonyme (par exemple A0042)."}}},
		{"missing home_lon column", "agent_ref;home_lat\nA1;48\n",
			[]RosterError{{1, "home_lon", "Colonne home_lon absente : home_lat et home_lon vont ensemble."}}},
		{"duplicated column", "agent_ref;current_minutes;Current_Minutes;minutes_12;minutes_0012\nA1;1;2;3;4\n",
			[]RosterError{{1, "Current_Minutes", "Colonne « Current_Minutes » en double : déjà en colonne B."},
				{1, "minutes_0012", "Colonne « minutes_0012 » en double : déjà en colonne D."}}},
		{"no header", "A001;Montreuil;48,8;2,4\nA002;Paris;48,9;2,3\n", []RosterError{{1, "",
			"La première ligne doit être la ligne d’en-tête, qui nomme les colonnes : aucune colonne reconnue (" + columns + ")."}}},
		{"tabs", "agent_ref\thome_commune\nA1\tParis\n",
			[]RosterError{{1, "", "Le séparateur est le point-virgule ou la virgule, pas la tabulation : enregistrez le fichier au format CSV."}}},
		{"wrong field count", "agent_ref;home_commune;current_minutes\nA1;Paris\nA2;Paris;3;4\nA3;Paris;5\n", []RosterError{
			{2, "", "2 champs au lieu de 3 : chaque ligne a autant de champs que la ligne d’en-tête (séparateur « ; »)."},
			{3, "", "4 champs au lieu de 3 : chaque ligne a autant de champs que la ligne d’en-tête (séparateur « ; »)."},
		}},
		{"a quote inside an unquoted field", "agent_ref;home_commune\nA1;Le \"Pré\"\nA2;Paris\n", []RosterError{{2, "",
			"Ligne illisible : guillemet (\") dans un champ qui ne commence pas par un guillemet : entourez le champ de guillemets et doublez ceux qu’il contient (\"\")."}}},
		{"an unclosed quote", "agent_ref;home_commune\nA1;Paris\nA2;\"Paris\nA3;Paris\n", []RosterError{{3, "",
			"Ligne illisible : guillemets mal fermés : un champ qui commence par un guillemet finit par un guillemet suivi du séparateur ou de la fin de la ligne (doublez les guillemets qu’il contient)."}}},
		{"an unreadable header", "agent_ref;\"home_commune\n", []RosterError{{1, "",
			"Ligne d’en-tête illisible : guillemets mal fermés : un champ qui commence par un guillemet finit par un guillemet suivi du séparateur ou de la fin de la ligne (doublez les guillemets qu’il contient)."}}},
		{"a value in an unnamed column", "agent_ref;;current_minutes\nA1;Dupont;3\n",
			[]RosterError{{2, "", "Valeur dans la colonne B, qui n’a pas de nom dans la ligne d’en-tête : nommez la colonne ou videz-la."}}},
		{"a line break in a cell", "agent_ref;home_commune\nA1;\"Saint\nDenis\"\nA 2;Paris\n", []RosterError{
			{2, "home_commune", "Retour à la ligne dans une cellule de la colonne B : une cellule tient sur une ligne."},
			{3, "agent_ref", name}, // the spreadsheet's third row, the file's fourth line
		}},
		{"a commune of 101 characters", "agent_ref;home_commune\nA1;" + strings.Repeat("é", 101) + "\n",
			[]RosterError{{2, "home_commune", "home_commune trop long : 101 caractères, 100 au plus."}}},
		{"a control character", "agent_ref;home_commune\nA1;Paris\x07\n",
			[]RosterError{{2, "home_commune", "home_commune : caractère de contrôle interdit (U+0007)."}}},
		{"Latin and Cyrillic in a commune", "agent_ref;home_commune\nA1;\u041Contreuil\n",
			[]RosterError{{2, "home_commune", "home_commune : le mot « \u041Contreuil » mêle les alphabets cyrillique et latin : retapez-le dans un seul alphabet."}}},
		{"a broken Excel workbook", "PK\x03\x04\x14\x00\x06\x00", []RosterError{{0, "",
			"Le classeur Excel est illisible : enregistrez-le de nouveau au format .xlsx, ou au format « CSV UTF-8 »."}}},
		{"an Excel 97-2003 workbook", "\xD0\xCF\x11\xE0\xA1\xB1", []RosterError{{0, "",
			"Le fichier est un classeur Excel 97-2003 (.xls) : dans Excel, « Enregistrer sous » puis « Classeur Excel (.xlsx) » ou « CSV UTF-8 »."}}},
		{"UTF-16", "\xFF\xFEa\x00g\x00", []RosterError{{0, "",
			"Le fichier est encodé en UTF-16 : enregistrez-le au format « CSV UTF-8 » ou « CSV (séparateur : point-virgule) »."}}},
		{"NUL bytes", "agent_ref\nA\x001\n", []RosterError{{0, "", "Le fichier n’est pas un fichier texte CSV (il contient des octets nuls)."}}},
		{"lines numbered as in the file: blank lines before the header", "\n\nagent_ref\nA1\nA 2\n", []RosterError{{5, "agent_ref", name}}},
		{"old Mac line ends", "agent_ref;current_minutes\rA1;3\rA2;-1\r", []RosterError{
			{3, "current_minutes", "current_minutes négatif : -1 " + minutes + "."}}},
		{"every error of a line and of the file", "agent_ref;home_lat;home_lon;current_minutes\nA1;91;;x\nA1;1;1;1\n", []RosterError{
			{2, "home_lat", "home_lat hors limites : 91 " + latHint + "."},
			{2, "current_minutes", "current_minutes n’est pas un nombre : « x » " + minutes + "."},
			{2, "home_lon", "home_lon" + together},
			{3, "agent_ref", "agent_ref en double : déjà à la ligne 2."},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			agents, errs := ParseRoster([]byte(tt.file), rosterSites)
			if agents != nil {
				t.Errorf("%d agents returned with the errors", len(agents))
			}
			if !reflect.DeepEqual(errs, tt.want) {
				t.Errorf("errors:\n%s\nwant:\n%s", showErrors(errs), showErrors(tt.want))
			}
		})
	}
}

func showErrors(errs []RosterError) string {
	var b strings.Builder
	for _, e := range errs {
		fmt.Fprintf(&b, "  line %d, column %q: %s\n", e.Line, e.Column, e.Message)
	}
	return b.String()
}

func TestParseRosterSiteList(t *testing.T) {
	for _, tt := range []struct {
		sites RosterSites
		want  string
	}{
		{nil, "Colonne « minutes_5 » : ce projet n’a pas de site n° 5 (il n’a encore aucun site)."},
		{RosterSites{7: "Tour"}, "Colonne « minutes_5 » : ce projet n’a pas de site n° 5 (son site : 7)."},
	} {
		_, errs := ParseRoster([]byte("agent_ref;minutes_5\nA1;3\n"), tt.sites)
		if len(errs) != 1 || errs[0].Message != tt.want {
			t.Errorf("sites %v: %v, want %q", tt.sites, errs, tt.want)
		}
	}
}

func TestParseRosterErrorCap(t *testing.T) {
	lines := func(n int, format string) string { // n lines, each of distinct agent_ref
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, format, i)
		}
		return b.String()
	}
	tests := []struct {
		name     string
		file     string
		lastLine int
	}{
		// 150 bad lines (2 to 151): the first 100 errors are lines 2 to 101
		{"one error a line", "agent_ref;current_minutes\n" + lines(150, "A%d;-1\n"), 101},
		// 60 lines of 2 errors each: 100 errors, the last on line 51
		{"two errors a line", "agent_ref;current_minutes\n" + lines(60, "A %d;-1\n"), 51},
		// 120 bad header columns: 100 errors, all on line 1
		{"header", "agent_ref;" + strings.Repeat("x;", 120) + "\n", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			agents, errs := ParseRoster([]byte(tt.file), rosterSites)
			if agents != nil || len(errs) != MaxRosterErrors {
				t.Fatalf("%d agents, %d errors; want none, %d", len(agents), len(errs), MaxRosterErrors)
			}
			if last := errs[len(errs)-1].Line; last != tt.lastLine {
				t.Errorf("last error on line %d, want %d", last, tt.lastLine)
			}
		})
	}
	// exactly 100 errors: all of them, and no more
	_, errs := ParseRoster([]byte("agent_ref;current_minutes\n"+lines(100, "A%d;-1\n")), rosterSites)
	if len(errs) != 100 || errs[99].Line != 101 {
		t.Errorf("100 bad lines: %d errors", len(errs))
	}
}

func TestRosterColumnLetter(t *testing.T) {
	for i, want := range map[int]string{0: "A", 1: "B", 25: "Z", 26: "AA", 27: "AB", 51: "AZ", 52: "BA", 701: "ZZ", 702: "AAA"} {
		if got := columnLetter(i); got != want {
			t.Errorf("columnLetter(%d) = %q, want %q", i, got, want)
		}
	}
}

// FuzzParseRoster checks that ParseRoster never panics and keeps its promise: agents and no
// errors, every agent valid; or errors (at most MaxRosterErrors) and no agents.
func FuzzParseRoster(f *testing.F) {
	seeds := []string{
		"",
		"agent_ref\nA1\n",
		"\uFEFFagent_ref;home_commune;home_lat;home_lon;current_minutes;minutes_12\r\nA001;Montreuil;48,8555;2,4255;35,5;40\r\n\r\nA002;;;;;12,25\r\n",
		"agent_ref,home_commune,home_lat,home_lon,current_minutes\n\"A1\",\"Saint-Denis, La Plaine\",\"48,9\",\"2,36\",\"12,5\"\n",
		"agent_ref;home_commune\nA1;Cr\xe9teil\n",
		"agent_ref;minutes_3;minutes_99;Nom\nJean Dupont;-1;x;y\nA1;NaN;1e400;\n",
		"agent_ref;home_lat;home_lon\nA1;95;\nA1;\"48\n\";2\n",
		"home_commune\n\"unclosed\n",
		"agent_ref;;current_minutes\rA1;x;3\r",
		"a\"b;c\n",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	// Workbooks: one good, one whose rows are wider than its header.
	f.Add(workbook(f, [][]any{{"Identifiant", "Latitude", "Longitude", "minutes 12"}, {"A1", 48.8, 2.3, 40}, {}, {"A2"}}))
	f.Add(workbook(f, [][]any{{"agent_ref"}, {"A1", "x"}, {nil, nil, 3}}))
	f.Fuzz(func(t *testing.T, data []byte) {
		agents, errs := ParseRoster(data, rosterSites)
		if len(errs) > 0 {
			if agents != nil {
				t.Fatalf("%d agents with %d errors", len(agents), len(errs))
			}
			if len(errs) > MaxRosterErrors {
				t.Fatalf("%d errors", len(errs))
			}
			for _, e := range errs {
				if e.Line < 0 || e.Message == "" || !utf8.ValidString(e.Message) || !utf8.ValidString(e.Column) {
					t.Fatalf("bad error %+v", e)
				}
			}
			return
		}
		if len(agents) == 0 {
			t.Fatal("neither agents nor errors")
		}
		seen := map[string]bool{}
		for _, a := range agents {
			if len(a.Ref) < 1 || len(a.Ref) > 64 || strings.Trim(a.Ref, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != "" {
				t.Fatalf("bad agent_ref %q", a.Ref)
			}
			if seen[a.Ref] {
				t.Fatalf("agent_ref %q twice", a.Ref)
			}
			seen[a.Ref] = true
			if (a.HomeLat == nil) != (a.HomeLon == nil) {
				t.Fatalf("%s: one coordinate", a.Ref)
			}
			if a.HomeLat != nil && !(*a.HomeLat >= -90 && *a.HomeLat <= 90 && *a.HomeLon >= -180 && *a.HomeLon <= 180) {
				t.Fatalf("%s: coordinates %v, %v", a.Ref, *a.HomeLat, *a.HomeLon)
			}
			if !utf8.ValidString(a.HomeCommune) || strings.ContainsRune(a.HomeCommune, 0) {
				t.Fatalf("%s: commune %q", a.Ref, a.HomeCommune)
			}
			check := func(m float64) {
				if !(m >= 0) || math.IsInf(m, 0) {
					t.Fatalf("%s: minutes %v", a.Ref, m)
				}
			}
			if a.CurrentMinutes != nil {
				check(*a.CurrentMinutes)
			}
			for id, m := range a.SiteMinutes {
				if _, ok := rosterSites[id]; !ok {
					t.Fatalf("%s: minutes to site %d", a.Ref, id)
				}
				check(m)
			}
		}
	})
}
