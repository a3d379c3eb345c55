package sites

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ministere/tracker/relocation"
)

// RosterError is one refusal of a roster file: Line (1 = the header line; 0 = the whole
// file: empty, not a text file, no agent), Column (the column's name, "" for the whole line
// or file), Message (French).
type RosterError struct {
	Line    int    `json:"line"`
	Column  string `json:"column"`
	Message string `json:"message"`
}

// MaxRosterErrors is how many errors a refusal lists (SPEC: the first 100).
const MaxRosterErrors = 100

// Limits of a roster's values.
const (
	maxRefLen     = 64         // agent_ref, in characters
	maxCommuneLen = 100        // home_commune, in characters (the longest French commune has 45)
	maxMinutes    = MaxMinutes // current_minutes, minutes_<id>: a commute of more than a day is a typo
	minutesPrefix = "minutes_"
)

// personalColumns are column names that would put agents' identities in the file.
var personalColumns = []string{"nom", "prenom", "prénom", "name", "firstname", "first_name", "lastname",
	"last_name", "surname", "nom_de_famille", "email", "e-mail", "mail", "courriel", "adresse", "address",
	"telephone", "téléphone", "phone", "matricule"}

// what a column of the header holds
type columnKind int

const (
	colIgnored columnKind = iota // refused or unnamed: its cells are not read
	colRef
	colCommune
	colLat
	colLon
	colCurrent
	colSite
)

type rosterColumn struct {
	kind   columnKind
	name   string // canonical: lower case, minutes_<id> without leading zeros
	site   int64  // colSite
	letter string // the spreadsheet's name of the column: A, B, … AA
}

// rosterParser collects the errors of one file, up to MaxRosterErrors.
type rosterParser struct {
	errs  []RosterError
	reach Reach // where homes may lie
}

func (p *rosterParser) full() bool { return len(p.errs) >= MaxRosterErrors }

func (p *rosterParser) add(line int, column, format string, args ...any) {
	if !p.full() {
		p.errs = append(p.errs, RosterError{Line: line, Column: column, Message: fmt.Sprintf(format, args...)})
	}
}

// MaxRosterAgents is how many agents a roster may hold (SPEC).
const MaxRosterAgents = 100_000

// tooManyAgents is the refusal of a roster over MaxRosterAgents (413).
const tooManyAgents = "Le fichier compte plus de 100\u00a0000 agents, le nombre permis : découpez-le, un fichier par service par exemple."

// TooLarge reports whether a refusal of ParseRoster is for the roster's size (413).
func TooLarge(errs []RosterError) bool {
	return len(errs) == 1 && errs[0].Message == tooManyAgents
}

// ParseRoster reads a roster file (SPEC), a CSV file or an Excel workbook (.xlsx, its
// first sheet), for a relocation whose sites are sites: agents, or every error (the
// first MaxRosterErrors) and no agents. It reads the file as a stream of records, never
// copying it whole.
//
// A CSV file is UTF-8, with or without BOM, or else Windows-1252 (what French Excel
// writes); its separator is ';' when the first non-blank line (the header) holds one,
// else ','. Fields may be quoted ("…", quotes doubled inside). Column names match
// ignoring case, accents and surrounding spaces, in English or French (columnNames);
// blank lines (also lines of empty fields) are skipped; numbers take a decimal point or
// comma. Lines are numbered as a spreadsheet shows them (header = 1).
//
// Values: agent_ref 1–64 ASCII letters, digits, '-' or '_', unique (exactly: A1 and a1
// differ); home_commune up to 100 characters; home_lat in [−90, 90] and home_lon in
// [−180, 180], both or neither; current_minutes and minutes_<site id> in [0, 1440]. At
// most MaxRosterAgents agents (TooLarge).
func ParseRoster(data []byte, sites RosterSites) ([]Agent, []RosterError) {
	return ParseRosterWithin(data, sites, Reach{})
}

// ParseRosterWithin is ParseRoster for a relocation whose homes lie within reach
// (Reach.Check, per line: a home too far from the origin, or with swapped coordinates, is
// an error of its line; so is one whose current commute would be estimated at over a day).
func ParseRosterWithin(data []byte, sites RosterSites, reach Reach) ([]Agent, []RosterError) {
	var src rowSource
	var refusal string
	if isWorkbook(data) {
		src, refusal = newXLSXSource(data)
	} else {
		src, refusal = newCSVSource(data)
	}
	if refusal != "" {
		return nil, []RosterError{{Message: refusal}}
	}
	return parseRows(src, sites, reach)
}

