package main

import (
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ministere/tracker/migrations"
	"github.com/ministere/tracker/ui"
	"github.com/ministere/tracker/ui/account"
	"github.com/ministere/tracker/ui/proconnect"
)

// config is the process configuration, read from the environment.
type config struct {
	DatabaseURL     string        // DATABASE_URL (required)
	ListenAddr      string        // LISTEN_ADDR, default 127.0.0.1:8080
	ConnectTimeout  time.Duration // DB_CONNECT_TIMEOUT, default 5s (added to the URL as connect_timeout)
	MaxOpenConns    int           // DB_MAX_OPEN_CONNS, default 20
	MaxIdleConns    int           // DB_MAX_IDLE_CONNS, default 10
	Statements      int           // DB_STATEMENTS, default 64: statements kept prepared per connection (0: none)
	ConnMaxLifetime time.Duration // DB_CONN_MAX_LIFETIME, default 30m
	RequestTimeout  time.Duration // REQUEST_TIMEOUT, default ui.DefaultRequestTimeout (10s)
	ShutdownTimeout time.Duration // SHUTDOWN_TIMEOUT, default 30s
	SecureCookies   bool          // SECURE_COOKIES=true when served over HTTPS
	TrustedProxies  []string      // TRUSTED_PROXIES: comma-separated IPs or CIDRs whose X-Forwarded-* are believed
	BcryptCost      int           // BCRYPT_COST, default 12 (10 at least)
	LogLevel        slog.Level    // LOG_LEVEL: debug, info (default), warn, error
	PprofAddr       string        // PPROF_ADDR: when set, Go's profiler listens there (keep it on loopback)
	// ProConnect: PROCONNECT_ISSUER, PROCONNECT_CLIENT_ID, PROCONNECT_CLIENT_SECRET (all
	// three, or none: sign-in through ProConnect is then not offered) and
	// PROCONNECT_BASE_URL (optional: the tracker's public https:// address).
	ProConnect proconnect.Config
}

// loadConfig reads and checks the configuration.
func loadConfig(getenv func(string) string) (config, error) {
	cfg := config{
		DatabaseURL: getenv("DATABASE_URL"),
		ListenAddr:  or(getenv("LISTEN_ADDR"), "127.0.0.1:8080"),
		PprofAddr:   getenv("PPROF_ADDR"),
	}
	var errs []string
	dur := func(name string, def time.Duration) time.Duration {
		v := getenv(name)
		if v == "" {
			return def
		}
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			errs = append(errs, fmt.Sprintf("%s=%q: a positive duration such as 5s is expected", name, v))
		}
		return d
	}
	num := func(name string, def int) int {
		v := getenv(name)
		if v == "" {
			return def
		}
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			errs = append(errs, fmt.Sprintf("%s=%q: a positive integer is expected", name, v))
		}
		return n
	}
	cfg.ConnectTimeout = dur("DB_CONNECT_TIMEOUT", 5*time.Second)
	cfg.MaxOpenConns = num("DB_MAX_OPEN_CONNS", 20)
	cfg.MaxIdleConns = num("DB_MAX_IDLE_CONNS", 10)
	cfg.Statements = migrations.DefaultStatements
	if v := getenv("DB_STATEMENTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 10000 {
			errs = append(errs, fmt.Sprintf("DB_STATEMENTS=%q: an integer from 0 (prepare nothing) to 10000 is expected", v))
		}
		cfg.Statements = n
	}
	cfg.ConnMaxLifetime = dur("DB_CONN_MAX_LIFETIME", 30*time.Minute)
	cfg.RequestTimeout = dur("REQUEST_TIMEOUT", ui.DefaultRequestTimeout)
	cfg.ShutdownTimeout = dur("SHUTDOWN_TIMEOUT", 30*time.Second)
	cfg.SecureCookies = getenv("SECURE_COOKIES") == "true"
	cfg.BcryptCost = num("BCRYPT_COST", account.DefaultBcryptCost)
	if cfg.BcryptCost < account.MinBcryptCost || cfg.BcryptCost > 16 {
		errs = append(errs, fmt.Sprintf("BCRYPT_COST=%d: between %d and 16", cfg.BcryptCost, account.MinBcryptCost))
	}
	for _, p := range strings.Split(getenv("TRUSTED_PROXIES"), ",") {
		if p = strings.TrimSpace(p); p != "" {
			cfg.TrustedProxies = append(cfg.TrustedProxies, p)
		}
	}
	cfg.ProConnect = proconnect.Config{Issuer: strings.TrimSpace(getenv("PROCONNECT_ISSUER")),
		ClientID: strings.TrimSpace(getenv("PROCONNECT_CLIENT_ID")), ClientSecret: getenv("PROCONNECT_CLIENT_SECRET"),
		BaseURL: strings.TrimSpace(getenv("PROCONNECT_BASE_URL"))}
	errs = append(errs, checkProConnect(cfg.ProConnect)...)
	if err := cfg.LogLevel.UnmarshalText([]byte(or(getenv("LOG_LEVEL"), "info"))); err != nil {
		errs = append(errs, "LOG_LEVEL: debug, info, warn or error")
	}
	switch u, err := url.Parse(cfg.DatabaseURL); {
	case cfg.DatabaseURL == "":
		errs = append(errs, "DATABASE_URL is not set (make run sets it to a private PostgreSQL)")
	case strings.Contains(cfg.DatabaseURL, "://") && (err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql")):
		// Never quote the URL: it may carry a password.
		errs = append(errs, "DATABASE_URL is not a valid postgres:// URL (check the host, port and escaping)")
	default:
		cfg.DatabaseURL = withConnectTimeout(cfg.DatabaseURL, cfg.ConnectTimeout)
	}
	if len(errs) > 0 {
		return cfg, fmt.Errorf("configuration: %s", strings.Join(errs, "; "))
	}
	return cfg, nil
}

// checkProConnect says what is wrong with the ProConnect settings: some of the three
// set but not all, an issuer or a base URL that is no http(s) URL. Secrets are never
// quoted.
func checkProConnect(pc proconnect.Config) []string {
	set := 0
	for _, v := range []string{pc.Issuer, pc.ClientID, pc.ClientSecret} {
		if v != "" {
			set++
		}
	}
	var errs []string
	if set != 0 && set != 3 {
		errs = append(errs, "PROCONNECT_ISSUER, PROCONNECT_CLIENT_ID and PROCONNECT_CLIENT_SECRET: set all three, or none")
	}
	for _, nv := range [][2]string{{"PROCONNECT_ISSUER", pc.Issuer}, {"PROCONNECT_BASE_URL", pc.BaseURL}} {
		name, v := nv[0], nv[1]
		if u, err := url.Parse(v); v != "" && (err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "") {
			errs = append(errs, fmt.Sprintf("%s=%q: an https:// URL is expected", name, v))
		}
	}
	return errs
}

// withConnectTimeout adds connect_timeout to a connection string that has none.
func withConnectTimeout(dsn string, d time.Duration) string {
	secs := strconv.Itoa(max(1, int(d.Seconds())))
	if strings.Contains(dsn, "connect_timeout") {
		return dsn
	}
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		q := u.Query()
		q.Set("connect_timeout", secs)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return dsn + " connect_timeout=" + secs
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
