package main

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/ministere/tracker/migrations/dbtest"
	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/ui/account"
)

func TestUserAdd(t *testing.T) {
	t.Parallel()
	db, url := dbtest.OpenURL(t)
	ctx := context.Background()
	store := account.NewStore(db, time.Now, 10)

	// The password is the first line of stdin; what follows is not read.
	out, err := runCmdIn(t, url, "un mot de passe solide\r\nautre ligne\n",
		"user", "add", "--email", "Premiere.Admin@Exemple.gouv.fr", "--name", "Première administratrice", "--role", "admin")
	if err != nil {
		t.Fatalf("user add: %v\n%s", err, out)
	}
	if !strings.Contains(out, "premiere.admin@exemple.gouv.fr") || strings.Contains(out, "solide") {
		t.Errorf("user add says %q: want the account named, never the password", out)
	}
	u, err := store.Authenticate(ctx, "premiere.admin@exemple.gouv.fr", "un mot de passe solide", "")
	if err != nil {
		t.Fatalf("the new account cannot log in: %v", err)
	}
	if u.Role != account.RoleAdmin || u.Name != "Première administratrice" {
		t.Errorf("new account: role %q name %q", u.Role, u.Name)
	}
	if _, err := store.Authenticate(ctx, u.Email, "autre ligne", ""); relocation.ErrorCode(err) != relocation.EUNAUTHORIZED {
		t.Errorf("the second line of stdin works as a password: %v", err)
	}
	// Without a final line break, the whole input is the password; the role defaults to viewer.
	if out, err := runCmdIn(t, url, "sans retour à la ligne", "user", "add", "--email", "lecteur@exemple.gouv.fr", "--name", "Lecteur"); err != nil {
		t.Fatalf("user add without a line break: %v\n%s", err, out)
	}
	if u, err := store.Authenticate(ctx, "lecteur@exemple.gouv.fr", "sans retour à la ligne", ""); err != nil || u.Role != account.RoleViewer {
		t.Errorf("account from a password without line break: %v, role %q (want viewer)", err, u.Role)
	}

	var before int
	if err := db.Get(&before, `SELECT count(*) FROM users`); err != nil {
		t.Fatal(err)
	}
	var auditBefore int
	if err := db.Get(&auditBefore, `SELECT count(*) FROM account_audit`); err != nil || auditBefore != before {
		t.Fatalf("%d audit rows (%v) for %d accounts created", auditBefore, err, before)
	}
	for _, tc := range []struct {
		name, stdin, mention string
		args                 []string
	}{
		{"short password", "court\n", "password", []string{"--email", "b@exemple.gouv.fr", "--name", "B", "--role", "manager"}},
		{"no password", "", "password", []string{"--email", "c@exemple.gouv.fr", "--name", "C"}},
		{"unknown role", "un mot de passe solide\n", "role", []string{"--email", "d@exemple.gouv.fr", "--name", "D", "--role", "root"}},
		{"bad email", "un mot de passe solide\n", "email", []string{"--email", "pas-une-adresse", "--name", "E"}},
		{"taken email", "un mot de passe solide\n", "email", []string{"--email", "LECTEUR@exemple.gouv.fr", "--name", "F"}},
	} {
		out, err := runCmdIn(t, url, tc.stdin, append([]string{"user", "add"}, tc.args...)...)
		if err == nil {
			t.Errorf("%s: user add succeeded: %s", tc.name, out)
			continue
		}
		if !strings.Contains(err.Error(), tc.mention) {
			t.Errorf("%s: error %q does not name %s", tc.name, err, tc.mention)
		}
		if strings.Contains(err.Error()+out, "un mot de passe solide") {
			t.Errorf("%s: the password shows: %v %s", tc.name, err, out)
		}
	}
	var after int
	if err := db.Get(&after, `SELECT count(*) FROM users`); err != nil || after != before {
		t.Errorf("%d accounts after the refusals (%v), want %d", after, err, before)
	}
	if err := db.Get(&after, `SELECT count(*) FROM account_audit`); err != nil || after != auditBefore {
		t.Errorf("%d audit rows after the refusals (%v), want %d", after, err, auditBefore)
	}
}

