package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	roadshowhttp "github.com/roadshow/roadshow/internal/http"
	"github.com/roadshow/roadshow/internal/mail"
)

// config is every setting, from flags and ROADSHOW_* variables (flags win).
type config struct {
	Addr           string
	DataDir        string
	MongoURI       string
	MongoDB        string
	JWTSecret      string
	TokenTTL       time.Duration
	AdminEmail     string
	AdminPassword  string
	Deadline       time.Time
	LogLevel       slog.Level
	PublicURL      string
	TrustedProxies []string
	SMTP           mail.SMTPConfig
	PasswordSlots  int
	PprofAddr      string
	// MetricsAddr serves /metrics on a listener of its own; MetricsToken
	// serves it on the public port to that bearer token instead.
	MetricsAddr     string
	MetricsToken    string
	ShutdownTimeout time.Duration
	Live            liveConfig
	// limits are the HTTP rate limits: the defaults, except for the bench
	// subcommands, which sign many people in from one address.
	limits roadshowhttp.Limits
}

// liveConfig is how the live relay and TURN meet the network.
type liveConfig struct {
	UDPPort          int
	PortMin, PortMax uint16
	ListenIPs        []string
	PublicIPs        []string
	Loopback         bool
	Batch            bool
	STUNURLs         []string
	TURNURLs         []string
	TURNSecret       string
	TURNPublicIP     string
	TURNListenIP     string
	TURNUDPPort      int
	TURNTCPPort      int
	TURNRelayMin     int
	TURNRelayMax     int
	RoomTokenTTL     time.Duration
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
		{flag: "trusted-proxies", env: "ROADSHOW_TRUSTED_PROXIES", def: "", help: "addresses or CIDR ranges of reverse proxies whose X-Forwarded-For, -Host and -Proto are believed, comma-separated (e.g. 127.0.0.1,10.0.0.0/8); unset: those headers are ignored"},
		{flag: "smtp-host", env: "ROADSHOW_SMTP_HOST", def: "", help: "SMTP server for e-mail (invitations, password resets, notifications); unset: e-mail is off and waits in the outbox"},
		{flag: "smtp-port", env: "ROADSHOW_SMTP_PORT", def: "0", help: "SMTP port; 0: 587 for starttls, 465 for tls, 25 for none"},
		{flag: "smtp-tls", env: "ROADSHOW_SMTP_TLS", def: "starttls", help: "starttls (required STARTTLS), tls (implicit TLS) or none (a local relay or Mailpit only)"},
		{flag: "smtp-username", env: "ROADSHOW_SMTP_USERNAME", def: "", help: "SMTP AUTH user name; unset: no authentication"},
		{env: "ROADSHOW_SMTP_PASSWORD", def: "", help: "SMTP AUTH password", secret: true},
		{flag: "smtp-from", env: "ROADSHOW_SMTP_FROM", def: "Roadshow <roadshow@localhost>", help: "sender of the e-mails, e.g. \"Roadshow <roadshow@example.com>\""},
		{flag: "password-slots", env: "ROADSHOW_PASSWORD_SLOTS", def: "0", help: "log-ins in progress and password hashes (argon2id, 19 MiB each) that run at once; more wait up to 2 s, then get 429; 0: one per CPU"},
		{flag: "webrtc-udp-port", env: "ROADSHOW_WEBRTC_UDP_PORT", def: "0", help: "the one UDP port all live media uses (open it in the firewall); 0 picks a free port, fine on a laptop"},
		{flag: "webrtc-ports", env: "ROADSHOW_WEBRTC_PORTS", def: "", help: "instead of one port, a UDP port range such as 50000-50200, one port per connection"},
		{flag: "webrtc-listen-ip", env: "ROADSHOW_WEBRTC_LISTEN_IP", def: "", help: "IPv4 address(es) the live-media UDP port is opened on, comma-separated; unset: every interface"},
		{flag: "webrtc-public-ip", env: "ROADSHOW_WEBRTC_PUBLIC_IP", def: "", help: "public IPv4 address(es) to announce for live media, comma-separated, for a server behind 1:1 NAT (a cloud VM)"},
		{flag: "webrtc-loopback", env: "ROADSHOW_WEBRTC_LOOPBACK", def: "false", help: "also offer 127.0.0.1 for live media (same-machine tests and benchmarks)"},
		{flag: "webrtc-batch", env: "ROADSHOW_WEBRTC_BATCH", def: "true", help: "send live media on the shared UDP port in batches (sendmmsg); false sends each packet with its own system call"},
		{flag: "stun-urls", env: "ROADSHOW_STUN_URLS", def: "", help: "STUN servers handed to browsers, comma-separated (e.g. stun:stun.example.com:3478)"},
		{flag: "turn-urls", env: "ROADSHOW_TURN_URLS", def: "", help: "external TURN servers (coturn with use-auth-secret), comma-separated (e.g. turn:turn.example.com:3478?transport=tcp)"},
		{env: "ROADSHOW_TURN_SECRET", def: "", help: "TURN shared secret for short-lived credentials (>= 16 chars); default for the embedded server: derived from the JWT key", secret: true},
		{flag: "turn-public-ip", env: "ROADSHOW_TURN_PUBLIC_IP", def: "", help: "runs the embedded TURN server, announcing this public IPv4 address"},
		{flag: "turn-listen-ip", env: "ROADSHOW_TURN_LISTEN_IP", def: "0.0.0.0", help: "address the embedded TURN server listens on"},
		{flag: "turn-udp-port", env: "ROADSHOW_TURN_UDP_PORT", def: "3478", help: "embedded TURN UDP port (0: off)"},
		{flag: "turn-tcp-port", env: "ROADSHOW_TURN_TCP_PORT", def: "3478", help: "embedded TURN TCP port, for networks that allow only TCP (0: off)"},
		{flag: "turn-relay-ports", env: "ROADSHOW_TURN_RELAY_PORTS", def: "49152-65535", help: "UDP port range of the embedded TURN server's relayed addresses"},
		{flag: "pprof-addr", env: "ROADSHOW_PPROF_ADDR", def: "", help: "serves Go's profiler (net/http/pprof) on this address, e.g. 127.0.0.1:6060; never on a public interface"},
		{flag: "metrics-addr", env: "ROADSHOW_METRICS_ADDR", def: "", help: "serves Prometheus metrics at /metrics on this address, e.g. 127.0.0.1:9090 (keep it off the public network); unset: no separate listener"},
		{env: "ROADSHOW_METRICS_TOKEN", def: "", help: "serves /metrics on the public port to requests with \"Authorization: Bearer <token>\" (>= 16 chars); unset: /metrics is not on the public port", secret: true},
		{flag: "shutdown-timeout", env: "ROADSHOW_SHUTDOWN_TIMEOUT", def: "15s", help: "on SIGTERM or SIGINT, how long requests in flight and the outbox get to finish (a second signal exits at once)"},
		{flag: "room-token-ttl", env: "ROADSHOW_ROOM_TOKEN_TTL", def: "4h", help: "how long a room token (live room, WHIP, WHEP) can be used to join"},
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
		PprofAddr: *vals["ROADSHOW_PPROF_ADDR"], MetricsAddr: *vals["ROADSHOW_METRICS_ADDR"],
		MetricsToken: *vals["ROADSHOW_METRICS_TOKEN"],
	}
	if cfg.MetricsToken != "" && len(cfg.MetricsToken) < 16 {
		return config{}, fmt.Errorf("ROADSHOW_METRICS_TOKEN: want at least 16 characters, got %d", len(cfg.MetricsToken))
	}
	if d, err := time.ParseDuration(*vals["ROADSHOW_SHUTDOWN_TIMEOUT"]); err != nil || d < time.Second || d > 10*time.Minute {
		return config{}, fmt.Errorf("ROADSHOW_SHUTDOWN_TIMEOUT: want a duration between 1s and 10m, got %q", *vals["ROADSHOW_SHUTDOWN_TIMEOUT"])
	} else {
		cfg.ShutdownTimeout = d
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
	if cfg.Live, err = parseLive(vals); err != nil {
		return config{}, err
	}
	cfg.TrustedProxies = splitList(*vals["ROADSHOW_TRUSTED_PROXIES"])
	for _, p := range cfg.TrustedProxies {
		if _, err := netip.ParsePrefix(p); err != nil {
			if _, err := netip.ParseAddr(p); err != nil {
				return config{}, fmt.Errorf("ROADSHOW_TRUSTED_PROXIES: want IP addresses or CIDR ranges, got %q", p)
			}
		}
	}
	cfg.SMTP = mail.SMTPConfig{Host: *vals["ROADSHOW_SMTP_HOST"], Username: *vals["ROADSHOW_SMTP_USERNAME"],
		Password: *vals["ROADSHOW_SMTP_PASSWORD"], From: *vals["ROADSHOW_SMTP_FROM"], TLS: *vals["ROADSHOW_SMTP_TLS"]}
	if cfg.SMTP.Port, err = parsePort(*vals["ROADSHOW_SMTP_PORT"]); err != nil {
		return config{}, fmt.Errorf("ROADSHOW_SMTP_PORT: %w", err)
	}
	if cfg.SMTP.Host != "" {
		if _, err := mail.NewSMTP(cfg.SMTP); err != nil {
			return config{}, fmt.Errorf("ROADSHOW_SMTP_*: %w", err)
		}
	}
	if n, err := strconv.Atoi(*vals["ROADSHOW_PASSWORD_SLOTS"]); err != nil || n < 0 || n > 256 {
		return config{}, fmt.Errorf("ROADSHOW_PASSWORD_SLOTS: want a number from 0 to 256, got %q", *vals["ROADSHOW_PASSWORD_SLOTS"])
	} else {
		cfg.PasswordSlots = n
	}
	return cfg, nil
}

