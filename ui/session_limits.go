package ui

import (
	"html/template"
	"strconv"
	"time"

	"github.com/ministere/tracker/ui/account"
	"github.com/ministere/tracker/ui/proconnect"
)

// loginCSRFLifetime is how long the login form's CSRF cookie lasts (loginCSRF).
const loginCSRFLifetime = 12 * time.Hour

// sessionLimitFuncs are the template functions that say the session limits in French,
// from the constants the code enforces (account.SessionIdle, account.SessionAbsolute,
// loginCSRFLifetime, proconnect.PendingLife, account.ThrottleWindow): the profile, the
// legal notices and the personal data page print them, and no template types one of
// these durations by hand.
func sessionLimitFuncs() template.FuncMap {
	return template.FuncMap{
		"sessionIdle":       func() string { return frenchDuration(account.SessionIdle) },
		"sessionAbsolute":   func() string { return frenchDuration(account.SessionAbsolute) },
		"loginCSRFLifetime": func() string { return frenchDuration(loginCSRFLifetime) },
		"proconnectPending": func() string { return frenchDuration(proconnect.PendingLife) },
		"throttleWindow":    func() string { return frenchDuration(account.ThrottleWindow) },
	}
}

// frenchDuration says d in French, in whole hours when it is a whole number of hours
// (« 12 heures », « 1 heure »), else in whole minutes (« 30 minutes », « 1 minute »).
func frenchDuration(d time.Duration) string {
	n, unit := int64(d/time.Minute), "minute"
	if d >= time.Hour && d%time.Hour == 0 {
		n, unit = int64(d/time.Hour), "heure"
	}
	if n > 1 {
		unit += "s"
	}
	return strconv.FormatInt(n, 10) + " " + unit
}
