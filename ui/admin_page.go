package ui

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/ui/account"
)

// accountsPage is the body of the accounts page and its form.
type accountsPage struct {
	Users   []account.User
	Account *account.User // the one being edited, nil on the list
	Form    formState
}

// pageAccounts lists the accounts with a form to add one.
func (s *Server) pageAccounts(c *fiber.Ctx) error {
	return s.renderAccounts(c, formState{Values: map[string]string{"role": account.RoleViewer}})
}

func (s *Server) renderAccounts(c *fiber.Ctx, f formState) error {
	users, err := s.accounts.Users(c.UserContext())
	if err != nil {
		return err
	}
	return s.render(c, "accounts", pageData{Title: "Comptes", Data: accountsPage{Users: users, Form: f}})
}

// formCreateAccount adds an account.
func (s *Server) formCreateAccount(c *fiber.Ctx) error {
	in := account.NewUser{Email: c.FormValue("email"), Name: c.FormValue("name"), Role: c.FormValue("role"), Password: c.FormValue("password")}
	if _, err := s.accounts.CreateUser(c.UserContext(), s.actor(c), in); err != nil {
		f := formState{Values: map[string]string{"email": in.Email, "name": in.Name, "role": in.Role}}
		return s.formFailure(c, err, &f, func() error { return s.renderAccounts(c, f) })
	}
	return s.redirectNotice(c, "/admin/comptes", noticeAccountCreated)
}

// pageEditAccount shows an account's form.
func (s *Server) pageEditAccount(c *fiber.Ctx) error {
	u, err := s.accountParam(c)
	if err != nil {
		return err
	}
	return s.renderAccount(c, u, formState{Version: u.Version, Values: map[string]string{
		"name": u.Name, "role": u.Role, "disabled": fmt.Sprint(u.Disabled)}})
}

// formUpdateAccount changes an account's name, role, password or state.
func (s *Server) formUpdateAccount(c *fiber.Ctx) error {
	u, err := s.accountParam(c)
	if err != nil {
		return err
	}
	ch := account.UserChange{Name: c.FormValue("name"), Role: c.FormValue("role"), Password: c.FormValue("password"),
		Disabled: c.FormValue("disabled") == "on"}
	if _, err := s.accounts.UpdateUser(c.UserContext(), s.actor(c), u.ID, formPrecondition(c), ch); err != nil {
		f := formState{Version: formVersion(c), Values: map[string]string{"name": ch.Name, "role": ch.Role, "disabled": fmt.Sprint(ch.Disabled)}}
		return s.formFailure(c, err, &f, func() error {
			if relocation.ErrorCode(err) == relocation.EPRECONDITION {
				// Show what is stored now, at its version, so that a resubmit can succeed.
				f.Version, f.Values = u.Version, map[string]string{"name": u.Name, "role": u.Role, "disabled": fmt.Sprint(u.Disabled)}
				f.Problem = staleProblem("") // account changes are audited, not journaled
			}
			return s.renderAccount(c, u, f)
		})
	}
	return s.redirectNotice(c, "/admin/comptes", noticeAccountSaved)
}

func (s *Server) renderAccount(c *fiber.Ctx, u account.User, f formState) error {
	return s.render(c, "account_form", pageData{Title: "Modifier le compte " + u.Email, Data: accountsPage{Account: &u, Form: f}})
}

func (s *Server) accountParam(c *fiber.Ctx) (account.User, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return account.User{}, err
	}
	return s.accounts.User(c.UserContext(), id)
}
