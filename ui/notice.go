package ui

import (
	"github.com/gofiber/fiber/v2"
)

// Success notices: after a form changed something, the 303 that follows it carries a
// short-lived cookie holding a notice code (never text from the request); the next page
// drawn reads it, clears it and shows the notice in the layout, above the content. The
// layout is drawn per request, so a page's content may be shared between viewers while
// the notice stays the viewer's own.

// noticeCookie names the cookie that carries a notice code across a redirect.
const noticeCookie = "tracker_notice"

// noticeMaxAge is how long, in seconds, a notice waits for the page it announces.
const noticeMaxAge = 60

// Notice codes, one per kind of change a form makes.
const (
	noticeRelocationCreated = "relocation-created"
	noticeRelocationSaved   = "relocation-saved"
	noticeManagersSaved     = "managers-saved"
	noticeMilestoneCreated  = "milestone-created"
	noticeMilestoneSaved    = "milestone-saved"
	noticeMilestoneDeleted  = "milestone-deleted"
	noticeSiteCreated       = "site-created"
	noticeSiteSaved         = "site-saved"
	noticeCriterionCreated  = "criterion-created"
	noticeCriterionSaved    = "criterion-saved"
	noticeCriterionDeleted  = "criterion-deleted"
	noticePartnerCreated    = "partner-created"
	noticePartnerSaved      = "partner-saved"
	noticePartnerDeleted    = "partner-deleted"
	noticeScoresSaved       = "scores-saved"
	noticeScoresUnchanged   = "scores-unchanged"
	noticeWeightsApplied    = "weights-applied"
	noticeRosterImported    = "roster-imported"
	noticeRosterDeleted     = "roster-deleted"
	noticeQuestionImported  = "question-imported"
	noticeAccountCreated    = "account-created"
	noticeAccountSaved      = "account-saved"
	noticeSessionEnded      = "session-ended"
	noticeTokenCreated      = "token-created"
	noticeTokenRevoked      = "token-revoked"
	noticeLoggedOut         = "logged-out"
	noticePasswordChanged   = "password-changed"
)

// notices are the messages of the notice codes: the only texts a notice can show.
var notices = map[string]string{
	noticeRelocationCreated: "Projet créé.",
	noticeRelocationSaved:   "Modifications du projet enregistrées.",
	noticeManagersSaved:     "Responsables du projet enregistrés.",
	noticeMilestoneCreated:  "Jalon ajouté.",
	noticeMilestoneSaved:    "Modifications du jalon enregistrées.",
	noticeMilestoneDeleted:  "Jalon supprimé.",
	noticeSiteCreated:       "Site ajouté.",
	noticeSiteSaved:         "Modifications du site enregistrées.",
	noticeCriterionCreated:  "Critère ajouté.",
	noticeCriterionSaved:    "Modifications du critère enregistrées.",
	noticeCriterionDeleted:  "Critère et notes supprimés.",
	noticePartnerCreated:    "Organisme partenaire ajouté.",
	noticePartnerSaved:      "Modifications de l’organisme partenaire enregistrées.",
	noticePartnerDeleted:    "Organisme partenaire supprimé.",
	noticeScoresSaved:       "Notes enregistrées.",
	noticeScoresUnchanged:   "Aucune note modifiée : les valeurs saisies étaient déjà enregistrées.",
	noticeWeightsApplied:    "Poids tirés des comparaisons appliqués aux critères.",
	noticeRosterImported:    "Fichier des agents importé ; les chiffres des trajets sont à jour.",
	noticeRosterDeleted:     "Fichier des agents supprimé.",
	noticeQuestionImported:  "Question écrite importée : ses jalons sont à jour.",
	noticeAccountCreated:    "Compte créé.",
	noticeAccountSaved:      "Modifications du compte enregistrées.",
	noticeSessionEnded:      "Session fermée.",
	noticeTokenCreated:      "Jeton créé.",
	noticeTokenRevoked:      "Jeton révoqué.",
	noticeLoggedOut:         "Vous êtes déconnecté. À bientôt !",
	noticePasswordChanged:   "Mot de passe changé. Vos autres sessions sont fermées.",
}

// localNotice is the Locals key of a notice shown on the answer itself (no redirect).
const localNotice = "notice"

// redirectNotice answers a form POST with 303 See Other to to, carrying the notice of
// code for the page it leads to.
func (s *Server) redirectNotice(c *fiber.Ctx, to, code string) error {
	c.Cookie(&fiber.Cookie{Name: s.cookieName(c, noticeCookie), Value: code, Path: "/", HTTPOnly: true,
		SameSite: fiber.CookieSameSiteLaxMode, Secure: s.secure(c), MaxAge: noticeMaxAge})
	return redirect(c, to)
}

// showNotice shows the notice of code on the page this request draws.
func showNotice(c *fiber.Ctx, code string) { c.Locals(localNotice, code) }

// takeNotice returns the message of the notice waiting for this request ("" when none
// or unknown) and clears its cookie.
func (s *Server) takeNotice(c *fiber.Ctx) string {
	if code, ok := c.Locals(localNotice).(string); ok {
		return notices[code]
	}
	name := s.cookieName(c, noticeCookie)
	code := c.Cookies(name)
	if code == "" {
		return ""
	}
	c.Cookie(&fiber.Cookie{Name: name, Value: "", Path: "/", HTTPOnly: true,
		SameSite: fiber.CookieSameSiteLaxMode, Secure: s.secure(c), MaxAge: -1})
	return notices[code]
}
