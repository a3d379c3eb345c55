package ui

import (
	"fmt"
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
)

// siteForm is the body of the site form.
type siteForm struct {
	Form       formState
	Action     string
	Relocation relocation.Relocation
	Site       *sites.Site // nil for a new one
}

// pageNewSite shows an empty site form.
func (s *Server) pageNewSite(c *fiber.Ctx) error {
	return s.drawnForm(c, "site_form", "new", "relocations", "", func(id, _ int64) (string, any, error) {
		r, err := s.store.Relocation(c.UserContext(), id)
		title, data := siteFormPage(siteForm{Action: fmt.Sprintf("/projets/%d/sites", id), Relocation: r,
			Form: formState{Values: map[string]string{"kind": "lease", "status": sites.StatusCandidate}}})
		return title, data, err
	})
}

// formCreateSite adds a site from the form, then shows it (303).
func (s *Server) formCreateSite(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var values map[string]string
	site, err := s.sites.CreateSite(c.UserContext(), s.actor(c), id, formCreate[sites.Site, siteInput](s, c, &values, sites.NewSite()))
	if err != nil {
		form := siteForm{Action: fmt.Sprintf("/projets/%d/sites", id), Form: formState{Values: values}}
		return s.formFailure(c, err, &form.Form, func() error {
			if form.Relocation, err = s.store.Relocation(c.UserContext(), id); err != nil {
				return err
			}
			return s.renderSiteForm(c, form)
		})
	}
	return s.redirectNotice(c, fmt.Sprintf("/sites/%d", site.ID), noticeSiteCreated)
}

// sitePage is the body of a site's page.
type sitePage struct {
	Relocation relocation.Relocation
	Site       sites.Site
	Rows       []scoreCell // one per criterion
	CanEdit    bool
	// Proximity holds the estimated minutes to each partner body; NoProximity says why
	// there are none.
	Proximity   sites.Proximity
	NoProximity string
}

// Position is the site's coordinates with a link to a map, nil when it has none.
func (p sitePage) Position() *position { return positionOf(p.Site.Lat, p.Site.Lon) }

// pageSite shows a site: its facts, the decision reason, and its value on every criterion.
// It is drawn once per state of its relocation (drawn.go).
func (s *Server) pageSite(c *fiber.Ctx) error {
	return s.drawnPage(c, "site", "sites", sites.NotFound, func(id, relocationID int64, st relocation.Stamp) (string, any, error) {
		g, err := s.gridOf(c, relocationID)
		if err != nil {
			return "", nil, err
		}
		// The site as the snapshot saw it, so that its facts and values agree.
		i := slices.IndexFunc(g.Sites, func(st sites.Site) bool { return st.ID == id })
		if i < 0 {
			return "", nil, relocation.Errorf(relocation.ENOTFOUND, "%s", sites.NotFound)
		}
		site := g.Sites[i]
		page := sitePage{Relocation: g.Relocation, Site: site, Rows: scoreGrid(&g, []sites.Site{site})[0].Cells, CanEdit: st.Writes,
			Proximity: sites.PartnerProximity(site.Lat, site.Lon, g.Partners, sites.CommuteSettingsOf(g.Relocation))}
		switch {
		case len(g.Partners) == 0:
			page.NoProximity = "Aucun organisme partenaire n’est enregistré pour ce projet."
		case site.Lat == nil || site.Lon == nil:
			page.NoProximity = "Les coordonnées du site ne sont pas renseignées : les temps vers les organismes partenaires ne peuvent pas être estimés."
		}
		return site.Name, page, nil
	})
}

// pageEditSite shows a site's form.
func (s *Server) pageEditSite(c *fiber.Ctx) error {
	return s.drawnForm(c, "site_form", "edit", "sites", sites.NotFound, func(id, relocationID int64) (string, any, error) {
		var site sites.Site
		var r relocation.Relocation
		err := s.snapshot(c, func(rd reader) error {
			var err error
			if site, err = rd.sites.Site(c.UserContext(), id); err != nil {
				return err
			}
			r, err = rd.rel.Relocation(c.UserContext(), relocationID)
			return err
		})
		title, data := siteFormPage(siteForm{Action: fmt.Sprintf("/sites/%d", id), Relocation: r, Site: &site,
			Form: formState{Values: formValues(newInput[siteInput](site)), Version: site.Version}})
		return title, data, err
	})
}

// formUpdateSite saves the site form over the version it was drawn from.
func (s *Server) formUpdateSite(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var values map[string]string
	_, failure := s.sites.UpdateSite(c.UserContext(), s.actor(c), id, formPrecondition(c), formEdit(s, c, &values, newInput[siteInput]))
	if failure != nil {
		f := formState{Values: values, Version: formVersion(c)}
		return s.formFailure(c, failure, &f, func() error {
			cur, r, err := s.siteAndRelocation(c)
			if err != nil {
				return err
			}
			s.refreshStale(c, failure, &f, sites.EntitySite, id, formValues(newInput[siteInput](cur)), cur.Version, "")
			return s.renderSiteForm(c, siteForm{Action: fmt.Sprintf("/sites/%d", id), Relocation: r, Site: &cur, Form: f})
		})
	}
	return s.redirectNotice(c, fmt.Sprintf("/sites/%d", id), noticeSiteSaved)
}

func (s *Server) renderSiteForm(c *fiber.Ctx, f siteForm) error {
	title, data := siteFormPage(f)
	return s.render(c, "site_form", pageData{Title: title, Data: data})
}

// siteFormPage gives the title and body of the site form f.
func siteFormPage(f siteForm) (string, any) {
	if f.Site != nil {
		return "Modifier le site « " + f.Site.Name + " »", f
	}
	return "Nouveau site candidat — " + f.Relocation.Name, f
}

// siteAndRelocation loads the site of :id and its relocation.
func (s *Server) siteAndRelocation(c *fiber.Ctx) (sites.Site, relocation.Relocation, error) {
	site, err := s.siteParam(c, "id")
	if err != nil {
		return site, relocation.Relocation{}, err
	}
	r, err := s.store.Relocation(c.UserContext(), site.RelocationID)
	return site, r, err
}
