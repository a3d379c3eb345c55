package ui_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The property of SPEC's journal: « any field a read shows that differs
// between two reads was changed by a journaled action, and the version of every resource
// whose representation changed has risen ». A seeded random sequence of actions of every
// kind, through the API and through the forms as a browser sends them, on two
// relocations; after each, every resource of both is read again through the API and
// compared with the read before:
//   - a field that differs is in a new journal entry of the relocation, of the right
//     entity and entity id (derived fields: see derivedFrom and notStored);
//   - a resource that appeared or vanished has a new create or delete entry;
//   - a resource whose representation changed has a higher version (the managers list,
//     which has no version, a new ETag);
//   - a refused action (4xx), and an action that must change nothing (a dry run, a
//     preview, a re-import of the same text), changed nothing at all and journaled nothing;
//   - the public list, page, feed and calendar (journal_property_public_test.go): when a
//     public answer's body changed, its ETag changed; after a refusal they are
//     byte-identical; what visitors are sent (kept) is what is drawn afresh;
//   - the relocation list (kept too) shows each relocation as its own read does.
//
// The reads: each relocation, its milestones, sites, criteria, partner bodies, managers,
// commute figures (no version: derived from the roster, the sites' coordinates and the
// relocation's settings, see commuteSources), the scores the sequence entered, and the
// public answers. Written questions have no API read: what an import makes is milestones,
// read like the others.
//
// JOURNAL_PROPERTY_SEED and JOURNAL_PROPERTY_STEPS change the seed and the length (to explore).

// propertySeed and propertySteps are the sequence make test runs.
const (
	propertySeed  = 16
	propertySteps = 320
)

// notStored are fields of a representation that no action sets: the clock's stamps and
// the version itself (checked on its own).
var notStored = map[string]bool{"version": true, "created_at": true, "updated_at": true}

// derivedFrom lists, per entity, the fields computed from others: such a field may
// change without an entry naming it when an entry of the same entity names one of its
// sources. (The ranking, computed from everything, is compared only across refusals;
// commute figures are not among the reads.)
var derivedFrom = map[string]map[string][]string{
	"relocation": {
		"residents":                 {"headcount", "residents"}, // default: the headcount
		"required_surface_m2":       {"headcount", "residents", "surface_ratio_m2", "required_surface_m2"},
		"required_surface_computed": {"required_surface_m2"},
	},
	"milestone": {
		"slip_days": {"planned"},           // planned end − baseline end
		"status":    {"planned", "actual"}, // done, overdue or planned (the clock is fixed)
		"history":   {"planned"},           // each change of planned, with its reason
	},
	"score": {
		"updated_by": {"value", "justification"}, // who entered the value
	},
}

// commuteSources are the changes a site's commute figures follow: any field may change
// when an entry of the roster, of the site (its coordinates) or of the relocation (its
// origin, the estimator's settings, the limit) names one of them. See about.
var commuteSources = []string{"agents", "agents_located", "agents_with_measures", "lat", "lon", "origin_lat", "origin_lon",
	"commute_access_min", "commute_detour", "commute_speed_kmh", "commute_increase_limit_min"}

// resource is one resource as read: the journal's entity and entity id for it, the
// relocation whose journal tells its changes, its top-level fields, and its version or
// entity tag (version -1: none; commute figures have neither).
type resource struct {
	entity    string
	id        int64 // the journal's entity_id (a score: its site)
	criterion int64 // a score's criterion
	rel       int64
	fields    map[string]any
	version   float64
	etag      string
}

// observation is everything read of both relocations at one moment.
type observation struct {
	res     map[string]resource
	ranking map[int64]string         // raw, per relocation: derived, compared across refusals
	journal map[int64]int            // entries per relocation
	listed  map[int64]map[string]any // the two relocations as the relocation list shows them
	public  map[string]publicRead
	drift   []string // visitors' public answers unlike a fresh drawing
}

