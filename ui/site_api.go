package ui

import (
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
)

// siteJSON is a site as the API returns it.
type siteJSON struct {
	ID             int64                 `json:"id"`
	RelocationID   int64                 `json:"relocation_id"`
	Name           string                `json:"name"`
	Address        string                `json:"address"`
	Commune        string                `json:"commune"`
	Department     string                `json:"department"`
	Lat            *float64              `json:"lat"`
	Lon            *float64              `json:"lon"`
	Kind           string                `json:"kind"`
	SurfaceM2      *float64              `json:"surface_m2"`
	AnnualCostEUR  *float64              `json:"annual_cost_eur"`
	AvailableFrom  *relocation.FuzzyDate `json:"available_from"`
	Status         string                `json:"status"`
	DecisionReason string                `json:"decision_reason"`
	Decided        *relocation.FuzzyDate `json:"decided"`
	Version        int                   `json:"version"`
	CreatedAt      time.Time             `json:"created_at"`
	UpdatedAt      time.Time             `json:"updated_at"`
}

func toSiteJSON(s sites.Site) siteJSON {
	out := siteJSON{ID: s.ID, RelocationID: s.RelocationID, Name: s.Name, Address: s.Address, Commune: s.Commune,
		Department: s.Department, Lat: s.Lat, Lon: s.Lon, Kind: s.Kind, SurfaceM2: s.SurfaceM2,
		AnnualCostEUR: s.AnnualCostEUR, Status: s.Status, DecisionReason: s.DecisionReason, Version: s.Version,
		CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt}
	if !s.AvailableFrom.IsZero() {
		out.AvailableFrom = &s.AvailableFrom
	}
	if !s.Decided.IsZero() {
		out.Decided = &s.Decided
	}
	return out
}

// apiListSites answers a relocation's sites.
func (s *Server) apiListSites(c *fiber.Ctx) error {
	ss, err := relocationList(s, c, func(rd reader, id int64) ([]sites.Site, error) {
		return rd.sites.Sites(c.UserContext(), id)
	})
	if err != nil {
		return err
	}
	out := items[siteJSON]{Items: make([]siteJSON, len(ss))}
	for i, site := range ss {
		out.Items[i] = toSiteJSON(site)
	}
	return c.JSON(out)
}

// apiGetSite answers one site with its ETag.
func (s *Server) apiGetSite(c *fiber.Ctx) error {
	site, err := s.siteParam(c, "id")
	if err != nil {
		return err
	}
	setETag(c, site.Version)
	return c.JSON(toSiteJSON(site))
}

// apiCreateSite adds a candidate site: 201 with Location.
func (s *Server) apiCreateSite(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	site, err := s.sites.CreateSite(c.UserContext(), s.actor(c), id, jsonCreate[sites.Site, siteInput](s, c, sites.NewSite()))
	if err != nil {
		return err
	}
	setETag(c, site.Version)
	c.Location(fmt.Sprintf("/api/v1/sites/%d", site.ID))
	return c.Status(fiber.StatusCreated).JSON(toSiteJSON(site))
}

// apiUpdateSite applies a partial update; selecting the site records it as the
// relocation's chosen site.
func (s *Server) apiUpdateSite(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	site, err := s.sites.UpdateSite(c.UserContext(), s.actor(c), id, ifMatch(c), jsonEdit(s, c, newInput[siteInput]))
	if err != nil {
		return err
	}
	setETag(c, site.Version)
	return c.JSON(toSiteJSON(site))
}

// siteParam loads the site named by a route parameter.
func (s *Server) siteParam(c *fiber.Ctx, name string) (sites.Site, error) {
	id, err := pathID(c, name)
	if err != nil {
		return sites.Site{}, err
	}
	return s.sites.Site(c.UserContext(), id)
}
