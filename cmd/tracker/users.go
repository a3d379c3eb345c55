package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/ui/account"
)

// cliActor is who the account audit names for changes made with the command line.
var cliActor = relocation.System("ligne de commande")

// userAdd creates an account; the password is the first line of stdin, so it never
// shows in the process list or the shell history.
func userAdd(ctx context.Context, cfg config, db *sqlx.DB, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	email := fs.String("email", "", "the account's email (required)")
	name := fs.String("name", "", "the account's name (required)")
	role := fs.String("role", account.RoleViewer, "admin, manager or viewer")
	if err := fs.Parse(args); err != nil {
		return err
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("user add: read the password from stdin: %w", err)
	}
	store := account.NewStore(db, time.Now, cfg.BcryptCost)
	u, err := store.CreateUser(ctx, cliActor, account.NewUser{Email: *email, Name: *name, Role: *role, Password: strings.TrimRight(line, "\r\n")})
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "compte créé : %s (%s), rôle %s\n", u.Email, u.Name, u.Role)
	return nil
}

// tokenCreate prints a new API token for an account, and nothing else, on stdout.
func tokenCreate(ctx context.Context, cfg config, db *sqlx.DB, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	email := fs.String("email", "", "the account's email (required)")
	name := fs.String("name", "ligne de commande", "a name to recognise the token by")
	if err := fs.Parse(args); err != nil {
		return err
	}
	store := account.NewStore(db, time.Now, cfg.BcryptCost)
	u, err := store.UserByEmail(ctx, *email)
	if err != nil {
		return describe(err)
	}
	secret, _, err := store.CreateToken(ctx, cliActor, u.ID, *name)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintln(stdout, secret)
	return nil
}

// demoAdminEmail is the demo administrator's login.
const demoAdminEmail = "admin@demo.gouv.fr"

// demoAdmin creates the demo administrator when the tracker has no account yet and
// prints its generated password, once.
func demoAdmin(ctx context.Context, cfg config, db *sqlx.DB, out io.Writer) error {
	store := account.NewStore(db, time.Now, cfg.BcryptCost)
	users, err := store.Users(ctx)
	if err != nil {
		return err
	}
	for _, u := range users {
		if u.Email == demoAdminEmail {
			fmt.Fprintf(out, "administrateur de démonstration : %s (mot de passe affiché au premier lancement ; "+
				"pour repartir de zéro : make db-stop && rm -rf .pgdata)\n", demoAdminEmail)
		}
	}
	if len(users) > 0 {
		return nil
	}
	password := rand.Text()
	u, err := store.CreateUser(ctx, demoActor, account.NewUser{Email: demoAdminEmail, Name: "Administrateur de démonstration",
		Role: account.RoleAdmin, Password: password})
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(out, "administrateur de démonstration : %s — mot de passe : %s (affiché une seule fois)\n", u.Email, password)
	return nil
}

// describe turns a coded error into a sentence for the terminal.
func describe(err error) error {
	var e *relocation.Error
	if !errors.As(err, &e) {
		return err
	}
	msg := e.Message
	for _, f := range e.Fields {
		msg += fmt.Sprintf(" %s : %s.", f.Field, f.Message)
	}
	return errors.New(msg)
}
