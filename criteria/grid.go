package criteria

import (
	"context"
	"errors"

	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
)

// Grid is everything the ranking of a relocation reads: its criteria, its sites and
// their manual scores and commute figures, and its partner bodies. It takes five
// queries, whatever the number of sites; read it
// in a relocation.Snapshot (Store.In) when other reads of the same answer must agree.
type Grid struct {
	Relocation relocation.Relocation
	Criteria   []Criterion
	Sites      []sites.Site
	Scores     []Score
	Commutes   []sites.Figures // each site's commute figures, stored at the last change
	Partners   []sites.Partner // the partner bodies, for partner_proximity

	cells map[[2]int64]Cell
}

// Grid loads the grid of relocation r (already read by the caller).
func (s *Store) Grid(ctx context.Context, r relocation.Relocation) (Grid, error) {
	g := Grid{Relocation: r}
	var err error
	if g.Criteria, err = s.Criteria(ctx, r.ID); err != nil {
		return g, err
	}
	if g.Sites, err = sites.NewStore(s.db).In(s.q).Sites(ctx, r.ID); err != nil {
		return g, err
	}
	if g.Scores, err = s.Scores(ctx, r.ID); err != nil {
		return g, err
	}
	if g.Commutes, err = sites.NewStore(s.db).In(s.q).CommuteFigures(ctx, r.ID); err != nil {
		return g, err
	}
	g.Partners, err = sites.NewStore(s.db).In(s.q).Partners(ctx, r.ID)
	return g, err
}

// Where a cell's value comes from.
const (
	OriginManual  = "manual"  // entered, with a justification (Cell.Score)
	OriginSurface = "surface" // site surface ÷ required surface
	OriginCommute = "commute" // from the agents' commutes
	OriginPartner = "partner" // estimated minutes to the partner bodies
	OriginCost    = "cost"    // site annual cost ÷ residents
)

// Why a cell has no value.
const (
	MissingScore   = "score"    // a manual value not entered yet
	MissingSurface = "surface"  // the site's surface is unknown
	MissingRoster  = "roster"   // no roster imported yet
	MissingCommute = "commute"  // the roster exists, but the site's figures are withheld (Cell.Withheld says why)
	MissingPlace   = "place"    // the site has no coordinates (partner_proximity)
	MissingPartner = "partners" // the relocation lists no partner body (partner_proximity)
	MissingCost    = "cost"     // the site's annual cost is unknown (cost_per_resident)
)

// Cell is the value of one criterion for one site: the one place that says what it is,
// where it comes from, and why it is missing.
type Cell struct {
	SiteID, CriterionID int64
	Value               *float64         // nil when missing
	Origin              string           // OriginManual, OriginSurface, OriginCommute, OriginPartner or OriginCost
	Score               *Score           // the entered score, for a manual criterion
	Missing             string           // "" when Value is set, else one of the Missing… codes
	SurfaceM2, Required float64          // for OriginSurface: the two terms of the division
	Commute             *sites.Figures   // for OriginCommute: the site's figures
	Withheld            string           // for MissingCommute: why the figures are withheld
	Proximity           *sites.Proximity // for OriginPartner: the minutes to each partner
	CostEUR, Residents  float64          // for OriginCost: the two terms of the division
}

// Cell returns the value of criterion criterionID for site siteID. The cells are
// derived once, at the first call: a Grid is read-only once read.
func (g *Grid) Cell(siteID, criterionID int64) Cell {
	if g.cells == nil {
		g.cells = g.buildCells()
	}
	return g.cells[[2]int64{siteID, criterionID}]
}

