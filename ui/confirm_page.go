package ui

import (
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/ui/account"
)

// Every deletion asks first: its button leads to a confirmation page (GET …/supprimer)
// that says what will be deleted and carries the POST form that deletes, beside a
// link back. No script: the page works under the strict CSP and without JavaScript.

// confirmPage is the body of a confirmation page.
type confirmPage struct {
	Crumbs  []crumb
	Facts   []fact // what will be deleted
	Warning string // what cannot be undone
	Action  string // the POST that deletes
	Version string // the version the form carries ("" when the action takes none)
	Button  string
	Cancel  string
}

// fact is one line of what a confirmation page describes.
type fact struct{ Label, Value string }

// pageConfirmDeleteMilestone asks before deleting a milestone.
func (s *Server) pageConfirmDeleteMilestone(c *fiber.Ctx) error {
	m, r, err := s.milestoneParam(c)
	if err != nil {
		return err
	}
	if err := s.mayWrite(c, r.ID); err != nil {
		return err
	}
	back := fmt.Sprintf("/jalons/%d/modifier", m.ID)
	return s.render(c, "confirm", pageData{Title: "Supprimer le jalon « " + m.Title + " » ?", Data: confirmPage{
		Crumbs: relocationCrumbs(r, "Supprimer un jalon"),
		Facts: []fact{{"Jalon", m.Title}, {"Type", milestoneKindLabels[m.Kind]}, {"Date prévue", m.Planned.Label()},
			{"Source", m.Source}},
		Warning: "Le jalon disparaîtra du projet, de sa page publique et des calendriers. Le journal du projet gardera ses dernières valeurs.",
		Action:  fmt.Sprintf("/jalons/%d/supprimer", m.ID), Version: strconv.Itoa(m.Version),
		Button: "Supprimer le jalon", Cancel: back}})
}

// pageConfirmDeleteCriterion asks before deleting a criterion and its scores.
func (s *Server) pageConfirmDeleteCriterion(c *fiber.Ctx) error {
	cr, r, err := s.writableCriterion(c)
	if err != nil {
		return err
	}
	return s.render(c, "confirm", pageData{Title: "Supprimer le critère « " + cr.Name + " » ?", Data: confirmPage{
		Crumbs: relocationCrumbs(r, "Critères", fmt.Sprintf("/projets/%d/criteres", r.ID), "Supprimer un critère"),
		Facts: []fact{{"Critère", cr.Name}, {"Poids", frenchFloat(cr.Weight)},
			{"Échelle", frenchFloat(cr.ScaleMin) + " à " + frenchFloat(cr.ScaleMax)}},
		Warning: "Le critère et toutes les notes des sites sur ce critère seront supprimés ; le classement sera recalculé sans lui. " +
			"Pour seulement l’écarter du classement, décochez plutôt « Pris en compte dans le classement » dans son formulaire.",
		Action: fmt.Sprintf("/criteres/%d/supprimer", cr.ID), Version: strconv.Itoa(cr.Version),
		Button: "Supprimer le critère et ses notes", Cancel: fmt.Sprintf("/criteres/%d/modifier", cr.ID)}})
}

// pageConfirmDeleteRoster asks before erasing the agents' roster.
func (s *Server) pageConfirmDeleteRoster(c *fiber.Ctx) error {
	r, err := s.writableRelocation(c)
	if err != nil {
		return err
	}
	n, err := s.sites.RosterSize(c.UserContext(), r.ID)
	if err != nil {
		return err
	}
	if n == 0 {
		return relocation.Errorf(relocation.ENOTFOUND, "Ce projet n’a pas de fichier des agents.")
	}
	back := fmt.Sprintf("/projets/%d/trajets", r.ID)
	return s.render(c, "confirm", pageData{Title: "Supprimer le fichier des agents ?", Data: confirmPage{
		Crumbs: relocationCrumbs(r, "Trajets des agents", back,
			"Supprimer le fichier des agents"),
		Facts: []fact{{"Projet", r.Name}, {"Agents du fichier", strconv.Itoa(n)}},
		Warning: "Les lignes des agents et les chiffres des trajets seront effacés ; les critères de trajet n’auront plus de valeur " +
			"jusqu’à un nouvel import.",
		Action: fmt.Sprintf("/projets/%d/agents/supprimer", r.ID), Button: "Supprimer le fichier des agents", Cancel: back}})
}

// pageConfirmRevokeToken asks before revoking one of the user's API tokens.
func (s *Server) pageConfirmRevokeToken(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return relocation.Errorf(relocation.ENOTFOUND, "%s", account.TokenNotFound)
	}
	tokens, err := s.accounts.Tokens(c.UserContext(), who(c).User.ID)
	if err != nil {
		return err
	}
	var t *account.Token
	for i := range tokens {
		if tokens[i].ID == id && tokens[i].RevokedAt == nil {
			t = &tokens[i]
		}
	}
	if t == nil {
		return relocation.Errorf(relocation.ENOTFOUND, "%s", account.TokenNotFound)
	}
	used := "jamais"
	if t.LastUsedAt != nil {
		used = frenchDateTime(*t.LastUsedAt)
	}
	return s.render(c, "confirm", pageData{Title: "Révoquer le jeton « " + or(t.Name, "sans nom") + " » ?", Data: confirmPage{
		Crumbs: crumbs("Portefeuille", "/", "Mon profil", "/profil", "Révoquer un jeton"),
		Facts:  []fact{{"Jeton", or(t.Name, "sans nom")}, {"Créé le", frenchDateTime(t.CreatedAt)}, {"Dernier usage", used}},
		Warning: "Les programmes qui utilisent ce jeton n’auront plus accès à l’API. Un jeton révoqué ne peut pas être rétabli : " +
			"il faudra en créer un nouveau.",
		Action: fmt.Sprintf("/profil/jetons/%d/revoquer", t.ID), Button: "Révoquer le jeton", Cancel: "/profil"}})
}
