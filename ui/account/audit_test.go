package account_test

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"golang.org/x/crypto/bcrypt"

	"github.com/ministere/tracker/migrations/dbtest"
	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/ui/account"
)

// auditRow is one row of account_audit as stored, with the whole row as text to look
// for secrets in.
type auditRow struct {
	ID      int64  `db:"id"`
	By      string `db:"by"`
	UserID  int64  `db:"user_id"`
	Action  string `db:"action"`
	Changes string `db:"changes"`
	Text    string `db:"text"`
}

// auditEnv is a store with its database, to read account_audit as stored.
type auditEnv struct {
	s  *account.Store
	db *sqlx.DB
}

func newAuditEnv(t *testing.T) auditEnv {
	t.Helper()
	db := dbtest.Open(t)
	clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	return auditEnv{s: account.NewStore(db, clk.now, bcrypt.MinCost), db: db}
}

// lastID returns the id of the newest audit row (0 when none).
func (e auditEnv) lastID(t *testing.T) int64 {
	t.Helper()
	var id int64
	if err := e.db.Get(&id, `SELECT coalesce(max(id), 0) FROM account_audit`); err != nil {
		t.Fatal(err)
	}
	return id
}

// rowsAfter returns the audit rows written after id, oldest first.
func (e auditEnv) rowsAfter(t *testing.T, id int64) []auditRow {
	t.Helper()
	var rows []auditRow
	if err := e.db.Select(&rows, `SELECT id, by, user_id, action, changes::text AS changes, a::text AS text
		FROM account_audit a WHERE id > $1 ORDER BY id`, id); err != nil {
		t.Fatal(err)
	}
	return rows
}

// sameJSON reports whether two JSON documents are equal as jsonb.
func (e auditEnv) sameJSON(t *testing.T, a, b string) bool {
	t.Helper()
	var same bool
	if err := e.db.Get(&same, `SELECT $1::jsonb = $2::jsonb`, a, b); err != nil {
		t.Fatal(err)
	}
	return same
}