// propertyWorld is the state of the run: the app, who acts, the two relocations and what
// the sequence has made.
type propertyWorld struct {
	*formClient
	rng                   *rand.Rand
	rels                  []int64
	slugs                 []string
	managerToken          string
	viewerToken           string
	managerEmails         []string
	viewerEmail           string
	scorePairs            map[[2]int64]int64 // (site, criterion) ever given a value → relocation
	last                  observation
	formSteps, apiSteps   int
	moveSteps             int // observations of a relocation with a move milestone
	refusedSteps, changed int
	quiet                 bool // the action must change nothing although it went through
	quietSteps            int
	publicSteps           int               // observations of a relocation public to visitors
	questions             map[int64][]int64 // imported written questions, per relocation
	questionText          string            // relocation/testdata/question-ecrite-25585.txt
}

// TestJournalProperty: the property above, over propertySteps random actions.
func TestJournalProperty(t *testing.T) {
	if testing.Short() {
		t.Skip("the property runs hundreds of requests")
	}
	t.Parallel()
	seed, steps := uint64(propertySeed), propertySteps
	if s, err := strconv.ParseUint(os.Getenv("JOURNAL_PROPERTY_SEED"), 10, 64); err == nil {
		seed = s
	}
	if n, err := strconv.Atoi(os.Getenv("JOURNAL_PROPERTY_STEPS")); err == nil && n > 0 {
		steps = n
	}
	w := newPropertyWorld(t, seed)
	w.last = w.observe(t)
	kinds, succeeded := map[string]int{}, map[string]int{}
	for step := 1; step <= steps; step++ {
		a := w.pick()
		rel := w.rels[w.rng.IntN(len(w.rels))]
		w.quiet = false
		desc, status := a.run(t, w, rel)
		quiet := status >= 400 || w.quiet
		kinds[a.name]++
		if status < 400 {
			succeeded[a.name]++
		}
		cur := w.observe(t)
		if problems := w.check(t, w.last, cur, quiet); len(problems) > 0 {
			t.Fatalf("seed %d, step %d: %s (relocation %d) answered %d:\n  %s\n(rerun with JOURNAL_PROPERTY_SEED=%d)",
				seed, step, desc, rel, status, strings.Join(problems, "\n  "), seed)
		}
		switch {
		case status >= 400:
			w.refusedSteps++
		case quiet:
			w.quietSteps++
		case !reflect.DeepEqual(w.last.res, cur.res):
			w.changed++
		}
		w.last = cur
	}
	for _, a := range propertyActions {
		if succeeded[a.name] == 0 {
			t.Errorf("seed %d: no action %s went through in %d steps (%d tried)", seed, a.name, steps, kinds[a.name])
		}
	}
	if w.changed < steps/3 || w.refusedSteps < steps/20 || w.formSteps < steps/10 || w.moveSteps < steps/4 ||
		w.quietSteps < steps/160 || w.publicSteps < steps/4 {
		t.Errorf("seed %d: %d steps changed something, %d were refused, %d changed nothing on purpose, %d went through forms, "+
			"%d saw a move milestone, %d saw a public relocation: the mix is off",
			seed, w.changed, w.refusedSteps, w.quietSteps, w.formSteps, w.moveSteps, w.publicSteps)
	}
	t.Logf("seed %d: %d steps, %d changed something, %d refused, %d changed nothing on purpose, %d through forms, "+
		"%d relocation-steps with a move milestone, %d with a public relocation; tried (went through): %v (%v)",
		seed, steps, w.changed, w.refusedSteps, w.quietSteps, w.formSteps, w.moveSteps, w.publicSteps, kinds, succeeded)
}