// buildCells derives every cell of the grid. Manual criteria take the entered score;
// surface_coverage is the site's surface ÷ the relocation's required surface (missing
// when the site's surface is unknown); partner_proximity is the weighted mean estimated
// minutes to the partner bodies (sites.PartnerProximity: missing without site coordinates
// or partners); cost_per_resident is the site's annual cost ÷ the relocation's residents
// (missing when the cost is unknown); commute_median and commute_share_over are the
// site's median commute and share of agents over the limit (missing without a roster,
// or when the figures are withheld).
func (g *Grid) buildCells() map[[2]int64]Cell {
	required, _ := g.Relocation.RequiredSurface()
	residents, settings := g.Relocation.EffectiveResidents(), sites.CommuteSettingsOf(g.Relocation)
	entered := make(map[[2]int64]Score, len(g.Scores))
	for _, sc := range g.Scores {
		entered[[2]int64{sc.SiteID, sc.CriterionID}] = sc
	}
	commutes := make(map[int64]sites.Figures, len(g.Commutes))
	for _, f := range g.Commutes {
		commutes[f.SiteID] = f
	}
	cells := make(map[[2]int64]Cell, len(g.Sites)*len(g.Criteria))
	for _, site := range g.Sites {
		for _, c := range g.Criteria {
			key := [2]int64{site.ID, c.ID}
			cell := Cell{SiteID: site.ID, CriterionID: c.ID}
			switch c.Source {
			case SourceManual:
				cell.Origin, cell.Missing = OriginManual, MissingScore
				if sc, ok := entered[key]; ok {
					cell.Score, cell.Value, cell.Missing = &sc, &sc.Value, ""
				}
			case SourceSurfaceCoverage:
				cell.Origin, cell.Missing, cell.Required = OriginSurface, MissingSurface, required
				if site.SurfaceM2 != nil && required > 0 {
					v := *site.SurfaceM2 / required
					cell.Value, cell.Missing, cell.SurfaceM2 = &v, "", *site.SurfaceM2
				}
			case SourcePartnerProximity:
				cell.Origin, cell.Missing = OriginPartner, MissingPartner
				if len(g.Partners) > 0 && (site.Lat == nil || site.Lon == nil) {
					cell.Missing = MissingPlace
				}
				if p := sites.PartnerProximity(site.Lat, site.Lon, g.Partners, settings); p.Mean != nil {
					cell.Proximity, cell.Value, cell.Missing = &p, p.Mean, ""
				}
			case SourceCostPerResident:
				cell.Origin, cell.Missing, cell.Residents = OriginCost, MissingCost, residents
				if site.AnnualCostEUR != nil && residents > 0 {
					v := *site.AnnualCostEUR / residents
					cell.Value, cell.Missing, cell.CostEUR = &v, "", *site.AnnualCostEUR
				}
			default:
				cell.Origin, cell.Missing = OriginCommute, MissingRoster
				f, ok := commutes[site.ID]
				if !ok || f.Agents == 0 {
					break
				}
				cell.Commute = &f
				v := f.Median
				if c.Source == SourceCommuteShareOver {
					v = f.ShareOverLimit
				}
				switch {
				case v != nil:
					cell.Value, cell.Missing = v, ""
				case f.Withheld != nil:
					cell.Missing, cell.Withheld = MissingCommute, *f.Withheld
				default:
					cell.Missing = MissingCommute
				}
			}
			cells[key] = cell
		}
	}
	return cells
}

// Alternatives turns the grid into the engine's input: for each site, the value of
// each criterion it has (see Cell).
func (g *Grid) Alternatives() []Alternative {
	alts := make([]Alternative, len(g.Sites))
	for i, site := range g.Sites {
		values := map[int64]float64{}
		for _, c := range g.Criteria {
			if cell := g.Cell(site.ID, c.ID); cell.Value != nil {
				values[c.ID] = *cell.Value
			}
		}
		alts[i] = Alternative{SiteID: site.ID, Name: site.Name, Values: values}
	}
	return alts
}

// Rank ranks the grid's sites on its active criteria (those set aside take no part).
func (g *Grid) Rank() Ranking { return Rank(Active(g.Criteria), g.Alternatives()) }

// Acceptability is the rank acceptability analysis (RankAcceptability) of the grid's sites
// on its active criteria. Errors: EINVALID (field around) when the band around the
// weights is too thin to sample.
func (g *Grid) Acceptability(opts AcceptabilityOptions) (Acceptability, error) {
	out, err := RankAcceptability(Active(g.Criteria), g.Alternatives(), opts)
	if errors.Is(err, ErrAroundUnreachable) {
		return out, relocation.Invalid(relocation.FieldError{Field: "around",
			Message: "bande trop étroite pour le nombre de critères : élargissez-la"})
	}
	return out, err
}
