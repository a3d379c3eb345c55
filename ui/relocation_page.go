package ui

import (
	"fmt"
	"html/template"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
	"github.com/ministere/tracker/ui/account"
)

// relocationPage is the body of a relocation's page.
type relocationPage struct {
	Relocation      relocation.Relocation
	RequiredSurface float64
	Computed        bool
	Milestones      []milestoneRow
	Questions       []*questionView // the written questions imported, oldest first
	Sites           []sites.Site
	CanEdit         bool
	Managers        []relocation.Manager
	Candidates      []managerChoice // for administrators: who may be assigned
	Journal         journalPage
	Timeline        template.HTML
	MovedOn         *relocation.Date // the move milestone's actual date, once done
}

// managerChoice is one account offered as a manager.
type managerChoice struct {
	account.User
	Assigned bool
}

// journalPage is one page of a relocation's journal.
type journalPage struct {
	Entries []relocation.Entry
	Rows    []journalRow // the entries for reading (see journal_view.go)
	journalPages
}

// journalPageSize is how many journal entries a page shows.
const journalPageSize = 20

// milestoneRow is a milestone with its status as of today.
type milestoneRow struct {
	relocation.Milestone
	State string
}

// pageRelocation shows a relocation: summary, required surface, milestones, sites,
// managers and journal, read in one snapshot, drawn once per state (drawn.go).
func (s *Server) pageRelocation(c *fiber.Ctx) error {
	id, _, st, err := s.entityStamp(c, "relocations", "")
	if err != nil {
		return err
	}
	journal := max(1, c.QueryInt("journal", 1))
	key, stamp := s.drawnAt("relocation", id, "journal="+strconv.Itoa(journal), st)
	return s.drawnUnlessRare(c, journal == 1, key, stamp, func() (string, any, error) {
		page := relocationPage{CanEdit: st.Writes}
		err := s.snapshot(c, func(rd reader) error {
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
			qs, err := rd.rel.Questions(ctx, id)
			if err != nil {
				return err
			}
			for _, q := range qs {
				page.Questions = append(page.Questions, newQuestionView(q, today, ms))
			}
			page.MovedOn = relocation.MoveDone(ms)
			if page.Sites, err = rd.sites.Sites(ctx, id); err != nil {
				return err
			}
			if page.Managers, err = rd.rel.Managers(ctx, id); err != nil {
				return err
			}
			if page.Journal, err = s.journalPage(c, rd.rel, id, journal); err != nil {
				return err
			}
			n, err := readNames(ctx, rd, id, page.Sites, ms, page.Journal.Entries)
			if err != nil {
				return err
			}
			page.Journal.Rows = n.rows(page.Journal.Entries)
			if st.Admin {
				page.Candidates, err = s.managerChoices(c, rd, page.Managers)
			}
			return err
		})
		page.RequiredSurface, page.Computed = page.Relocation.RequiredSurface()
		return page.Relocation.Name, page, err
	})
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
	return s.renderRelocationForm(c, relocationForm{Action: "/projets", Form: formState{Values: formValues(newRelocationDefaults())}})
}

// pageEditRelocation shows a relocation's form.
func (s *Server) pageEditRelocation(c *fiber.Ctx) error {
	return s.drawnForm(c, "relocation_form", "edit", "relocations", "", func(id, _ int64) (string, any, error) {
		r, err := s.store.Relocation(c.UserContext(), id)
		title, data := relocationFormPage(relocationForm{Action: fmt.Sprintf("/projets/%d", id), Relocation: &r,
			Form: formState{Values: formValues(newInput[relocationInput](r)), Version: r.Version}})
		return title, data, err
	})
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
	_, failure := s.store.UpdateRelocation(c.UserContext(), s.actor(c), id, formPrecondition(c), formEdit(s, c, &values, newInput[relocationInput]))
	if failure != nil {
		f := formState{Values: values, Version: formVersion(c)}
		return s.formFailure(c, failure, &f, func() error {
			cur, err := s.store.Relocation(c.UserContext(), id)
			if err != nil {
				return err
			}
			s.refreshStale(c, failure, &f, relocation.EntityRelocation, id, formValues(newInput[relocationInput](cur)), cur.Version, "")
			return s.renderRelocationForm(c, relocationForm{Action: fmt.Sprintf("/projets/%d", id), Relocation: &cur, Form: f})
		})
	}
	return s.redirectNotice(c, fmt.Sprintf("/projets/%d", id), noticeRelocationSaved)
}

func (s *Server) renderRelocationForm(c *fiber.Ctx, f relocationForm) error {
	title, data := relocationFormPage(f)
	return s.render(c, "relocation_form", pageData{Title: title, Data: data})
}

// relocationFormPage gives the title and body of the relocation form f.
func relocationFormPage(f relocationForm) (string, any) {
	if f.Relocation != nil {
		return "Modifier « " + f.Relocation.Name + " »", f
	}
	return "Nouveau projet de relocalisation", f
}

// managerChoices lists the accounts that may manage (managers and administrators not
// disabled), marking those assigned.
func (s *Server) managerChoices(c *fiber.Ctx, rd reader, assigned []relocation.Manager) ([]managerChoice, error) {
	users, err := account.Users(c.UserContext(), rd.q)
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

// journalPage reads page of a relocation's journal (1 = newest; past the last, the last).
func (s *Server) journalPage(c *fiber.Ctx, store *relocation.Store, relocationID int64, page int) (journalPage, error) {
	total, err := store.JournalCount(c.UserContext(), relocationID)
	if err != nil {
		return journalPage{}, err
	}
	jp := journalPage{journalPages: newJournalPages(total, journalPageSize, page, "journal", "#journal", "Pages du journal")}
	jp.Entries, err = store.Journal(c.UserContext(), relocationID, journalPageSize, jp.offset())
	return jp, err
}

// formSetManagers replaces the managers from the checkboxes of the relocation page.
func (s *Server) formSetManagers(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	_, err = s.store.SetManagers(c.UserContext(), s.actor(c), id, relocation.Unconditional(), func() ([]string, error) {
		var emails []string
		for _, v := range c.Context().PostArgs().PeekMulti("emails") {
			emails = append(emails, string(v))
		}
		return emails, nil
	})
	if err != nil {
		return err
	}
	return s.redirectNotice(c, fmt.Sprintf("/projets/%d#responsables", id), noticeManagersSaved)
}