// TestAuditEachAction: every account change writes exactly one audit row, in its own
// transaction, naming who acted, the account, the action and the fields before →
// after, and never a password, a hash or a token secret.
func TestAuditEachAction(t *testing.T) {
	t.Parallel()
	e := newAuditEnv(t)
	ctx := context.Background()
	const email, password, newPassword = "alice@exemple.gouv.fr", "correct horse battery", "un tout nouveau mot de passe"
	// Another administrator, so that Alice, made one below, is not the last when disabled.
	if _, err := e.s.CreateUser(ctx, testActor, account.NewUser{Email: "bob@exemple.gouv.fr", Name: "Bob",
		Role: account.RoleAdmin, Password: password}); err != nil {
		t.Fatal(err)
	}
	var u account.User
	var tok account.Token
	var secret string
	update := func(ch account.UserChange) error {
		var err error
		u, err = e.s.UpdateUser(ctx, testActor, u.ID, relocation.Version(u.Version), ch)
		return err
	}
	cases := []struct {
		name    string
		do      func() error
		action  string
		changes func() string // the changes column, as JSON
		secrets func() []string
	}{
		{"create", func() (err error) {
			u, err = e.s.CreateUser(ctx, testActor, account.NewUser{Email: email, Name: "Alice", Role: account.RoleManager, Password: password})
			return err
		}, account.AuditCreate, func() string {
			return `{"email":{"before":null,"after":"alice@exemple.gouv.fr"},"name":{"before":null,"after":"Alice"},
				"role":{"before":null,"after":"manager"}}`
		}, func() []string { return []string{password, u.PasswordHash} }},
		{"rename", func() error { return update(account.UserChange{Name: "Alice Martin", Role: account.RoleManager}) },
			account.AuditUpdate, func() string { return `{"name":{"before":"Alice","after":"Alice Martin"}}` }, nil},
		{"change role", func() error { return update(account.UserChange{Name: "Alice Martin", Role: account.RoleAdmin}) },
			account.AuditUpdate, func() string { return `{"role":{"before":"manager","after":"admin"}}` }, nil},
		{"disable", func() error {
			return update(account.UserChange{Name: "Alice Martin", Role: account.RoleAdmin, Disabled: true})
		},
			account.AuditDisable, func() string { return `{"disabled":{"before":false,"after":true}}` }, nil},
		{"enable", func() error { return update(account.UserChange{Name: "Alice Martin", Role: account.RoleAdmin}) },
			account.AuditEnable, func() string { return `{"disabled":{"before":true,"after":false}}` }, nil},
		{"password reset", func() error {
			return update(account.UserChange{Name: "Alice Martin", Role: account.RoleAdmin, Password: newPassword})
		}, account.AuditPasswordReset, func() string { return `{}` },
			func() []string { return []string{password, newPassword, u.PasswordHash} }},
		{"token create", func() (err error) {
			secret, tok, err = e.s.CreateToken(ctx, testActor, u.ID, "tableau de bord")
			return err
		}, account.AuditTokenCreate, func() string {
			return fmt.Sprintf(`{"token_id":{"before":null,"after":%d},"token_name":{"before":null,"after":"tableau de bord"}}`, tok.ID)
		}, func() []string { return tokenSecrets(t, e, secret) }},
		{"token revoke", func() error { return e.s.RevokeToken(ctx, testActor, u.ID, tok.ID) }, account.AuditTokenRevoke, func() string {
			return fmt.Sprintf(`{"token_id":{"before":%d,"after":null},"token_name":{"before":"tableau de bord","after":null}}`, tok.ID)
		}, func() []string { return tokenSecrets(t, e, secret) }},
	}
	for _, tc := range cases {
		last := e.lastID(t)
		if err := tc.do(); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		rows := e.rowsAfter(t, last)
		if len(rows) != 1 {
			t.Fatalf("%s: %d audit rows, want 1: %+v", tc.name, len(rows), rows)
		}
		r := rows[0]
		if r.By != testActor.Name || r.UserID != u.ID || r.Action != tc.action {
			t.Errorf("%s: row by %q user %d action %q, want %q %d %q", tc.name, r.By, r.UserID, r.Action, testActor.Name, u.ID, tc.action)
		}
		if want := tc.changes(); !e.sameJSON(t, r.Changes, want) {
			t.Errorf("%s: changes %s, want %s", tc.name, r.Changes, want)
		}
		if tc.secrets != nil {
			for _, s := range tc.secrets() {
				if s == "" || strings.Contains(r.Text, s) {
					t.Errorf("%s: the audit row holds a secret (%q) or the secret is unknown: %s", tc.name, s, r.Text)
				}
			}
		}
	}

	// Audit reads newest first, with the account's email; AuditCount counts them all.
	entries, err := e.s.Audit(ctx, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[0].Action != account.AuditTokenCreate || entries[1].Action != account.AuditPasswordReset {
		t.Fatalf("Audit(2, 1) = %+v, want token_create then password_reset", entries)
	}
	if got := entries[0]; got.Email != email || got.By != testActor.Name || got.UserID != u.ID ||
		got.Changes["token_name"] != (relocation.Change{Before: nil, After: "tableau de bord"}) || got.At.IsZero() {
		t.Errorf("Audit entry = %+v", got)
	}
	if n, err := e.s.AuditCount(ctx); err != nil || n != len(cases)+1 { // + Bob's creation
		t.Errorf("AuditCount = %d, %v; want %d", n, err, len(cases)+1)
	}
}

// tokenSecrets returns a token's secret and its stored hash (as PostgreSQL prints it).
func tokenSecrets(t *testing.T, e auditEnv, secret string) []string {
	t.Helper()
	var hash []byte
	if err := e.db.Get(&hash, `SELECT token_hash FROM api_tokens WHERE token_hash = sha256(convert_to($1, 'UTF8'))`, secret); err != nil {
		t.Fatalf("the token's hash: %v", err)
	}
	return []string{secret, strings.TrimPrefix(secret, "trk_"), hex.EncodeToString(hash)}
}

// TestAuditOneRowPerKind: one UpdateUser that renames, changes the role, disables and
// sets a new password writes one row per kind of change, in a fixed order.
func TestAuditOneRowPerKind(t *testing.T) {
	t.Parallel()
	e := newAuditEnv(t)
	u := mustUser(t, e.s, "bob@exemple.gouv.fr", account.RoleViewer)
	last := e.lastID(t)
	if _, err := e.s.UpdateUser(context.Background(), testActor, u.ID, relocation.Version(u.Version), account.UserChange{
		Name: "Bob", Role: account.RoleManager, Disabled: true, Password: "un tout nouveau mot de passe"}); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range e.rowsAfter(t, last) {
		got = append(got, r.Action)
	}
	if want := []string{account.AuditUpdate, account.AuditDisable, account.AuditPasswordReset}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("actions = %v, want %v", got, want)
	}
}

