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
	password, err := passwordLine(stdin, "user add")
	if err != nil {
		return err
	}
	store := account.NewStore(db, time.Now, cfg.BcryptCost)
	u, err := store.CreateUser(ctx, cliActor, account.NewUser{Email: *email, Name: *name, Role: *role, Password: password})
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "compte créé : %s (%s), rôle %s\n", u.Email, u.Name, u.Role)
	return nil
}

// passwordLine reads a password from the first line of stdin, for command cmd.
func passwordLine(stdin io.Reader, cmd string) (string, error) {
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("%s: read the password from stdin: %w", cmd, err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// userPassword gives an account a new password, read from the first line of stdin,
// as an administrator's reset does: its sessions end, its API tokens are revoked, and
// the account audit records it (by « ligne de commande »).
func userPassword(ctx context.Context, cfg config, db *sqlx.DB, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("user password", flag.ContinueOnError)
	email := fs.String("email", "", "the account's email (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	password, err := passwordLine(stdin, "user password")
	if err != nil {
		return err
	}
	if password == "" {
		return errors.New("aucun mot de passe lu : écrivez-le sur la première ligne de l’entrée standard (voir tracker help user password)")
	}
	store := account.NewStore(db, time.Now, cfg.BcryptCost)
	u, err := store.UserByEmail(ctx, *email)
	if err != nil {
		return describe(err)
	}
	u, err = store.UpdateUser(ctx, cliActor, u.ID, relocation.Version(u.Version), account.UserChange{Name: u.Name, Role: u.Role,
		Disabled: u.Disabled, Password: password})
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "nouveau mot de passe enregistré pour %s ; ses sessions sont fermées et ses jetons d’API révoqués\n", u.Email)
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
			demoBlock(out, cfg.ListenAddr, "Mot de passe : celui affiché au premier lancement de la démo.")
		}
	}
	if len(users) > 0 {
		return nil
	}
	password := rand.Text()
	_, err = store.CreateUser(ctx, demoActor, account.NewUser{Email: demoAdminEmail, Name: "Administrateur de démonstration",
		Role: account.RoleAdmin, Password: password})
	if err != nil {
		return describe(err)
	}
	demoBlock(out, cfg.ListenAddr, "Mot de passe : "+password+"   (affiché cette seule fois : notez-le)")
	return nil
}

// demoBlock prints, framed so that it stands out from the logs, where to sign in to
// the demo, as whom, and how to choose a new password.
func demoBlock(out io.Writer, listenAddr, passwordLine string) {
	rule := strings.Repeat("=", 78)
	fmt.Fprintf(out, "\n%s\n  Démo prête : Suivi des relocalisations\n\n", rule)
	fmt.Fprintf(out, "  Se connecter :  http://%s/login\n", listenAddr)
	fmt.Fprintf(out, "  Compte :        %s\n", demoAdminEmail)
	fmt.Fprintf(out, "  %s\n\n", passwordLine)
	fmt.Fprintf(out, "  Pour choisir un nouveau mot de passe (12 caractères au moins), dans un autre terminal :\n")
	fmt.Fprintf(out, "    printf '%%s\\n' 'une nouvelle phrase de passe' | \\\n")
	fmt.Fprintf(out, "      DATABASE_URL=$(make -s db-url) bin/tracker user password --email %s\n", demoAdminEmail)
	fmt.Fprintf(out, "%s\n\n", rule)
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
