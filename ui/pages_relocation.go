package ui

import (
	"fmt"
	"html/template"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
	"github.com/ministere/tracker/ui/account"
)

// portfolioPage is the body of the portfolio.
type portfolioPage struct {
	Rows      []portfolioRow
	CanCreate bool
	Status    string // the filter, "" for all
	Page      int
	Pages     []int // every page number, for the pagination
	Last      int
	Total     int
}

// portfolioRow is one relocation of the portfolio.
type portfolioRow struct {
	relocation.PortfolioRow
	Late bool // its next milestone is past its planned end
}

// portfolioPageSize is how many relocations a portfolio page lists.
const portfolioPageSize = 50

// pagePortfolio lists the relocations (50 a page, filtered by ?statut=) with their
// status, target move, next milestone and worst slip, computed in one statement.
func (s *Server) pagePortfolio(c *fiber.Ctx) error {
	status := c.Query("statut")
	if status != "" && !relocation.IsStatus(status) {
		status = ""
	}
	page := max(1, c.QueryInt("page", 1))
	rows, err := s.store.Portfolio(c.UserContext(), status, portfolioPageSize, (page-1)*portfolioPageSize)
	if err != nil {
		return err
	}
	p := portfolioPage{CanCreate: s.mayCreateRelocation(c) == nil, Status: status, Page: page}
	today := s.today()
	for _, r := range rows {
		p.Rows = append(p.Rows, portfolioRow{PortfolioRow: r,
			Late: r.NextTitle != "" && today.After(r.NextPlanned.End())})
		p.Total = r.Total
	}
	p.Last = max(1, (p.Total+portfolioPageSize-1)/portfolioPageSize)
	for n := 1; n <= p.Last && p.Total > portfolioPageSize; n++ {
		p.Pages = append(p.Pages, n)
	}
	return s.render(c, "portfolio", pageData{Title: "Portefeuille des relocalisations", Data: p})
}

// relocationPage is the body of a relocation's page.
type relocationPage struct {
	Relocation      relocation.Relocation
	RequiredSurface float64
	Computed        bool
	Milestones      []milestoneRow
	Sites           []sites.Site
	CanEdit         bool
	Managers        []relocation.Manager
	Candidates      []managerChoice // for administrators: who may be assigned
	Journal         journalPage
	Timeline        template.HTML
}

// managerChoice is one account offered as a manager.
type managerChoice struct {
	account.User
	Assigned bool
}

// journalPage is one page of a relocation's journal.
type journalPage struct {
	Entries    []relocation.Entry
	Rows       []journalRow // the entries for reading (see journal_view.go)
	Page, Last int
}

// journalPageSize is how many journal entries a page shows.
const journalPageSize = 20

// milestoneRow is a milestone with its status as of today.
type milestoneRow struct {
	relocation.Milestone
	State string
}

// pageRelocation shows a relocation: summary, required surface, milestones, sites,
// managers and journal, read in one snapshot.
func (s *Server) pageRelocation(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var page relocationPage
	err = s.snapshot(c, func(rd reader) error {
		ctx := c.UserContext()
		r, err := rd.rel.Relocation(ctx, id)
		if err != nil {
			return err
		}
		page.Relocation = r
		ms, err := rd.rel.Milestones(ctx, id)
		if err != nil {
			return err
		}
		today := s.today()
		page.Milestones = make([]milestoneRow, len(ms))
		for i, m := range ms {
			page.Milestones[i] = milestoneRow{Milestone: m, State: m.Status(today)}
		}
		page.Timeline = timelineSVG(ms, today)
		if page.Sites, err = rd.sites.Sites(ctx, id); err != nil {
			return err
		}
		if page.Managers, err = rd.rel.Managers(ctx, id); err != nil {
			return err
		}
		if page.Journal, err = s.journalPage(c, rd.rel, id); err != nil {
			return err
		}
		n, err := readNames(ctx, rd, id, page.Sites, ms, page.Journal.Entries)
		page.Journal.Rows = n.rows(page.Journal.Entries)
		return err
	})
	if err != nil {
		return err
	}
	page.RequiredSurface, page.Computed = page.Relocation.RequiredSurface()
	if page.CanEdit, err = s.canWrite(c, id); err != nil {
		return err
	}
	if who(c).User.IsAdmin() {
		if page.Candidates, err = s.managerChoices(c, page.Managers); err != nil {
			return err
		}
	}
	return s.render(c, "relocation", pageData{Title: page.Relocation.Name, Data: page})
}

// relocationForm is the body of the relocation form.
type relocationForm struct {
	Form       formState
	Action     string
	Relocation *relocation.Relocation // nil for a new one
}

