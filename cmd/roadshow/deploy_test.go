package main

import (
	"bytes"
	"context"
	"debug/buildinfo"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
)

// repoRoot is where the Dockerfile and go.mod are, from this package's directory.
const repoRoot = "../.."

// shellWords splits a shell command line into words, with single and double quotes and
// backslash escapes (what a Dockerfile's RUN line uses); no expansions.
func shellWords(s string) []string {
	var words []string
	var w strings.Builder
	in := false
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote == '\'':
			if c == '\'' {
				quote = 0
			} else {
				w.WriteByte(c)
			}
		case quote == '"':
			if c == '"' {
				quote = 0
			} else if c == '\\' && i+1 < len(s) && strings.IndexByte(`"\$`+"`", s[i+1]) >= 0 {
				i++
				w.WriteByte(s[i])
			} else {
				w.WriteByte(c)
			}
		case c == '\'' || c == '"':
			quote, in = c, true
		case c == '\\' && i+1 < len(s):
			i++
			w.WriteByte(s[i])
			in = true
		case c == ' ' || c == '\t' || c == '\n':
			if in {
				words = append(words, w.String())
				w.Reset()
				in = false
			}
		default:
			w.WriteByte(c)
			in = true
		}
	}
	if in {
		words = append(words, w.String())
	}
	return words
}

// dockerfile is what the tests read from the Dockerfile.
type dockerfile struct {
	goImage   string   // the build stage's golang image tag
	buildEnv  []string // VAR=value before go build
	buildArgs []string // go build's arguments
	out       string   // go build -o
	user      string   // the last USER
	copyBin   string   // where the run stage copies the build stage's binary
	entry     string   // the ENTRYPOINT's program
}

func parseDockerfile(tb testing.TB, text string) dockerfile {
	tb.Helper()
	var d dockerfile
	// Continuation lines joined, comments dropped.
	var lines []string
	var cur strings.Builder
	for _, l := range strings.Split(text, "\n") {
		if t := strings.TrimSpace(l); strings.HasPrefix(t, "#") {
			continue
		}
		if strings.HasSuffix(l, "\\") {
			cur.WriteString(strings.TrimSuffix(l, "\\") + " ")
			continue
		}
		cur.WriteString(l)
		lines = append(lines, strings.TrimSpace(cur.String()))
		cur.Reset()
	}
	for _, l := range lines {
		instr, rest, _ := strings.Cut(l, " ")
		switch strings.ToUpper(instr) {
		case "FROM":
			if m := regexp.MustCompile(`^golang:(\S+)`).FindStringSubmatch(rest); m != nil {
				d.goImage = m[1]
			}
		case "RUN":
			for _, cmd := range strings.Split(rest, "&&") {
				words := shellWords(cmd)
				i := 0
				var env []string
				for i < len(words) && regexp.MustCompile(`^[A-Z_][A-Z0-9_]*=`).MatchString(words[i]) {
					env = append(env, words[i])
					i++
				}
				if len(words) > i+1 && words[i] == "go" && words[i+1] == "build" {
					d.buildEnv, d.buildArgs = env, words[i+2:]
					for j, a := range d.buildArgs {
						if a == "-o" && j+1 < len(d.buildArgs) {
							d.out = d.buildArgs[j+1]
						}
					}
				}
			}
		case "USER":
			d.user = rest
		case "COPY":
			words := shellWords(rest)
			if len(words) >= 3 && words[0] == "--from=build" && words[1] == d.out {
				d.copyBin = words[len(words)-1]
			}
		case "ENTRYPOINT":
			if m := regexp.MustCompile(`^\["([^"]+)"`).FindStringSubmatch(rest); m != nil {
				d.entry = m[1]
			}
		}
	}
	return d
}