func newPropertyWorld(t *testing.T, seed uint64) *propertyWorld {
	t.Helper()
	c := newFormClient(t)
	text, err := os.ReadFile("../relocation/testdata/question-ecrite-25585.txt")
	if err != nil {
		t.Fatal(err)
	}
	w := &propertyWorld{formClient: c, rng: rand.New(rand.NewPCG(seed, 16)), scorePairs: map[[2]int64]int64{},
		questions: map[int64][]int64{}, questionText: string(text)}
	for i, email := range []string{"gestionnaire1@exemple.gouv.fr", "gestionnaire2@exemple.gouv.fr"} {
		u := c.user(t, email, "manager")
		if i == 0 {
			w.managerToken = c.tokenOf(t, u)
		}
		w.managerEmails = append(w.managerEmails, email)
	}
	w.viewerEmail = "lecteur@exemple.gouv.fr"
	w.viewerToken = c.tokenOf(t, c.user(t, w.viewerEmail, "viewer"))
	a := c.createRelocation(t, map[string]any{"slug": "propriete-a", "visibility": "public", "origin_lat": 48.876, "origin_lon": 2.333})
	b := c.createRelocation(t, map[string]any{"slug": "propriete-b", "name": "Relocalisation d’un service à Lille", "target_move": "2023"})
	w.rels, w.slugs = []int64{idOf(t, a), idOf(t, b)}, []string{"propriete-a", "propriete-b"}
	for _, rel := range w.rels {
		c.createSite(t, rel, map[string]any{"name": "Site de départ", "lat": 48.86, "lon": 2.44, "surface_m2": 2000})
		c.createMilestone(t, rel, map[string]any{"kind": "decision", "title": "Décision", "planned": "2019-11-15", "actual": "2019-11-15"})
	}
	c.createMilestone(t, w.rels[0], map[string]any{"kind": "move", "planned": "2022-mid", "public": true}) // the move: target_move follows
	return w
}

// observe reads every resource of both relocations through the API.
func (w *propertyWorld) observe(t *testing.T) observation {
	t.Helper()
	o := observation{res: map[string]resource{}, ranking: map[int64]string{}, journal: map[int64]int{},
		listed: map[int64]map[string]any{}, public: map[string]publicRead{}}
	for _, rel := range w.rels {
		base := fmt.Sprintf("/api/v1/relocations/%d", rel)
		r := w.do(t, "GET", base, "")
		expect(t, r, 200)
		o.add(t, "relocation", rel, rel, r.json, r.Header.Get("ETag"))
		for _, list := range []struct{ path, entity string }{{"/milestones", "milestone"}, {"/sites", "site"},
			{"/criteria", "criterion"}, {"/partners", "partner"}} {
			for _, item := range itemsOf(t, w.read(t, base+list.path)) {
				o.add(t, list.entity, idOf(t, item), rel, item, "")
			}
		}
		m := w.do(t, "GET", base+"/managers", "")
		expect(t, m, 200)
		emails, _ := m.json["emails"].([]any)
		o.res[fmt.Sprintf("managers:%d", rel)] = resource{entity: "managers", id: rel, rel: rel, version: -1,
			fields: map[string]any{"managers": fmt.Sprint(emails)}, etag: m.Header.Get("ETag")}
		for _, f := range itemsOf(t, w.read(t, base+"/commute")) {
			site, _ := f["site_id"].(float64)
			o.res[fmt.Sprintf("commute:%d", int64(site))] = resource{entity: "commute", id: int64(site), rel: rel, version: -1, fields: f}
		}
		rk := w.do(t, "GET", base+"/ranking", "")
		expect(t, rk, 200)
		o.ranking[rel] = rk.raw
	}
	for _, r := range itemsOf(t, w.read(t, "/api/v1/relocations")) { // kept: it must follow every change
		id := idOf(t, r)
		if slices.Contains(w.rels, id) {
			o.listed[id] = r
		} else {
			o.add(t, "relocation", id, id, r, "") // made by the sequence: read in the list only
		}
	}
	var counts []struct{ Rel, N int64 }
	if err := w.db.Select(&counts, `SELECT relocation_id AS rel, count(*) AS n FROM journal GROUP BY relocation_id`); err != nil {
		t.Fatal(err)
	}
	for _, c := range counts {
		o.journal[c.Rel] = int(c.N)
	}
	o.drift = w.observePublic(t, o)
	for pair, rel := range w.scorePairs {
		r := w.do(t, "GET", fmt.Sprintf("/api/v1/sites/%d/scores/%d", pair[0], pair[1]), "")
		switch r.StatusCode {
		case 200:
			res := o.add(t, "score", pair[0], rel, r.json, r.Header.Get("ETag"))
			res.criterion = pair[1]
			delete(o.res, fmt.Sprintf("score:%d", pair[0]))
			o.res[fmt.Sprintf("score:%d:%d", pair[0], pair[1])] = res
		case 404:
		default:
			t.Fatalf("GET score %v: %s", pair, r)
		}
	}
	return o
}