// parseLive reads the relay and TURN settings.
func parseLive(vals map[string]*string) (liveConfig, error) {
	var lc liveConfig
	var err error
	if lc.UDPPort, err = parsePort(*vals["ROADSHOW_WEBRTC_UDP_PORT"]); err != nil {
		return lc, fmt.Errorf("ROADSHOW_WEBRTC_UDP_PORT: %w", err)
	}
	if v := *vals["ROADSHOW_WEBRTC_PORTS"]; v != "" {
		lo, hi, err := parseRange(v)
		if err != nil {
			return lc, fmt.Errorf("ROADSHOW_WEBRTC_PORTS: %w", err)
		}
		lc.PortMin, lc.PortMax = uint16(lo), uint16(hi)
	}
	for _, ip := range splitList(*vals["ROADSHOW_WEBRTC_LISTEN_IP"]) {
		if p := net.ParseIP(ip); p == nil || p.To4() == nil {
			return lc, fmt.Errorf("ROADSHOW_WEBRTC_LISTEN_IP: want IPv4 addresses, got %q", ip)
		}
		lc.ListenIPs = append(lc.ListenIPs, ip)
	}
	for _, ip := range splitList(*vals["ROADSHOW_WEBRTC_PUBLIC_IP"]) {
		if p := net.ParseIP(ip); p == nil || p.To4() == nil {
			return lc, fmt.Errorf("ROADSHOW_WEBRTC_PUBLIC_IP: want IPv4 addresses, got %q", ip)
		}
		lc.PublicIPs = append(lc.PublicIPs, ip)
	}
	if lc.Loopback, err = strconv.ParseBool(*vals["ROADSHOW_WEBRTC_LOOPBACK"]); err != nil {
		return lc, fmt.Errorf("ROADSHOW_WEBRTC_LOOPBACK: want true or false, got %q", *vals["ROADSHOW_WEBRTC_LOOPBACK"])
	}
	if lc.Batch, err = strconv.ParseBool(*vals["ROADSHOW_WEBRTC_BATCH"]); err != nil {
		return lc, fmt.Errorf("ROADSHOW_WEBRTC_BATCH: want true or false, got %q", *vals["ROADSHOW_WEBRTC_BATCH"])
	}
	lc.STUNURLs = splitList(*vals["ROADSHOW_STUN_URLS"])
	lc.TURNURLs = splitList(*vals["ROADSHOW_TURN_URLS"])
	lc.TURNSecret = *vals["ROADSHOW_TURN_SECRET"]
	lc.TURNPublicIP = *vals["ROADSHOW_TURN_PUBLIC_IP"]
	if lc.TURNPublicIP != "" {
		if p := net.ParseIP(lc.TURNPublicIP); p == nil || p.To4() == nil {
			return lc, fmt.Errorf("ROADSHOW_TURN_PUBLIC_IP: want an IPv4 address, got %q", lc.TURNPublicIP)
		}
	}
	lc.TURNListenIP = *vals["ROADSHOW_TURN_LISTEN_IP"]
	if lc.TURNUDPPort, err = parsePort(*vals["ROADSHOW_TURN_UDP_PORT"]); err != nil {
		return lc, fmt.Errorf("ROADSHOW_TURN_UDP_PORT: %w", err)
	}
	if lc.TURNTCPPort, err = parsePort(*vals["ROADSHOW_TURN_TCP_PORT"]); err != nil {
		return lc, fmt.Errorf("ROADSHOW_TURN_TCP_PORT: %w", err)
	}
	if lc.TURNRelayMin, lc.TURNRelayMax, err = parseRange(*vals["ROADSHOW_TURN_RELAY_PORTS"]); err != nil {
		return lc, fmt.Errorf("ROADSHOW_TURN_RELAY_PORTS: %w", err)
	}
	if lc.RoomTokenTTL, err = time.ParseDuration(*vals["ROADSHOW_ROOM_TOKEN_TTL"]); err != nil || lc.RoomTokenTTL < time.Minute || lc.RoomTokenTTL > 24*time.Hour {
		return lc, fmt.Errorf("ROADSHOW_ROOM_TOKEN_TTL: want a duration between 1m and 24h, got %q", *vals["ROADSHOW_ROOM_TOKEN_TTL"])
	}
	return lc, nil
}

