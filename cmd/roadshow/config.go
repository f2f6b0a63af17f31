package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"time"
)

// config is every setting, from flags and ROADSHOW_* variables (flags win).
type config struct {
	Addr          string
	DataDir       string
	MongoURI      string
	MongoDB       string
	JWTSecret     string
	TokenTTL      time.Duration
	AdminEmail    string
	AdminPassword string
	Deadline      time.Time
	LogLevel      slog.Level
	PublicURL     string
}

// setting describes one configuration entry for parsing and for --help.
type setting struct {
	flag, env, def, help string
	secret               bool // env only: a flag would show in the process list
}

func settings() []setting {
	return []setting{
		{flag: "addr", env: "ROADSHOW_ADDR", def: ":8080", help: "address to listen on"},
		{flag: "data-dir", env: "ROADSHOW_DATA_DIR", def: "./data", help: "data directory: embedded store, JWT key"},
		{flag: "mongo-uri", env: "ROADSHOW_MONGO_URI", def: "", help: "external MongoDB URI; when set nothing is embedded"},
		{flag: "mongo-db", env: "ROADSHOW_MONGO_DB", def: "roadshow", help: "database name"},
		{env: "ROADSHOW_JWT_SECRET", def: "", help: "token signing secret (>= 32 chars); default: generated once and kept in the data directory", secret: true},
		{flag: "token-ttl", env: "ROADSHOW_TOKEN_TTL", def: "12h", help: "lifetime of access tokens"},
		{flag: "admin-email", env: "ROADSHOW_ADMIN_EMAIL", def: "", help: "creates the first organizer at start when no organizer exists"},
		{env: "ROADSHOW_ADMIN_PASSWORD", def: "", help: "password of that first organizer (>= 10 chars)", secret: true},
		{flag: "deadline", env: "ROADSHOW_DEADLINE", def: "", help: "application deadline, RFC 3339 (e.g. 2026-12-01T16:00:00+08:00); unset: none"},
		{flag: "log-level", env: "ROADSHOW_LOG_LEVEL", def: "info", help: "debug, info, warn or error"},
		{flag: "public-url", env: "ROADSHOW_PUBLIC_URL", def: "", help: "the address people use (e.g. https://roadshow.example.com), for links such as calendar feeds; default: the request's own"},
	}
}

// parseConfig reads the environment, then the flags of fs (already declared
// by addConfigFlags) override it.
func parseConfig(fs *flag.FlagSet, args []string, getenv func(string) string) (config, error) {
	vals := map[string]*string{}
	for _, s := range settings() {
		v := s.def
		if e := getenv(s.env); e != "" {
			v = e
		}
		p := new(string)
		*p = v
		vals[s.env] = p
		if !s.secret {
			fs.StringVar(p, s.flag, v, s.help+" ("+s.env+")")
		}
	}
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	cfg := config{
		Addr: *vals["ROADSHOW_ADDR"], DataDir: *vals["ROADSHOW_DATA_DIR"], MongoURI: *vals["ROADSHOW_MONGO_URI"],
		MongoDB: *vals["ROADSHOW_MONGO_DB"], JWTSecret: *vals["ROADSHOW_JWT_SECRET"],
		AdminEmail: *vals["ROADSHOW_ADMIN_EMAIL"], AdminPassword: *vals["ROADSHOW_ADMIN_PASSWORD"],
		PublicURL: strings.TrimRight(*vals["ROADSHOW_PUBLIC_URL"], "/"),
	}
	if cfg.PublicURL != "" {
		if u, err := url.Parse(cfg.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return config{}, fmt.Errorf("ROADSHOW_PUBLIC_URL: want an http(s) address such as https://roadshow.example.com, got %q", cfg.PublicURL)
		}
	}
	var err error
	if cfg.TokenTTL, err = time.ParseDuration(*vals["ROADSHOW_TOKEN_TTL"]); err != nil || cfg.TokenTTL < time.Minute || cfg.TokenTTL > 30*24*time.Hour {
		return config{}, fmt.Errorf("ROADSHOW_TOKEN_TTL: want a duration between 1m and 720h, got %q", *vals["ROADSHOW_TOKEN_TTL"])
	}
	if d := *vals["ROADSHOW_DEADLINE"]; d != "" {
		if cfg.Deadline, err = time.Parse(time.RFC3339, d); err != nil {
			return config{}, fmt.Errorf("ROADSHOW_DEADLINE: want RFC 3339 such as 2026-12-01T16:00:00+08:00, got %q", d)
		}
	}
	if err := cfg.LogLevel.UnmarshalText([]byte(*vals["ROADSHOW_LOG_LEVEL"])); err != nil {
		return config{}, fmt.Errorf("ROADSHOW_LOG_LEVEL: %w", err)
	}
	if (cfg.AdminEmail == "") != (cfg.AdminPassword == "") {
		return config{}, fmt.Errorf("set both ROADSHOW_ADMIN_EMAIL and ROADSHOW_ADMIN_PASSWORD, or neither")
	}
	return cfg, nil
}

// usage prints the commands and every setting.
func usage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, `Roadshow: the talent-project roadshow platform.

Usage:
  roadshow [flags]                 serve the API and web UI (same as "serve")
  roadshow serve [flags]
  roadshow demo [flags]            fill an empty store with a realistic demo edition
  roadshow user add [flags] --role organizer --email E --name N   (password from ROADSHOW_USER_PASSWORD or stdin)
  roadshow bench [flags]           measure throughput and latency on a fresh embedded store
  roadshow loadtest [flags]        measure the live relay: one WHIP publisher, N WHEP viewers, a server per run
                                   pinned to one core (run the tool on another: taskset -c 1 roadshow loadtest)

Settings (flags win over environment variables):
`)
	for _, s := range settings() {
		name := "(environment only)"
		if !s.secret {
			name = "--" + s.flag
		}
		def := s.def
		if def == "" {
			def = "unset"
		}
		fmt.Fprintf(w, "  %-26s %-20s %s (default: %s)\n", s.env, name, s.help, def)
	}
	var extra strings.Builder
	fs.VisitAll(func(f *flag.Flag) {
		for _, s := range settings() {
			if s.flag == f.Name && f.Usage == s.help+" ("+s.env+")" {
				return
			}
		}
		def := ""
		if f.DefValue != "" {
			def = " (default: " + f.DefValue + ")"
		}
		fmt.Fprintf(&extra, "  --%-24s %s%s\n", f.Name, f.Usage, def)
	})
	if extra.Len() > 0 {
		fmt.Fprintf(w, "\nFlags of this command:\n%s", extra.String())
	}
}