// add records a resource read, checking that its ETag (when sent) is its version.
func (o observation) add(t *testing.T, entity string, id, rel int64, fields map[string]any, etag string) resource {
	t.Helper()
	v, ok := fields["version"].(float64)
	if !ok {
		t.Fatalf("%s %d has no version: %v", entity, id, fields)
	}
	if etag != "" && etag != `"`+strconv.Itoa(int(v))+`"` {
		t.Errorf("%s %d: ETag %s, version %v", entity, id, etag, v)
	}
	res := resource{entity: entity, id: id, rel: rel, fields: fields, version: v, etag: etag}
	o.res[fmt.Sprintf("%s:%d", entity, id)] = res
	return res
}

// newEntries reads the journal entries each relocation gained between two observations.
func (w *propertyWorld) newEntries(t *testing.T, before, after observation) map[int64][]map[string]any {
	t.Helper()
	out := map[int64][]map[string]any{}
	for rel := range after.journal {
		n := after.journal[rel] - before.journal[rel]
		if n <= 0 {
			continue
		}
		if n > 500 {
			t.Fatalf("relocation %d gained %d journal entries at once", rel, n)
		}
		out[rel] = itemsOf(t, w.read(t, fmt.Sprintf("/api/v1/relocations/%d/journal?limit=%d", rel, n)))
	}
	return out
}

// about reports whether journal entry e is about resource r.
func about(e map[string]any, r resource) bool {
	if r.entity == "commute" {
		id, _ := e["entity_id"].(float64)
		switch e["entity"] {
		case "roster", "relocation":
			return int64(id) == r.rel
		case "site":
			return int64(id) == r.id
		}
		return false
	}
	if e["entity"] != r.entity {
		return false
	}
	if id, _ := e["entity_id"].(float64); int64(id) != r.id {
		return false
	}
	if r.entity != "score" {
		return true
	}
	changes, _ := e["changes"].(map[string]any)
	c, _ := changes["criterion_id"].(map[string]any)
	after, _ := c["after"].(float64)
	before, _ := c["before"].(float64)
	return int64(after) == r.criterion || int64(before) == r.criterion
}

// names reports whether entry e records a change of field.
func names(e map[string]any, field string) bool {
	changes, _ := e["changes"].(map[string]any)
	_, ok := changes[field]
	return ok
}