func parsePort(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 65535 {
		return 0, fmt.Errorf("want a port from 0 to 65535, got %q", s)
	}
	return n, nil
}

// parseRange reads "lo-hi" ports.
func parseRange(s string) (int, int, error) {
	a, b, ok := strings.Cut(s, "-")
	lo, err1 := strconv.Atoi(strings.TrimSpace(a))
	hi, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err1 != nil || err2 != nil || lo < 1 || hi > 65535 || lo > hi {
		return 0, 0, fmt.Errorf("want a port range such as 50000-50200, got %q", s)
	}
	return lo, hi, nil
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// usage prints the commands and every setting.
func usage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, `Roadshow: the talent-project roadshow platform.

Usage:
  roadshow [flags]                 serve the API and web UI (same as "serve")
  roadshow serve [flags]
  roadshow demo [flags]            fill an empty store with a realistic demo edition
  roadshow user add [flags] --role organizer --email E --name N   (password from ROADSHOW_USER_PASSWORD or stdin)
  roadshow backup --out FILE       write the store to an archive (online: the server may be running)
  roadshow restore --in FILE [--force]   write an archive into a stopped server's empty store
  roadshow bench [flags]           measure throughput and latency on a fresh embedded store
  roadshow loadtest [flags]        measure the live relay: one WHIP publisher, N WHEP viewers, a server per run
                                   pinned to one core (run the tool on another: taskset -c 1 roadshow loadtest)
  roadshow flood [flags]           measure a flood of bad log-ins against a signed-in user's requests

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
