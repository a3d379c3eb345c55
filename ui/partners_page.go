package ui

import (
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
)

// partnersPage is the body of the partners page and of the partner form.
type partnersPage struct {
	Relocation relocation.Relocation
	Partners   []sites.Partner
	CanEdit    bool
	Form       formState
	Action     string
	Partner    *sites.Partner // the one being edited
}

// partnersTitle is the title of the partners page.
func partnersTitle(r relocation.Relocation) string { return "Organismes partenaires — " + r.Name }

// newPartnerValues are the values of an empty partner form.
func newPartnerValues() map[string]string { return map[string]string{"weight": "1"} }

// pagePartners lists a relocation's partner bodies with a form to add one. It is drawn
// once per state (drawn.go).
func (s *Server) pagePartners(c *fiber.Ctx) error {
	return partnersForm.drawn(s, c, formState{Values: newPartnerValues()})
}

// partnersForm draws the partners page, over the new partner's form.
var partnersForm = formPage[formState]{name: "partners", data: (*Server).partnersData}

// partnersData reads the partners page of relocation id in one snapshot, with the new
// partner's form f: its title and body.
func (s *Server) partnersData(c *fiber.Ctx, id int64, canEdit bool, f formState) (string, any, error) {
	r, ps, err := relocationAnd(s, c, id, func(rd reader, _ relocation.Relocation) ([]sites.Partner, error) {
		return rd.sites.Partners(c.UserContext(), id)
	})
	page := partnersPage{Relocation: r, Partners: ps, CanEdit: canEdit, Form: f,
		Action: fmt.Sprintf("/projets/%d/partenaires", id)}
	return partnersTitle(r), page, err
}

// formCreatePartner adds a partner body from the form, then shows the list (303).
func (s *Server) formCreatePartner(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var values map[string]string
	_, err = s.sites.CreatePartner(c.UserContext(), s.actor(c), id, formCreate[sites.Partner, partnerInput](s, c, &values, sites.NewPartner()))
	if err != nil {
		f := formState{Values: values}
		return s.formFailure(c, err, &f, func() error {
			return partnersForm.redraw(s, c, id, f)
		})
	}
	return s.redirectNotice(c, fmt.Sprintf("/projets/%d/partenaires", id), noticePartnerCreated)
}

// pageEditPartner shows a partner body's form.
func (s *Server) pageEditPartner(c *fiber.Ctx) error {
	return s.drawnForm(c, "partner_form", "edit", "partners", sites.PartnerNotFound, func(id, relocationID int64) (string, any, error) {
		var p sites.Partner
		var r relocation.Relocation
		err := s.snapshot(c, func(rd reader) error {
			var err error
			if p, err = rd.sites.Partner(c.UserContext(), id); err != nil {
				return err
			}
			r, err = rd.rel.Relocation(c.UserContext(), relocationID)
			return err
		})
		title, data := partnerFormPage(r, p, formState{Values: formValues(newInput[partnerInput](p)), Version: p.Version})
		return title, data, err
	})
}

// formUpdatePartner saves a partner body's form over the version it was drawn from.
func (s *Server) formUpdatePartner(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var values map[string]string
	p, err := s.sites.UpdatePartner(c.UserContext(), s.actor(c), id, formPrecondition(c), formEdit(s, c, &values, newInput[partnerInput]))
	if err != nil {
		return s.redrawPartnerForm(c, err, id, formState{Values: values, Version: formVersion(c)}, "")
	}
	return s.redirectNotice(c, fmt.Sprintf("/projets/%d/partenaires", p.RelocationID), noticePartnerSaved)
}

// pageConfirmDeletePartner asks before deleting a partner body.
func (s *Server) pageConfirmDeletePartner(c *fiber.Ctx) error {
	p, r, err := s.writablePartner(c)
	if err != nil {
		return err
	}
	return s.render(c, "confirm", pageData{Title: "Supprimer l’organisme partenaire « " + p.Name + " » ?", Data: confirmPage{
		Crumbs: relocationCrumbs(r, "Organismes partenaires", fmt.Sprintf("/projets/%d/partenaires", r.ID), "Supprimer un organisme partenaire"),
		Facts:  []fact{{"Organisme", p.Name}, {"Adresse", or(p.Address, "—")}, {"Poids", frenchFloat(p.Weight)}},
		Warning: "L’organisme ne comptera plus dans la proximité des partenaires : le classement sera recalculé sans lui. " +
			"Le journal du projet gardera ses dernières valeurs.",
		Action: fmt.Sprintf("/partenaires/%d/supprimer", p.ID), Version: strconv.Itoa(p.Version),
		Button: "Supprimer l’organisme partenaire", Cancel: fmt.Sprintf("/partenaires/%d/modifier", p.ID)}})
}

// formDeletePartner deletes a partner body.
func (s *Server) formDeletePartner(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	cur, err := s.sites.Partner(c.UserContext(), id)
	if err != nil {
		return err
	}
	if err := s.sites.DeletePartner(c.UserContext(), s.actor(c), id, formPrecondition(c)); err != nil {
		return s.redrawPartnerForm(c, err, id, formState{}, "Organisme non supprimé. ")
	}
	return s.redirectNotice(c, fmt.Sprintf("/projets/%d/partenaires", cur.RelocationID), noticePartnerDeleted)
}

// redrawPartnerForm shows partner id's form again after an action refused it (see
// formFailure); over a stale version it shows the current values and who changed them.
func (s *Server) redrawPartnerForm(c *fiber.Ctx, failure error, id int64, f formState, prefix string) error {
	return s.formFailure(c, failure, &f, func() error {
		p, err := s.sites.Partner(c.UserContext(), id)
		if err != nil {
			return err
		}
		r, err := s.store.Relocation(c.UserContext(), p.RelocationID)
		if err != nil {
			return err
		}
		s.refreshStale(c, failure, &f, sites.EntityPartner, id, formValues(newInput[partnerInput](p)), p.Version, prefix)
		title, data := partnerFormPage(r, p, f)
		return s.render(c, "partner_form", pageData{Title: title, Data: data})
	})
}

// partnerFormPage gives the title and body of partner p's form f.
func partnerFormPage(r relocation.Relocation, p sites.Partner, f formState) (string, any) {
	return "Modifier l’organisme partenaire « " + p.Name + " »",
		partnersPage{Relocation: r, Partner: &p, Form: f, Action: fmt.Sprintf("/partenaires/%d", p.ID)}
}

// writablePartner loads the partner body of :id and its relocation, provided the user may
// change it.
func (s *Server) writablePartner(c *fiber.Ctx) (sites.Partner, relocation.Relocation, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return sites.Partner{}, relocation.Relocation{}, err
	}
	p, err := s.sites.Partner(c.UserContext(), id)
	if err != nil {
		return p, relocation.Relocation{}, err
	}
	r, err := s.store.Relocation(c.UserContext(), p.RelocationID)
	if err != nil {
		return p, r, err
	}
	return p, r, s.mayWrite(c, r.ID)
}