// parseRows reads a roster's records: its header, then its agents.
func parseRows(src rowSource, sites RosterSites, reach Reach) ([]Agent, []RosterError) {
	defer src.close()
	p := &rosterParser{reach: reach}
	var header []string
	var headerLine int
	for header == nil {
		rec, line, err := src.next()
		var le *lineError
		switch {
		case errors.As(err, &le):
			return nil, []RosterError{{Line: le.line, Message: "Ligne d’en-tête illisible : " + le.msg}}
		case err != nil && err != errFieldCount:
			return nil, []RosterError{{Message: "Le fichier est vide."}}
		}
		if !blank(rec) {
			header, headerLine = slices.Clone(rec), line
		}
	}
	cols, ok := p.header(header, headerLine, sites)
	if !ok {
		return nil, p.errs
	}
	src.header(len(header))
	var agents []Agent
	firstLine := map[string]int{} // agent_ref → its line
	rows := 0
	for !p.full() {
		rec, line, err := src.next()
		if err == io.EOF {
			break
		}
		var le *lineError
		if errors.As(err, &le) {
			rows++
			if le.line == 0 {
				p.add(0, "", "%s", le.msg)
				break
			}
			p.add(le.line, "", "Ligne illisible : %s", le.msg)
			continue
		}
		if blank(rec) {
			continue
		}
		if rows++; rows > MaxRosterAgents {
			return nil, []RosterError{{Message: tooManyAgents}}
		}
		if err != nil { // a CSV line only: a workbook's rows are as wide as its header
			p.add(line, "", "%s au lieu de %d : chaque ligne a autant de champs que la ligne d’en-tête (séparateur « %s »).",
				plural(len(rec), "champ"), len(header), src.separator())
			continue
		}
		if a, ok := p.row(rec, cols, line, firstLine); ok {
			agents = append(agents, a)
		}
	}
	if rows == 0 && !p.full() {
		p.errs = slices.Insert(p.errs, 0, RosterError{Message: "Le fichier ne contient aucun agent : seulement la ligne d’en-tête."})
	}
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	return agents, nil
}

// quoteMessage explains a quoting error of encoding/csv.
func quoteMessage(err error) string {
	if errors.Is(err, csv.ErrBareQuote) {
		return "guillemet (\") dans un champ qui ne commence pas par un guillemet : entourez le champ de guillemets et doublez ceux qu’il contient (\"\")."
	}
	return "guillemets mal fermés : un champ qui commence par un guillemet finit par un guillemet suivi du séparateur ou de la fin de la ligne (doublez les guillemets qu’il contient)."
}

// plural is "1 champ", "2 champs".
func plural(n int, noun string) string {
	if n > 1 {
		noun += "s"
	}
	return strconv.Itoa(n) + " " + noun
}

// blank reports whether every field of rec is empty or spaces: a blank line for a reader.
func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// breaks counts the line breaks inside the fields of rec.
func breaks(rec []string) int {
	n := 0
	for _, f := range rec {
		n += strings.Count(f, "\n")
	}
	return n
}