// auditTrail lists the account audit, oldest first, as "by action" lines.
func auditTrail(t *testing.T, db *sqlx.DB) []string {
	t.Helper()
	var trail []string
	if err := db.Select(&trail, `SELECT by || ' ' || action FROM account_audit ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	return trail
}

func TestTokenCreate(t *testing.T) {
	t.Parallel()
	db, url := dbtest.OpenURL(t)
	ctx := context.Background()
	store := account.NewStore(db, time.Now, 10)
	if out, err := runCmdIn(t, url, "un mot de passe solide\n", "user", "add", "--email", "robot@exemple.gouv.fr", "--name", "Robot", "--role", "manager"); err != nil {
		t.Fatalf("user add: %v\n%s", err, out)
	}
	out, err := runCmd(t, url, "token", "create", "--email", "ROBOT@exemple.gouv.fr")
	if err != nil {
		t.Fatalf("token create: %v\n%s", err, out)
	}
	// Only the token, on one line: a script can capture it as is.
	if !regexp.MustCompile(`^trk_[A-Za-z0-9_-]{20,}\n$`).MatchString(out) {
		t.Fatalf("token create printed %q, want the token alone on one line", out)
	}
	secret := strings.TrimSpace(out)
	u, err := store.UserByToken(ctx, secret)
	if err != nil || u.Email != "robot@exemple.gouv.fr" {
		t.Fatalf("the printed token does not authenticate: %v (%s)", err, u.Email)
	}
	second, err := runCmd(t, url, "token", "create", "--email", "robot@exemple.gouv.fr")
	if err != nil || strings.TrimSpace(second) == secret {
		t.Errorf("a second token: %q (%v), want a new one", second, err)
	}
	var raw int
	if err := db.Get(&raw, `SELECT count(*) FROM api_tokens WHERE token_hash = convert_to($1, 'UTF8')`, secret); err != nil || raw != 0 {
		t.Errorf("the token is stored as is (%d, %v)", raw, err)
	}
	out, err = runCmd(t, url, "token", "create", "--email", "personne@exemple.gouv.fr")
	if err == nil || out != "" {
		t.Errorf("token create for an unknown email: %v, output %q; want an error and nothing on stdout", err, out)
	}
	// The account audit names the command line as the actor.
	want := "[ligne de commande create ligne de commande token_create ligne de commande token_create]"
	if got := fmt.Sprint(auditTrail(t, db)); got != want {
		t.Errorf("account audit %s, want %s", got, want)
	}
}

// TestDemoAdmin: the demo creates its administrator once and prints the generated
// password once; the second run prints none.
func TestDemoAdmin(t *testing.T) {
	t.Parallel()
	db, url := dbtest.OpenURL(t)
	out, err := runCmd(t, url, "demo")
	if err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`(?m)^  Compte : +(\S+@\S+)\n  Mot de passe : (\S+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("the first demo prints no administrator and password: %q", out)
	}
	// A block that stands out from the logs, with where to sign in and how to change it.
	for _, want := range []string{strings.Repeat("=", 78), "Se connecter :  http://", "/login", "bin/tracker user password --email " + m[1]} {
		if !strings.Contains(out, want) {
			t.Errorf("the demo's block lacks %q:\n%s", want, out)
		}
	}
	u, err := account.NewStore(db, time.Now, 10).Authenticate(context.Background(), m[1], m[2], "")
	if err != nil {
		t.Fatalf("the printed password does not log in: %v", err)
	}
	if u.Role != account.RoleAdmin {
		t.Errorf("demo account role %q, want admin", u.Role)
	}
	out, err = runCmd(t, url, "demo")
	if err != nil {
		t.Fatalf("second demo: %v\n%s", err, out)
	}
	if strings.Contains(out, m[2]) || !strings.Contains(out, "celui affiché au premier lancement") {
		t.Errorf("the second demo prints a password: %q", out)
	}
	var n int
	if err := db.Get(&n, `SELECT count(*) FROM users`); err != nil || n != 1 {
		t.Errorf("%d accounts (%v) after two demos, want 1", n, err)
	}
	if got := fmt.Sprint(auditTrail(t, db)); got != "[démo create]" {
		t.Errorf("account audit after two demos %s, want [démo create]", got)
	}
}

// TestUserPassword: tracker user password sets a new password read from stdin, as an
// administrator's reset does: the account's sessions end, its tokens are revoked, and
// the account audit records it; bad input changes nothing.
func TestUserPassword(t *testing.T) {
	t.Parallel()
	db, url := dbtest.OpenURL(t)
	ctx := context.Background()
	store := account.NewStore(db, time.Now, 10)
	if out, err := runCmdIn(t, url, "ancien mot de passe\n", "user", "add", "--email", "chef@exemple.gouv.fr", "--name", "Cheffe", "--role", "admin"); err != nil {
		t.Fatalf("user add: %v\n%s", err, out)
	}
	u, err := store.UserByEmail(ctx, "chef@exemple.gouv.fr")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := store.CreateSession(ctx, u.ID, "Firefox/128.0"); err != nil {
		t.Fatal(err)
	}
	secret, _, err := store.CreateToken(ctx, cliActor, u.ID, "robot")
	if err != nil {
		t.Fatal(err)
	}
	trail := len(auditTrail(t, db))
	// Refused: no password, a short one, an unknown account. Nothing changes.
	for _, tc := range []struct{ stdin, email string }{{"", u.Email}, {"court\n", u.Email}, {"un mot de passe solide\n", "personne@exemple.gouv.fr"}} {
		if out, err := runCmdIn(t, url, tc.stdin, "user", "password", "--email", tc.email); err == nil {
			t.Errorf("user password %q for %s succeeded: %s", tc.stdin, tc.email, out)
		}
	}
	if n := len(auditTrail(t, db)); n != trail {
		t.Errorf("refused password changes wrote %d audit rows", n-trail)
	}
	out, err := runCmdIn(t, url, "une nouvelle phrase de passe\nignorée\n", "user", "password", "--email", "Chef@Exemple.gouv.fr")
	if err != nil {
		t.Fatalf("user password: %v\n%s", err, out)
	}
	if strings.Contains(out, "nouvelle phrase") || !strings.Contains(out, u.Email) {
		t.Errorf("user password says %q: want the account named, never the password", out)
	}
	if _, err := store.Authenticate(ctx, u.Email, "une nouvelle phrase de passe", ""); err != nil {
		t.Errorf("the new password does not log in: %v", err)
	}
	if _, err := store.Authenticate(ctx, u.Email, "ancien mot de passe", ""); relocation.ErrorCode(err) != relocation.EUNAUTHORIZED {
		t.Errorf("the old password still logs in: %v", err)
	}
	if ss, err := store.Sessions(ctx, u.ID); err != nil || len(ss) != 0 {
		t.Errorf("%d sessions (%v) after the new password, want 0", len(ss), err)
	}
	if _, err := store.UserByToken(ctx, secret); err == nil {
		t.Error("the account's API token still works after the new password")
	}
	got := auditTrail(t, db)[trail:]
	if fmt.Sprint(got) != "[ligne de commande password_reset]" {
		t.Errorf("account audit of the new password %v, want [ligne de commande password_reset]", got)
	}
}

// TestHelpWithoutDatabase: tracker --help, tracker help and tracker help CMD answer
// with no DATABASE_URL; an unknown topic is an error.
func TestHelpWithoutDatabase(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--help"}, "tracker user password --email E"},
		{[]string{"-h"}, "tracker token create"},
		{[]string{"help"}, "DATABASE_URL"},
		{[]string{"help", "user", "password"}, "ferme toutes ses sessions"},
		{[]string{"help", "user"}, "tracker user add --email E --name N --role R"},
		{[]string{"user", "password", "--help"}, "ferme toutes ses sessions"},
		{[]string{"user", "password", "--email", "a@b.fr", "--help"}, "ferme toutes ses sessions"},
		{[]string{"help", "demo"}, "admin@demo.gouv.fr"},
	} {
		var out strings.Builder
		if err := run(context.Background(), tc.args, strings.NewReader(""), &out, env(nil)); err != nil {
			t.Errorf("tracker %v without DATABASE_URL: %v", tc.args, err)
			continue
		}
		if !strings.Contains(out.String(), tc.want) {
			t.Errorf("tracker %v says %q, want %q in it", tc.args, out.String(), tc.want)
		}
	}
	var out strings.Builder
	if err := run(context.Background(), []string{"help", "frobnicate"}, strings.NewReader(""), &out, env(nil)); err == nil || !strings.Contains(err.Error(), "frobnicate") {
		t.Errorf("help on an unknown command: %v", err)
	}
}