// TestAuditNothingWhenNothingChanges: a change of nothing and every refused change
// write no audit row.
func TestAuditNothingWhenNothingChanges(t *testing.T) {
	t.Parallel()
	e := newAuditEnv(t)
	ctx := context.Background()
	u := mustUser(t, e.s, "carol@exemple.gouv.fr", account.RoleManager)
	_, tok, err := e.s.CreateToken(ctx, testActor, u.ID, "revoked")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.s.RevokeToken(ctx, testActor, u.ID, tok.ID); err != nil {
		t.Fatal(err)
	}
	same := account.UserChange{Name: u.Name, Role: u.Role}
	cases := []struct {
		name string
		code string // "" for no error
		do   func() error
	}{
		{"no-op update", "", func() error {
			got, err := e.s.UpdateUser(ctx, testActor, u.ID, relocation.Version(u.Version), same)
			if err == nil && got.Version != u.Version {
				return fmt.Errorf("version %d, want %d kept", got.Version, u.Version)
			}
			return err
		}},
		{"stale version", relocation.EPRECONDITION, func() error {
			_, err := e.s.UpdateUser(ctx, testActor, u.ID, relocation.Version(u.Version+1), account.UserChange{Name: "Autre", Role: u.Role})
			return err
		}},
		{"unknown account", relocation.ENOTFOUND, func() error {
			_, err := e.s.UpdateUser(ctx, testActor, u.ID+100, relocation.Version(1), account.UserChange{Name: "Autre", Role: u.Role})
			return err
		}},
		{"invalid role", relocation.EINVALID, func() error {
			_, err := e.s.UpdateUser(ctx, testActor, u.ID, relocation.Version(u.Version), account.UserChange{Name: u.Name, Role: "root"})
			return err
		}},
		{"short password", relocation.EINVALID, func() error {
			_, err := e.s.UpdateUser(ctx, testActor, u.ID, relocation.Version(u.Version), account.UserChange{Name: u.Name, Role: u.Role, Password: "court"})
			return err
		}},
		{"invalid creation", relocation.EINVALID, func() error {
			_, err := e.s.CreateUser(ctx, testActor, account.NewUser{Email: "x@x.fr", Name: "X", Role: "root", Password: "correct horse battery"})
			return err
		}},
		{"duplicate creation", relocation.ECONFLICT, func() error {
			_, err := e.s.CreateUser(ctx, testActor, account.NewUser{Email: u.Email, Name: "X", Role: account.RoleViewer, Password: "correct horse battery"})
			return err
		}},
		{"token name too long", relocation.EINVALID, func() error {
			_, _, err := e.s.CreateToken(ctx, testActor, u.ID, strings.Repeat("x", 101))
			return err
		}},
		{"token of no account", relocation.ECONFLICT, func() error {
			_, _, err := e.s.CreateToken(ctx, testActor, u.ID+100, "x")
			return err
		}},
		{"revoke twice", relocation.ENOTFOUND, func() error { return e.s.RevokeToken(ctx, testActor, u.ID, tok.ID) }},
		{"revoke another's token", relocation.ENOTFOUND, func() error { return e.s.RevokeToken(ctx, testActor, u.ID+100, tok.ID) }},
	}
	for _, tc := range cases {
		last := e.lastID(t)
		if err := tc.do(); relocation.ErrorCode(err) != tc.code || (tc.code == "" && err != nil) {
			t.Errorf("%s: err = %v, want code %q", tc.name, err, tc.code)
		}
		if rows := e.rowsAfter(t, last); len(rows) != 0 {
			t.Errorf("%s: wrote %d audit rows: %+v", tc.name, len(rows), rows)
		}
	}
}

// TestAuditAppendOnly: the database refuses every UPDATE, DELETE and TRUNCATE of
// account_audit, even one that touches no row, and the rows stay as written.
func TestAuditAppendOnly(t *testing.T) {
	t.Parallel()
	e := newAuditEnv(t)
	mustUser(t, e.s, "dan@exemple.gouv.fr", account.RoleViewer)
	before := e.rowsAfter(t, 0)
	for _, stmt := range []string{
		`UPDATE account_audit SET by = 'quelqu’un d’autre'`,
		`UPDATE account_audit SET changes = '{}' WHERE false`,
		`DELETE FROM account_audit`,
		`DELETE FROM account_audit WHERE action = 'create'`,
		`TRUNCATE account_audit`,
	} {
		_, err := e.db.Exec(stmt)
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: err = %v, want refused as append-only", stmt, err)
		}
	}
	if after := e.rowsAfter(t, 0); len(after) != 1 || fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("rows changed: before %+v, after %+v", before, after)
	}
}

