package sites

import (
	"slices"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// RosterSites names the sites a roster's minutes columns may refer to: id → name.
type RosterSites map[int64]string

// Column names as people write them (SPEC): each canonical name, and its French name.
// Both are matched ignoring case, accents and spaces around or doubled (headerKey).
var columnNames = []struct {
	kind              columnKind
	canonical, french string
}{
	{colRef, "agent_ref", "identifiant"},
	{colCommune, "home_commune", "commune"},
	{colLat, "home_lat", "latitude"},
	{colLon, "home_lon", "longitude"},
	{colCurrent, "current_minutes", "minutes actuelles"},
}

// rosterColumns lists the columns a roster may have, for the messages.
const rosterColumns = "agent_ref ou identifiant, home_commune ou commune, home_lat ou latitude, home_lon ou longitude, " +
	"current_minutes ou minutes actuelles, minutes_<n° du site> ou minutes <n° ou nom du site>"

// headerKey is how a column name is compared: lower case, without accents, spaces
// trimmed and runs of spaces made one.
func headerKey(name string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(strings.ToLower(name)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsSpace(r):
			space = b.Len() > 0
		default:
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// namedColumn recognises a column by its name: its kind and, for minutes to a site, the
// site; ok is false when the name is none of the accepted ones. msg explains a name
// that looks like minutes to a site but names none of this relocation's.
func namedColumn(key string, sites RosterSites) (kind columnKind, site int64, msg string, ok bool) {
	for _, c := range columnNames {
		if key == c.canonical || key == c.french {
			return c.kind, 0, "", true
		}
	}
	rest, underscore := strings.CutPrefix(key, minutesPrefix)
	found := underscore
	if !found {
		rest, found = strings.CutPrefix(key, "minutes ")
	}
	if !found {
		return 0, 0, "", false
	}
	rest = strings.TrimSpace(rest)
	if id, isID := parseSiteID(rest); isID {
		if _, exists := sites[id]; !exists {
			return 0, 0, "ce projet n’a pas de site n° " + strconv.FormatInt(id, 10) + " (" + siteList(sites) + ").", true
		}
		return colSite, id, "", true
	}
	var match []int64
	for id, name := range sites {
		if headerKey(name) == rest {
			match = append(match, id)
		}
	}
	switch len(match) {
	case 1:
		return colSite, match[0], "", true
	case 0:
		if !underscore { // « minutes actuelle », « minutes le ponan »: the closest name helps
			return 0, 0, "", false
		}
		return 0, 0, "après « minutes » vient le numéro ou le nom d’un site de ce projet (" + siteList(sites) + ").", true
	}
	return 0, 0, "plusieurs sites de ce projet portent ce nom : nommez la colonne par le numéro du site (" + siteList(sites) + ").", true
}

// closestColumn is the accepted column name nearest to key (fewest edits), for the
// message of an unknown column.
func closestColumn(key string, sites RosterSites) string {
	names := []string{}
	for _, c := range columnNames {
		names = append(names, c.canonical, c.french)
	}
	for id, name := range sites {
		names = append(names, "minutes_"+strconv.FormatInt(id, 10), "minutes "+headerKey(name))
	}
	best, bestDist := "", -1
	for _, n := range names {
		if d := editDistance(key, n); bestDist < 0 || d < bestDist || d == bestDist && n < best {
			best, bestDist = n, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in characters.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 100 {
		ra = ra[:100]
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// TemplateColumns is the header of an empty roster for a relocation of these sites, in
// French: the columns of SPEC, then the minutes to each site by its name (by its
// number when another site has the same name), in the order of ids.
func TemplateColumns(sites RosterSites) []string {
	cols := []string{}
	for _, c := range columnNames {
		cols = append(cols, c.french)
	}
	ids := make([]int64, 0, len(sites))
	named := map[string]int{}
	for id, name := range sites {
		ids = append(ids, id)
		named[headerKey(name)]++
	}
	slices.Sort(ids)
	for _, id := range ids {
		key := headerKey(sites[id])
		if _, isID := parseSiteID(key); key == "" || isID || named[key] > 1 {
			cols = append(cols, "minutes "+strconv.FormatInt(id, 10))
			continue
		}
		cols = append(cols, "minutes "+strings.TrimSpace(sites[id]))
	}
	return cols
}
