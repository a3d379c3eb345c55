package criteria

import (
	"context"

	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
)

// Grid is everything the ranking of a relocation reads: its criteria, its sites and
// their manual scores. It takes three queries, whatever the number of sites.
type Grid struct {
	Relocation relocation.Relocation
	Criteria   []Criterion
	Sites      []sites.Site
	Scores     []Score
}

// Grid loads the grid of relocation r (already read by the caller).
func (s *Store) Grid(ctx context.Context, r relocation.Relocation) (Grid, error) {
	g := Grid{Relocation: r}
	var err error
	if g.Criteria, err = s.Criteria(ctx, r.ID); err != nil {
		return g, err
	}
	if g.Sites, err = sites.NewStore(s.db).Sites(ctx, r.ID); err != nil {
		return g, err
	}
	g.Scores, err = s.Scores(ctx, r.ID)
	return g, err
}

// Alternatives turns the grid into the engine's input: for each site, the value of
// each criterion it has. Manual criteria take the entered score; surface_coverage is
// the site's surface ÷ the relocation's required surface (missing when the site's
// surface is unknown); the commute sources stay missing until the agents' roster exists.
func (g Grid) Alternatives() []Alternative {
	required, _ := g.Relocation.RequiredSurface()
	manual := map[[2]int64]float64{}
	for _, sc := range g.Scores {
		manual[[2]int64{sc.SiteID, sc.CriterionID}] = sc.Value
	}
	alts := make([]Alternative, len(g.Sites))
	for i, site := range g.Sites {
		values := map[int64]float64{}
		for _, c := range g.Criteria {
			switch c.Source {
			case SourceManual:
				if v, ok := manual[[2]int64{site.ID, c.ID}]; ok {
					values[c.ID] = v
				}
			case SourceSurfaceCoverage:
				if site.SurfaceM2 != nil && required > 0 {
					values[c.ID] = *site.SurfaceM2 / required
				}
			}
		}
		alts[i] = Alternative{SiteID: site.ID, Name: site.Name, Values: values}
	}
	return alts
}

// Rank ranks the grid's sites.
func (g Grid) Rank() Ranking { return Rank(g.Criteria, g.Alternatives()) }