// header reads the header line; ok is false when the rows cannot be read against it (no
// column recognised).
func (p *rosterParser) header(header []string, line int, sites RosterSites) ([]rosterColumn, bool) {
	cols := make([]rosterColumn, len(header))
	seen := map[string]string{} // canonical name → the letter of the column
	recognised := 0
	for i, raw := range header {
		name := strings.TrimSpace(raw)
		key := headerKey(name)
		c := rosterColumn{name: key, letter: columnLetter(i)}
		if key != "" {
			kind, site, msg, known := namedColumn(key, sites)
			switch {
			case known && msg != "":
				recognised++
				p.add(line, name, "Colonne « %s » : %s", clip(name), msg)
			case known:
				c.kind, c.site = kind, site
				c.name = canonicalName(kind, site)
			case slices.Contains(personalColumns, strings.ReplaceAll(key, " ", "_")):
				recognised++
				p.add(line, name, "Colonne « %s » refusée : le fichier des agents est pseudonyme, sans nom ni coordonnées personnelles (colonnes possibles : %s).", clip(name), rosterColumns)
			default:
				p.add(line, name, "Colonne inconnue « %s » : la plus proche est « %s » (colonnes possibles : %s).", clip(name), closestColumn(key, sites), rosterColumns)
			}
		}
		if c.kind != colIgnored {
			recognised++
			if first, dup := seen[c.name]; dup {
				p.add(line, name, "Colonne « %s » en double : déjà en colonne %s.", clip(name), first)
				c.kind = colIgnored
			} else {
				seen[c.name] = c.letter
			}
		}
		cols[i] = c
	}
	if recognised == 0 {
		msg := "La première ligne doit être la ligne d’en-tête, qui nomme les colonnes : aucune colonne reconnue (colonnes possibles : " + rosterColumns + ")."
		if strings.Contains(strings.Join(header, ""), "\t") {
			msg = "Le séparateur est le point-virgule ou la virgule, pas la tabulation : enregistrez le fichier au format CSV."
		}
		p.errs = []RosterError{{Line: line, Message: msg}}
		return nil, false
	}
	if _, ok := seen["agent_ref"]; !ok {
		p.add(line, "agent_ref", "Colonne agent_ref (ou identifiant) absente : chaque agent a un identifiant pseudonyme (par exemple A0042).")
	}
	for _, pair := range [][2]string{{"home_lat", "home_lon"}, {"home_lon", "home_lat"}} {
		if _, has := seen[pair[0]]; has {
			if _, other := seen[pair[1]]; !other {
				p.add(line, pair[1], "Colonne %s absente : home_lat et home_lon vont ensemble.", pair[1])
			}
		}
	}
	return cols, true
}

// canonicalName is the name errors give a recognised column.
func canonicalName(kind columnKind, site int64) string {
	if kind == colSite {
		return minutesPrefix + strconv.FormatInt(site, 10)
	}
	for _, c := range columnNames {
		if c.kind == kind {
			return c.canonical
		}
	}
	return ""
}

// parseSiteID reads the site id of a minutes_<id> column: decimal digits, > 0.
func parseSiteID(s string) (int64, bool) {
	if s == "" || strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}

// siteList names the sites a minutes_ column may refer to.
func siteList(sites RosterSites) string {
	ids := make([]int64, 0, len(sites))
	for id := range sites {
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return "il n’a encore aucun site"
	}
	slices.Sort(ids)
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	if len(s) == 1 {
		return "son site : " + s[0]
	}
	return "ses sites : " + strings.Join(s, ", ")
}

// columnLetter is the spreadsheet's name of the i-th column (0 → A, 26 → AA).
func columnLetter(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// clip shortens a value quoted in a message.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	r := []rune(s)
	return string(r[:40]) + "…"
}

// row reads one agent's line; ok is false when it holds an error (added to p).
func (p *rosterParser) row(rec []string, cols []rosterColumn, line int, firstLine map[string]int) (Agent, bool) {
	before := len(p.errs)
	var a Agent
	var latText, lonText string
	refColumn, refCell := false, false
	latColumn, lonColumn := false, false
	for i, c := range cols {
		v := strings.TrimSpace(rec[i])
		refColumn = refColumn || c.kind == colRef
		latColumn = latColumn || c.kind == colLat
		lonColumn = lonColumn || c.kind == colLon
		if v == "" {
			continue
		}
		refCell = refCell || c.kind == colRef
		if strings.Contains(v, "\n") {
			p.add(line, c.name, "Retour à la ligne dans une cellule de la colonne %s : une cellule tient sur une ligne.", c.letter)
			continue
		}
		switch c.kind {
		case colIgnored:
			if c.name == "" {
				p.add(line, "", "Valeur dans la colonne %s, qui n’a pas de nom dans la ligne d’en-tête : nommez la colonne ou videz-la.", c.letter)
			}
		case colRef:
			if p.ref(v, line) {
				if first, dup := firstLine[v]; dup {
					p.add(line, c.name, "agent_ref en double : déjà à la ligne %d.", first)
				} else {
					firstLine[v] = line
					a.Ref = v
				}
			}
		case colCommune:
			if n := utf8.RuneCountInString(v); n > maxCommuneLen {
				p.add(line, c.name, "home_commune trop long : %d caractères, %d au plus.", n, maxCommuneLen)
			} else if clean, err := relocation.CleanText(v); err != nil { // the one rule of texts
				p.add(line, c.name, "home_commune : %s.", err)
			} else {
				a.HomeCommune = clean
			}
		case colLat:
			latText = v
			a.HomeLat = p.number(v, line, c.name, -90, 90, "entre -90 et 90 degrés, par exemple 48,8566")
		case colLon:
			lonText = v
			a.HomeLon = p.number(v, line, c.name, -180, 180, "entre -180 et 180 degrés, par exemple 2,3522")
		case colCurrent, colSite:
			if m := p.number(v, line, c.name, 0, maxMinutes, "en minutes, de 0 à 1440 soit 24 h, par exemple 42 ou 42,5"); m != nil {
				if c.kind == colCurrent {
					a.CurrentMinutes = m
				} else {
					if a.SiteMinutes == nil {
						a.SiteMinutes = map[int64]float64{}
					}
					a.SiteMinutes[c.site] = *m
				}
			}
		}
	}
	if refColumn && !refCell {
		p.add(line, "agent_ref", "agent_ref manquant : chaque agent a un identifiant pseudonyme (par exemple A0042).")
	}
	if latColumn && lonColumn && (latText == "") != (lonText == "") {
		missing := "home_lon"
		if latText == "" {
			missing = "home_lat"
		}
		p.add(line, missing, "%s manquant : home_lat et home_lon se donnent ensemble, ou aucun des deux.", missing)
	}
	p.home(a, line)
	return a, len(p.errs) == before
}