func TestShellWords(t *testing.T) {
	t.Parallel()
	got := shellWords(`CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o '/out/road show' a\ b "x\"y"`)
	want := []string{"CGO_ENABLED=0", "go", "build", "-trimpath", "-ldflags=-s -w", "-o", "/out/road show", "a b", `x"y`}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// TestDockerfileBuilds builds the binary the way the Dockerfile does (its go build line, with
// its environment and flags, parsed from the file), so that the image cannot silently stop
// building, and checks the result and the rest of the file: a static binary built with those
// flags, the web UI inside it, the Go version of go.mod, a non-root user, and the run stage
// starting the binary it copied. Docker itself is not needed.
func TestDockerfileBuilds(t *testing.T) {
	t.Parallel()
	text, err := os.ReadFile(filepath.Join(repoRoot, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	d := parseDockerfile(t, string(text))
	if len(d.buildArgs) == 0 || d.out == "" {
		t.Fatalf("no `go build -o ...` line in the Dockerfile: %+v", d)
	}

	gomod, err := os.ReadFile(filepath.Join(repoRoot, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(gomod)
	if m == nil || !strings.HasPrefix(d.goImage, string(m[1])) {
		t.Errorf("the build stage uses golang:%s, go.mod wants go %s", d.goImage, m[1])
	}
	if d.user == "" || strings.HasPrefix(d.user, "root") || strings.HasPrefix(d.user, "0") {
		t.Errorf("the image runs as %q; want a non-root USER", d.user)
	}
	if d.copyBin == "" || d.entry != d.copyBin {
		t.Errorf("the run stage copies %s to %q and starts %q", d.out, d.copyBin, d.entry)
	}

	bin := filepath.Join(t.TempDir(), "roadshow")
	args := append([]string{"build"}, d.buildArgs...)
	for i, a := range args {
		if a == "-o" {
			args[i+1] = bin
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(runtime.GOROOT(), "bin", "go"), args...)
	cmd.Dir = repoRoot
	cmd.Env = append(os.Environ(), d.buildEnv...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s go %s: %v\n%s", strings.Join(d.buildEnv, " "), strings.Join(args, " "), err, out)
	}

	info, err := buildinfo.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	for _, e := range d.buildEnv {
		k, v, _ := strings.Cut(e, "=")
		if k == "CGO_ENABLED" && settings[k] != v {
			t.Errorf("built with CGO_ENABLED=%q, the Dockerfile says %q", settings[k], v)
		}
	}
	var ldflags []string
	for i, a := range d.buildArgs {
		switch {
		case a == "-trimpath" && settings["-trimpath"] != "true":
			t.Errorf("not built with -trimpath: %v", settings)
		case strings.HasPrefix(a, "-ldflags="):
			ldflags = strings.Fields(strings.TrimPrefix(a, "-ldflags="))
		case a == "-ldflags" && i+1 < len(d.buildArgs):
			ldflags = strings.Fields(d.buildArgs[i+1])
		}
	}
	// distroless/static has no C library: the binary must not ask for a dynamic loader. The
	// build info leaves -ldflags out under -trimpath, so the linker's work is checked instead.
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("the binary is dynamically linked; distroless/static cannot run it")
		}
	}
	for _, fl := range ldflags {
		switch fl {
		case "-s":
			if f.Section(".symtab") != nil {
				t.Error("the Dockerfile links with -s, but the binary has a symbol table")
			}
		case "-w":
			for _, s := range f.Sections {
				if strings.HasPrefix(s.Name, ".debug_") || strings.HasPrefix(s.Name, ".zdebug_") {
					t.Errorf("the Dockerfile links with -w, but the binary has %s", s.Name)
				}
			}
		}
	}
	f.Close()

	// The web UI is embedded, not read from disk.
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(repoRoot, "ui", "static", "i18n.js"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, page[:min(len(page), 512)]) {
		t.Error("ui/static/i18n.js is not inside the binary")
	}
	out, err := exec.CommandContext(ctx, bin, "help").CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("roadshow serve")) {
		t.Errorf("roadshow help: %v\n%s", err, out)
	}
}

// TestComposeUsesRealSettings: every ROADSHOW_* the compose file and its example environment
// file set is a setting the binary reads, and the compose file sets what a public deployment
// needs.
func TestComposeUsesRealSettings(t *testing.T) {
	t.Parallel()
	known := map[string]bool{}
	for _, s := range settings() {
		known[s.env] = true
	}
	compose, err := os.ReadFile(filepath.Join(repoRoot, "deploy", "compose.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	set := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^\s+(ROADSHOW_[A-Z0-9_]+):`).FindAllSubmatch(compose, -1) {
		set[string(m[1])] = true
	}
	example, err := os.ReadFile(filepath.Join(repoRoot, "deploy", "roadshow.env.example"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`(?m)^(ROADSHOW_[A-Z0-9_]+)=`).FindAllSubmatch(example, -1) {
		if !known[string(m[1])] {
			t.Errorf("roadshow.env.example sets %s, which is no setting", m[1])
		}
	}
	for name := range set {
		if !known[name] {
			t.Errorf("compose.yaml sets %s, which is no setting", name)
		}
	}
	for _, need := range []string{"ROADSHOW_MONGO_URI", "ROADSHOW_PUBLIC_URL", "ROADSHOW_TRUSTED_PROXIES", "ROADSHOW_JWT_SECRET",
		"ROADSHOW_SMTP_HOST", "ROADSHOW_SMTP_FROM", "ROADSHOW_WEBRTC_UDP_PORT", "ROADSHOW_WEBRTC_PUBLIC_IP", "ROADSHOW_TURN_PUBLIC_IP"} {
		if !set[need] {
			t.Errorf("compose.yaml does not set %s", need)
		}
	}
	if !bytes.Contains(compose, []byte("rs.initiate(")) || !bytes.Contains(compose, []byte("replicaSet=rs0")) {
		t.Error("compose.yaml does not initiate the replica set rs0 or the app does not use it")
	}
}
