package ui

import (
	"fmt"
	"html"
	"html/template"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
)

// commutePage is the body of the commute page.
type commutePage struct {
	Relocation relocation.Relocation
	Agents     int // the roster's size
	Rows       []commuteRow
	CanEdit    bool
	Problem    string                  // why the last file was refused
	Problems   []relocation.FieldError // its errors, by line and column
	Settings   string                  // the estimator's settings in words
}

// commuteRow is one site's figures as the page writes them.
type commuteRow struct {
	Site                                                  sites.Site
	Withheld                                              string
	Mean, Median, P90, MeanDelta, ShareOver, ShareShorter string
	Estimated, EstimatedCurrent, Agents                   int
	Buckets                                               []commuteBucket
	Chart                                                 template.HTML
}

// commuteBucket is one class of change in commute with its count.
type commuteBucket struct {
	Label   string
	Count   int
	Percent string
	longer  bool
}

// pageCommute shows, per site, the agents' commute figures (never a row of the roster),
// the distribution of changes, which figures rest on estimates, and the roster forms.
func (s *Server) pageCommute(c *fiber.Ctx) error { return commuteForm.drawn(s, c, commutePage{}) }

// commuteForm draws the commute page, over its roster form's state (a refused import, say).
var commuteForm = formPage[commutePage]{name: "commute", data: (*Server).commuteData}

// commuteData reads the commute page of relocation id over page (its form state) for an
// account that may change it or not: its title and body.
func (s *Server) commuteData(c *fiber.Ctx, id int64, canEdit bool, page commutePage) (string, any, error) {
	page.CanEdit = canEdit
	var ss []sites.Site
	var figures []sites.Figures
	err := s.snapshot(c, func(rd reader) error {
		ctx := c.UserContext()
		var err error
		if page.Relocation, err = rd.rel.Relocation(ctx, id); err != nil {
			return err
		}
		if ss, err = rd.sites.Sites(ctx, id); err != nil {
			return err
		}
		if figures, err = rd.sites.CommuteFigures(ctx, id); err != nil {
			return err
		}
		page.Agents, err = rd.sites.RosterSize(ctx, id)
		return err
	})
	if err != nil {
		return "", nil, err
	}
	r := page.Relocation
	page.Settings = fmt.Sprintf("%s min d’accès + %s × distance à vol d’oiseau ÷ %s km/h ; seuil d’allongement : %s min",
		frenchFloat(r.CommuteAccessMin), frenchFloat(r.CommuteDetour), frenchFloat(r.CommuteSpeedKmh), frenchFloat(r.CommuteIncreaseLimitMin))
	byID := map[int64]sites.Figures{}
	for _, f := range figures {
		byID[f.SiteID] = f
	}
	for _, site := range ss {
		page.Rows = append(page.Rows, newCommuteRow(site, byID[site.ID]))
	}
	return "Trajets des agents — " + r.Name, page, nil
}

// newCommuteRow writes one site's figures the French way.
func newCommuteRow(site sites.Site, f sites.Figures) commuteRow {
	row := commuteRow{Site: site, Agents: f.Agents, Estimated: f.Estimated, EstimatedCurrent: f.EstimatedCurrent}
	if f.Withheld != nil || f.Median == nil {
		row.Withheld = "non publiés"
		if f.Withheld != nil {
			row.Withheld = *f.Withheld
		}
		return row
	}
	minutes := func(p *float64) string { return decimal1(*p) + " min" }
	row.Mean, row.Median, row.P90 = minutes(f.Mean), minutes(f.Median), minutes(f.P90)
	row.MeanDelta = signed(*f.MeanDelta) + " min"
	row.ShareOver, row.ShareShorter = percent1(*f.ShareOverLimit), percent1(*f.ShareShorter)
	for i, label := range sites.ChangeBuckets {
		row.Buckets = append(row.Buckets, commuteBucket{Label: label, Count: f.Changes[i],
			Percent: percent1(100 * float64(f.Changes[i]) / float64(f.Agents)), longer: i >= len(sites.ChangeBuckets)/2})
	}
	row.Chart = commuteChart(site.Name, row.Buckets, f.Agents)
	return row
}

// signed writes a number of minutes with its sign: « +12,5 », « −3,0 ».
func signed(x float64) string {
	if x < 0 {
		return "−" + decimal1(-x)
	}
	return "+" + decimal1(x)
}

// Geometry of the distribution chart, in SVG user units.
const (
	distWidth    = 640
	distLabelEnd = 250
	distBarX     = 260
	distBarMax   = 300
	distRow      = 26
	distBar      = 16
)

// commuteChart draws the distribution of changes in commute as horizontal bars (inline
// SVG; the numbers are in the table beside it). Every text is escaped here.
func commuteChart(siteName string, buckets []commuteBucket, agents int) template.HTML {
	var b strings.Builder
	height := len(buckets)*distRow + 8
	fmt.Fprintf(&b, `<svg class="commute-chart" viewBox="0 0 %d %d" role="img" aria-label="%s">`, distWidth, height,
		html.EscapeString(fmt.Sprintf("Répartition des %d agents selon l’évolution de leur temps de trajet vers %s (détail dans le tableau)", agents, siteName)))
	for i, bk := range buckets {
		y := 4 + i*distRow
		w := 0
		if agents > 0 {
			w = bk.Count * distBarMax / agents
		}
		class := "commute-shorter"
		if bk.longer {
			class = "commute-longer"
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`, distLabelEnd, y+distBar-3, html.EscapeString(bk.Label))
		fmt.Fprintf(&b, `<rect class="%s" x="%d" y="%d" width="%d" height="%d"></rect>`, class, distBarX, y, w, distBar)
		fmt.Fprintf(&b, `<text x="%d" y="%d">%d</text>`, distBarX+w+6, y+distBar-3, bk.Count)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