// home checks an agent's home against the relocation's reach (Reach.Check) and, when its
// current commute is to be estimated, that the estimate is not over a day.
func (p *rosterParser) home(a Agent, line int) {
	fields := p.reach.CheckFields(a.HomeLat, a.HomeLon, "home_lat", "home_lon")
	for _, f := range fields {
		p.add(line, f.Field, "%s : %s.", f.Field, f.Message)
	}
	if len(fields) == 0 && a.HomeLat != nil && a.HomeLon != nil && a.CurrentMinutes == nil {
		if msg := p.reach.CurrentTooLong(*a.HomeLat, *a.HomeLon); msg != "" {
			p.add(line, "home_lat", "home_lat : %s.", msg)
		}
	}
}

// ref checks an agent_ref and reports whether it is valid.
func (p *rosterParser) ref(v string, line int) bool {
	if strings.IndexFunc(v, unicode.IsSpace) >= 0 {
		p.add(line, "agent_ref", "agent_ref contient une espace : l’identifiant est pseudonyme (par exemple A0042), jamais le nom d’un agent.")
		return false
	}
	for _, r := range v {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			shown := "« " + string(r) + " »"
			if !unicode.IsPrint(r) {
				shown = fmt.Sprintf("U+%04X", r)
			}
			p.add(line, "agent_ref", "agent_ref contient %s : seuls les lettres sans accent, les chiffres, - et _ sont permis.", shown)
			return false
		}
	}
	if len(v) > maxRefLen {
		p.add(line, "agent_ref", "agent_ref trop long : %d caractères, %d au plus.", len(v), maxRefLen)
		return false
	}
	return true
}

// number reads a finite decimal number (decimal point or comma) within [lo, hi]; nil when
// it is not one (the error is added; hint says what is expected).
func (p *rosterParser) number(v string, line int, column string, lo, hi float64, hint string) *float64 {
	f, ok := parseDecimal(v)
	switch {
	case !ok:
		p.add(line, column, "%s n’est pas un nombre : « %s » (%s).", column, clip(v), hint)
		return nil
	case f < lo && lo == 0:
		p.add(line, column, "%s négatif : %s (%s).", column, clip(v), hint)
		return nil
	case f < lo || f > hi:
		p.add(line, column, "%s hors limites : %s (%s).", column, clip(v), hint)
		return nil
	}
	f += 0 // −0 becomes 0
	return &f
}

// parseDecimal reads a decimal number as a spreadsheet writes it: digits, one decimal point
// or comma, a sign, an exponent (1,5E+01); never Inf, NaN, hexadecimal or out of range.
func parseDecimal(v string) (float64, bool) {
	if strings.Trim(v, "0123456789+-.,eE") != "" || strings.Count(v, ",")+strings.Count(v, ".") > 1 {
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, false
	}
	return f, true
}
