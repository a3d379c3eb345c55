// Command tracker serves the relocation tracker and runs its maintenance commands.
//
//	tracker serve     serve the web pages and the API (the default)
//	tracker migrate   bring the database schema up to date
//	tracker demo      load the CLEISS case (running it twice changes nothing)
//	tracker user add --email E --name N --role R   (password: first line of stdin)
//	tracker user password --email E                (new password: first line of stdin)
//	tracker token create --email E                 (prints the new API token)
//
// Configuration comes from the environment; see config.go and the README.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq"

	"github.com/ministere/tracker/migrations"
	"github.com/ministere/tracker/ui"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "tracker:", err)
		os.Exit(1)
	}
}

// run executes one sub-command; main is a thin shell around it so it can be tested.
func run(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer, getenv func(string) string) error {
	if topic, ok := helpAsked(args); ok { // before the configuration: help needs no database
		return help(stdout, topic)
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stdout)
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	switch cmd {
	case "serve":
		return serve(ctx, cfg, db, log)
	case "migrate":
		applied, err := migrations.Apply(ctx, db)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "schéma à jour (version %d, %d migration(s) appliquée(s))\n", migrations.Latest(), len(applied))
		return nil
	case "demo":
		if _, err := migrations.Apply(ctx, db); err != nil {
			return err
		}
		if err := loadDemo(ctx, db, stdout); err != nil {
			return err
		}
		return demoAdmin(ctx, cfg, db, stdout)
	case "user", "token":
		if err := requireSchema(ctx, db); err != nil {
			return err
		}
		sub := ""
		if len(args) > 0 {
			sub, args = args[0], args[1:]
		}
		switch {
		case cmd == "user" && sub == "add":
			return userAdd(ctx, cfg, db, args, stdin, stdout)
		case cmd == "user" && sub == "password":
			return userPassword(ctx, cfg, db, args, stdin, stdout)
		case cmd == "token" && sub == "create":
			return tokenCreate(ctx, cfg, db, args, stdout)
		}
		return fmt.Errorf("unknown command %q (user add, user password, token create; see tracker help)", cmd+" "+sub)
	}
	return fmt.Errorf("unknown command %q (serve, migrate, demo, user add, user password, token create; see tracker help)", cmd)
}

// requireSchema refuses to work on a database whose schema is not the one this binary
// knows (run tracker migrate first).
func requireSchema(ctx context.Context, db *sqlx.DB) error {
	v, err := migrations.Version(ctx, db)
	if err != nil {
		return err
	}
	if v != migrations.Latest() {
		return fmt.Errorf("the database schema is at version %d, this program needs %d: run `tracker migrate`", v, migrations.Latest())
	}
	return nil
}

// openDB connects to PostgreSQL with the pool limits of cfg and checks it answers.
func openDB(ctx context.Context, cfg config) (*sqlx.DB, error) {
	db, err := migrations.Open(cfg.DatabaseURL, cfg.Statements)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(cfg.MaxOpenConns)
	db.SetMaxIdleConns(cfg.MaxIdleConns)
	db.SetConnMaxLifetime(cfg.ConnMaxLifetime)
	db.SetConnMaxIdleTime(5 * time.Minute)
	pingCtx, cancel := context.WithTimeout(ctx, cfg.ConnectTimeout+time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		db.Close()
		return nil, fmt.Errorf("database unreachable (check DATABASE_URL): %w", err)
	}
	return db, nil
}

// serve migrates, then serves until ctx ends (SIGTERM or SIGINT), letting requests
// in flight finish within the shutdown timeout.
func serve(ctx context.Context, cfg config, db *sqlx.DB, log *slog.Logger) error {
	applied, err := migrations.Apply(ctx, db)
	if err != nil {
		return err
	}
	if len(applied) > 0 {
		log.Info("schema migrated", "applied", applied)
	}
	app, err := ui.New(ui.Config{RequestTimeout: cfg.RequestTimeout, SecureCookies: cfg.SecureCookies,
		TrustedProxies: cfg.TrustedProxies, BcryptCost: cfg.BcryptCost, ProConnect: cfg.ProConnect}, db, log, time.Now)
	if err != nil {
		return err
	}
	if cfg.PprofAddr != "" {
		go servePprof(cfg.PprofAddr, log)
	}
	errc := make(chan error, 1)
	go func() { errc <- app.Listen(cfg.ListenAddr) }()
	log.Info("listening", "addr", "http://"+cfg.ListenAddr)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", cfg.ShutdownTimeout.String())
	if err := app.ShutdownWithTimeout(cfg.ShutdownTimeout); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}

// newLogger returns the JSON logger all lines go through.
func newLogger(cfg config, w io.Writer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: cfg.LogLevel}))
}