// TestAuditActionsMatchCheck: the database accepts every action of AuditActions and
// refuses any other (its CHECK and the Go list agree).
func TestAuditActionsMatchCheck(t *testing.T) {
	t.Parallel()
	e := newAuditEnv(t)
	u := mustUser(t, e.s, "eve@exemple.gouv.fr", account.RoleViewer)
	insert := `INSERT INTO account_audit (by, user_id, action) VALUES ('test', $1, $2)`
	for _, a := range account.AuditActions() {
		if _, err := e.db.Exec(insert, u.ID, a); err != nil {
			t.Errorf("action %q refused: %v", a, err)
		}
	}
	var listed int
	if err := e.db.Get(&listed, `SELECT count(DISTINCT action) FROM account_audit`); err != nil || listed != len(account.AuditActions()) {
		t.Errorf("distinct actions stored = %d (%v), want %d", listed, err, len(account.AuditActions()))
	}
	for _, a := range []string{"delete", "import", ""} {
		if _, err := e.db.Exec(insert, u.ID, a); err == nil {
			t.Errorf("action %q accepted", a)
		}
	}
	// And the CHECK names exactly these values.
	var def string
	if err := e.db.Get(&def, `SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'account_audit_action_check'`); err != nil {
		t.Fatal(err)
	}
	var inCheck []string
	for _, m := range regexp.MustCompile(`'([a-z_]+)'`).FindAllStringSubmatch(def, -1) {
		inCheck = append(inCheck, m[1])
	}
	if want := slices.Sorted(slices.Values(account.AuditActions())); fmt.Sprint(slices.Sorted(slices.Values(inCheck))) != fmt.Sprint(want) {
		t.Errorf("the CHECK lists %v, AuditActions %v", inCheck, want)
	}
}

// TestAccountRulesInTheDomain: the account actions check their actor's right and keep an
// administrator, inside their transaction, whoever calls them (a handler or the command
// line): a manager may not create or change accounts; an administrator may not disable
// or demote their own account; the last enabled administrator may not be disabled or
// demoted, even by the program. Nothing changes on refusal.
func TestAccountRulesInTheDomain(t *testing.T) {
	t.Parallel()
	e := newAuditEnv(t)
	ctx := context.Background()
	const password = "correct horse battery"
	mk := func(email, role string) account.User {
		u, err := e.s.CreateUser(ctx, testActor, account.NewUser{Email: email, Name: email, Role: role, Password: password})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	admin := mk("admin@exemple.gouv.fr", account.RoleAdmin)
	manager := mk("manager@exemple.gouv.fr", account.RoleManager)
	asAdmin := relocation.Actor{UserID: admin.ID, Name: admin.Email}
	asManager := relocation.Actor{UserID: manager.ID, Name: manager.Email}

	last := e.lastID(t)
	if _, err := e.s.CreateUser(ctx, asManager, account.NewUser{Email: "x@exemple.gouv.fr", Name: "X",
		Role: account.RoleAdmin, Password: password}); relocation.ErrorCode(err) != relocation.EFORBIDDEN {
		t.Errorf("a manager creating an account: %v, want forbidden", err)
	}
	if _, err := e.s.UpdateUser(ctx, asManager, manager.ID, relocation.Version(manager.Version), account.UserChange{Name: manager.Name,
		Role: account.RoleAdmin}); relocation.ErrorCode(err) != relocation.EFORBIDDEN {
		t.Errorf("a manager making themselves administrator: %v, want forbidden", err)
	}
	for _, ch := range []account.UserChange{
		{Name: admin.Name, Role: account.RoleAdmin, Disabled: true},
		{Name: admin.Name, Role: account.RoleManager},
	} {
		if _, err := e.s.UpdateUser(ctx, asAdmin, admin.ID, relocation.Version(admin.Version), ch); !errors.Is(err, account.ErrSelfDemotion) {
			t.Errorf("an administrator changing their own account to %+v: %v, want ErrSelfDemotion", ch, err)
		}
		if _, err := e.s.UpdateUser(ctx, testActor, admin.ID, relocation.Version(admin.Version), ch); !errors.Is(err, account.ErrLastAdmin) {
			t.Errorf("the program changing the last administrator to %+v: %v, want ErrLastAdmin", ch, err)
		}
	}
	if rows := e.rowsAfter(t, last); len(rows) != 0 {
		t.Errorf("refused changes wrote %d audit rows", len(rows))
	}
	if u, err := e.s.User(ctx, admin.ID); err != nil || u.Role != account.RoleAdmin || u.Disabled || u.Version != admin.Version {
		t.Errorf("the administrator changed: %+v, %v", u, err)
	}
	// With a second administrator, the first may be demoted by the second.
	other := mk("autre@exemple.gouv.fr", account.RoleAdmin)
	asOther := relocation.Actor{UserID: other.ID, Name: other.Email}
	if _, err := e.s.UpdateUser(ctx, asOther, admin.ID, relocation.Version(admin.Version), account.UserChange{Name: admin.Name,
		Role: account.RoleManager}); err != nil {
		t.Errorf("an administrator demoting another: %v", err)
	}
}