// pageNewRelocation shows an empty relocation form with the defaults.
func (s *Server) pageNewRelocation(c *fiber.Ctx) error {
	if err := s.mayCreateRelocation(c); err != nil {
		return err
	}
	in := newRelocationInput(relocation.NewRelocation())
	in.Headcount, in.Slug, in.TargetMove = nil, nil, nil
	return s.renderRelocationForm(c, relocationForm{Action: "/projets", Form: formState{Values: formValues(in)}})
}

// pageEditRelocation shows a relocation's form.
func (s *Server) pageEditRelocation(c *fiber.Ctx) error {
	r, err := s.relocationParam(c)
	if err != nil {
		return err
	}
	if err := s.mayWrite(c, r.ID); err != nil {
		return err
	}
	id := r.ID
	return s.renderRelocationForm(c, relocationForm{Action: fmt.Sprintf("/projets/%d", id), Relocation: &r,
		Form: formState{Values: formValues(newRelocationInput(r)), Version: r.Version}})
}

// formCreateRelocation creates a relocation from the form, then shows it (303).
//
// A public page address (slug) left empty is proposed from the name (SlugFrom); the API,
// which SPEC makes require it, proposes nothing.
func (s *Server) formCreateRelocation(c *fiber.Ctx) error {
	if strings.TrimSpace(c.FormValue("slug")) == "" {
		if slug := relocation.SlugFrom(c.FormValue("name")); slug != "" {
			c.Request().PostArgs().Set("slug", slug)
		}
	}
	var values map[string]string
	r, err := s.store.CreateRelocation(c.UserContext(), s.actor(c),
		formCreate[relocation.Relocation, relocationInput](s, c, &values, relocation.NewRelocation()))
	if err != nil {
		form := relocationForm{Action: "/projets", Form: formState{Values: values}}
		return s.formFailure(c, err, &form.Form, func() error { return s.renderRelocationForm(c, form) })
	}
	return s.redirectNotice(c, fmt.Sprintf("/projets/%d", r.ID), noticeRelocationCreated)
}

// formUpdateRelocation saves the relocation form over the version it was drawn from.
func (s *Server) formUpdateRelocation(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var values map[string]string
	_, failure := s.store.UpdateRelocation(c.UserContext(), s.actor(c), id, formPrecondition(c), formEdit(s, c, &values, newRelocationInput))
	if failure != nil {
		f := formState{Values: values, Version: formVersion(c)}
		return s.formFailure(c, failure, &f, func() error {
			cur, err := s.store.Relocation(c.UserContext(), id)
			if err != nil {
				return err
			}
			s.refreshStale(c, failure, &f, relocation.EntityRelocation, id, formValues(newRelocationInput(cur)), cur.Version, "")
			return s.renderRelocationForm(c, relocationForm{Action: fmt.Sprintf("/projets/%d", id), Relocation: &cur, Form: f})
		})
	}
	return s.redirectNotice(c, fmt.Sprintf("/projets/%d", id), noticeRelocationSaved)
}

func (s *Server) renderRelocationForm(c *fiber.Ctx, f relocationForm) error {
	title := "Nouveau projet de relocalisation"
	if f.Relocation != nil {
		title = "Modifier « " + f.Relocation.Name + " »"
	}
	return s.render(c, "relocation_form", pageData{Title: title, Data: f})
}

// managerChoices lists the accounts that may manage (managers and administrators not
// disabled), marking those assigned.
func (s *Server) managerChoices(c *fiber.Ctx, assigned []relocation.Manager) ([]managerChoice, error) {
	users, err := s.accounts.Users(c.UserContext())
	if err != nil {
		return nil, err
	}
	var out []managerChoice
	for _, u := range users {
		if u.Disabled || u.Role == account.RoleViewer {
			continue
		}
		on := slices.ContainsFunc(assigned, func(a relocation.Manager) bool { return a.Email == u.Email })
		out = append(out, managerChoice{User: u, Assigned: on})
	}
	return out, nil
}

// journalPage reads the page of the journal named by ?journal= (1 = newest).
func (s *Server) journalPage(c *fiber.Ctx, store *relocation.Store, relocationID int64) (journalPage, error) {
	total, err := store.JournalCount(c.UserContext(), relocationID)
	if err != nil {
		return journalPage{}, err
	}
	jp := journalPage{Last: max(1, (total+journalPageSize-1)/journalPageSize)}
	jp.Page = min(max(1, c.QueryInt("journal", 1)), jp.Last)
	jp.Entries, err = store.Journal(c.UserContext(), relocationID, journalPageSize, (jp.Page-1)*journalPageSize)
	return jp, err
}