// check compares two observations around an action; quiet: it was refused, or must
// change nothing.
func (w *propertyWorld) check(t *testing.T, before, after observation, quiet bool) []string {
	t.Helper()
	var problems []string
	entries := w.newEntries(t, before, after)
	problems = append(problems, publicProblems(before, after, quiet)...)
	problems = append(problems, after.drift...)
	if quiet {
		for rel, es := range entries {
			problems = append(problems, fmt.Sprintf("nothing was to change, yet relocation %d's journal gained %d entries: %v", rel, len(es), es))
		}
		if !reflect.DeepEqual(before.ranking, after.ranking) {
			problems = append(problems, "nothing was to change, yet the ranking changed")
		}
	}
	keys := make([]string, 0, len(before.res)+len(after.res))
	for k := range before.res {
		keys = append(keys, k)
	}
	for k := range after.res {
		if _, ok := before.res[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	problems = append(problems, w.oneMoveDate(after)...)
	for _, rel := range w.rels {
		if read := after.res[fmt.Sprintf("relocation:%d", rel)].fields; !reflect.DeepEqual(after.listed[rel], read) {
			problems = append(problems, fmt.Sprintf("the relocation list shows relocation %d as\n    %v\n  its read as\n    %v", rel, after.listed[rel], read))
		}
	}
	for _, k := range keys {
		b, hadB := before.res[k]
		a, hasA := after.res[k]
		r := a
		if !hasA {
			r = b
		}
		var mine []map[string]any
		for _, e := range entries[r.rel] {
			if about(e, r) {
				mine = append(mine, e)
			}
		}
		if quiet && (!hadB || !hasA || !reflect.DeepEqual(b.fields, a.fields) || b.etag != a.etag) {
			problems = append(problems, fmt.Sprintf("nothing was to change, yet %s changed:\n    before %v\n    after  %v", k, b.fields, a.fields))
			continue
		}
		switch {
		case !hadB:
			if !hasAction(mine, "create") {
				problems = append(problems, fmt.Sprintf("%s appeared without a create entry (new entries: %v)", k, entries[r.rel]))
			}
		case !hasA:
			if !hasAction(mine, "delete") && !(r.entity == "score" && criterionDeleted(entries[r.rel], r.criterion)) {
				problems = append(problems, fmt.Sprintf("%s vanished without a delete entry (new entries: %v)", k, entries[r.rel]))
			}
		default:
			problems = append(problems, fieldProblems(k, b, a, mine)...)
		}
	}
	return problems
}

// oneMoveDate checks SPEC's One move date in an observation: at most one move milestone
// per relocation, and its planned date is the relocation's target move.
func (w *propertyWorld) oneMoveDate(o observation) []string {
	var problems []string
	for _, rel := range w.rels {
		var moves []resource
		for _, r := range o.res {
			if r.entity == "milestone" && r.rel == rel && r.fields["kind"] == "move" {
				moves = append(moves, r)
			}
		}
		target := o.res[fmt.Sprintf("relocation:%d", rel)].fields["target_move"]
		switch {
		case len(moves) > 1:
			problems = append(problems, fmt.Sprintf("relocation %d has %d move milestones", rel, len(moves)))
		case len(moves) == 1 && !reflect.DeepEqual(moves[0].fields["planned"], target):
			problems = append(problems, fmt.Sprintf("relocation %d: target move %v, its move milestone planned %v", rel, target, moves[0].fields["planned"]))
		case len(moves) == 1:
			w.moveSteps++
		}
	}
	return problems
}

func hasAction(es []map[string]any, action string) bool {
	for _, e := range es {
		if e["action"] == action {
			return true
		}
	}
	return false
}

func criterionDeleted(es []map[string]any, criterion int64) bool {
	return hasAction(filter(es, func(e map[string]any) bool {
		id, _ := e["entity_id"].(float64)
		return e["entity"] == "criterion" && int64(id) == criterion
	}), "delete")
}

func filter(es []map[string]any, keep func(map[string]any) bool) []map[string]any {
	var out []map[string]any
	for _, e := range es {
		if keep(e) {
			out = append(out, e)
		}
	}
	return out
}

// fieldProblems checks one resource read twice: each changed field journaled (or derived
// from a journaled one), and a higher version (or a new ETag) when anything changed.
func fieldProblems(key string, b, a resource, mine []map[string]any) []string {
	var problems []string
	fields := map[string]bool{}
	for f := range b.fields {
		fields[f] = true
	}
	for f := range a.fields {
		fields[f] = true
	}
	changed := false
	for f := range fields {
		if notStored[f] || reflect.DeepEqual(b.fields[f], a.fields[f]) {
			continue
		}
		changed = true
		journaled := false
		for _, e := range mine {
			journaled = journaled || names(e, f)
			sources := derivedFrom[b.entity][f]
			if b.entity == "commute" {
				sources = commuteSources
			}
			for _, src := range sources {
				journaled = journaled || names(e, src)
			}
		}
		if !journaled {
			problems = append(problems, fmt.Sprintf("%s: %s changed from %v to %v with no new journal entry naming it (entries about it: %v)",
				key, f, b.fields[f], a.fields[f], mine))
		}
	}
	switch {
	case !changed:
	case b.version < 0 && b.etag == "": // commute figures: neither version nor ETag
	case b.entity == "managers" && a.etag == b.etag:
		problems = append(problems, fmt.Sprintf("%s changed and kept its ETag %s", key, a.etag))
	case b.entity != "managers" && a.version <= b.version:
		problems = append(problems, fmt.Sprintf("%s changed and its version went from %v to %v", key, b.version, a.version))
	}
	return problems
}
