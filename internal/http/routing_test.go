package http_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/roadshow/roadshow/roadshow"
	"github.com/roadshow/roadshow/ui"
)

// TestMethodsAndUnknownPaths: a known path's wrong method is 405 with
// Allow, OPTIONS is answered, unknown API paths and files are 404 in the
// one error shape; the app's one page (hash routes) is at / only.
func TestMethodsAndUnknownPaths(t *testing.T) {
	t.Parallel()
	s := MustServer(t, serverOpts{UI: true})
	ada := s.MustApplicant(t, "ada@example.com")
	for _, tc := range []struct {
		name, method, path string
		status             int
		allow, key, ctype  string
	}{
		{"ErrWrongMethod", "PUT", "/api/v1/me", 405, "GET, HEAD, PATCH, OPTIONS", "request.method_not_allowed", ""},
		{"ErrWrongMethodWithID", "DELETE", "/api/v1/applications/0123456789abcdef01234567", 405, "GET, HEAD, PATCH, OPTIONS", "request.method_not_allowed", ""},
		{"ErrPostToPage", "POST", "/", 405, "GET, HEAD, OPTIONS", "request.method_not_allowed", ""},
		{"ErrPostToHealth", "POST", "/healthz", 405, "GET, HEAD, OPTIONS", "request.method_not_allowed", ""},
		{"ErrUnknownMethod", "BREW", "/healthz", 405, "GET, HEAD, OPTIONS", "request.method_unknown", ""},
		{"Options", "OPTIONS", "/api/v1/applications/0123456789abcdef01234567/deck", 204, "GET, HEAD, PUT, OPTIONS", "", ""},
		{"OptionsPage", "OPTIONS", "/", 204, "GET, HEAD, OPTIONS", "", ""},
		{"ErrUnknownAPIPath", "GET", "/api/v1/nothing/here", 404, "", "request.route_unknown", ""},
		{"ErrUnknownAPIVersion", "GET", "/api/v2/me", 404, "", "request.route_unknown", ""},
		{"ErrUnknownFile", "GET", "/nothing.js", 404, "", "request.path_unknown", ""},
		{"ErrUnknownVersionedFile", "GET", "/s/0000000000000000/app.js", 404, "", "request.path_unknown", ""},
		{"ErrUnknownFileInVersion", "GET", "/s/VERSION/nothing.js", 404, "", "request.path_unknown", ""},
		{"ErrFaviconPNG", "GET", "/favicon.ico", 404, "", "request.path_unknown", ""},
		{"ErrNoPageThere", "GET", "/some/page", 404, "", "request.path_unknown", ""},
		{"ErrMetricsNotServed", "GET", "/metrics", 404, "", "request.path_unknown", ""},
		{"Shell", "GET", "/", 200, "", "", "text/html; charset=utf-8"},
		{"Health", "GET", "/healthz", 200, "", "", "application/json; charset=utf-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := strings.Replace(tc.path, "VERSION", assetVersion(t, s), 1)
			r := s.root(t, tc.method, path, nil, "Authorization", "Bearer "+ada.Token)
			if r.Status != tc.status {
				t.Fatalf("got %d %s, want %d", r.Status, r.Body, tc.status)
			}
			if got := r.Header.Get("Allow"); got != tc.allow {
				t.Errorf("Allow: got %q, want %q", got, tc.allow)
			}
			if tc.key != "" {
				if got := r.Key(t); got != tc.key {
					t.Errorf("key: got %q, want %q", got, tc.key)
				}
				if ct := r.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
					t.Errorf("Content-Type: got %q", ct)
				}
			}
			if tc.ctype != "" && r.Header.Get("Content-Type") != tc.ctype {
				t.Errorf("Content-Type: got %q, want %q", r.Header.Get("Content-Type"), tc.ctype)
			}
		})
	}
}

// shellRefs are the URLs the shell loads.
var shellRefs = regexp.MustCompile(`(?:href|src)="([^"]+)"`)

// assetVersion reads the version the shell points at.
func assetVersion(tb testing.TB, s *testServer) string {
	tb.Helper()
	r := s.root(tb, "GET", "/", nil)
	m := regexp.MustCompile(`src="/s/([0-9a-f]+)/app\.js"`).FindSubmatch(r.Body)
	if m == nil {
		tb.Fatalf("the shell loads no versioned app.js: %s", r.Body)
	}
	return string(m[1])
}

// importSpec finds the module specifiers of static imports, re-exports and
// dynamic imports.
var importSpec = regexp.MustCompile(`(?m)(?:^\s*import\s[^'"]*?from\s*|^\s*export\s[^'"]*?from\s*|^\s*import\s*|\bimport\s*\(\s*)['"]([^'"]+)['"]`)

// TestStaticAssetsAreVersioned follows the shell's references and every
// module import from there, as a browser would: each resolves under the
// one versioned prefix and is served with immutable caching and the
// charset, so a release cannot leave a page on old modules. The shell is
// revalidated by ETag.
func TestStaticAssetsAreVersioned(t *testing.T) {
	t.Parallel()
	s := MustServer(t, serverOpts{UI: true})
	version := assetVersion(t, s)
	prefix := "/s/" + version + "/"

	shell := s.root(t, "GET", "/", nil)
	etag := shell.Header.Get("ETag")
	if etag == "" || shell.Header.Get("Cache-Control") != "no-cache" {
		t.Fatalf("shell: ETag %q, Cache-Control %q; want an ETag and no-cache", etag, shell.Header.Get("Cache-Control"))
	}
	if r := s.root(t, "GET", "/", nil, "If-None-Match", etag); r.Status != 304 || len(r.Body) != 0 {
		t.Fatalf("shell with its ETag: got %d (%d bytes), want 304", r.Status, len(r.Body))
	}
	if r := s.root(t, "GET", "/", nil, "If-None-Match", `"other"`); r.Status != 200 {
		t.Fatalf("shell with another ETag: got %d, want 200", r.Status)
	}

	base, _ := url.Parse(s.Root + "/")
	var queue []string
	for _, m := range shellRefs.FindAllSubmatch(shell.Body, -1) {
		u, _ := base.Parse(string(m[1]))
		if !strings.HasPrefix(u.Path, prefix) {
			t.Errorf("the shell loads %s, not under %s", m[1], prefix)
			continue
		}
		queue = append(queue, u.Path)
	}
	seen := map[string]bool{}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if seen[p] {
			continue
		}
		seen[p] = true
		r := s.root(t, "GET", p, nil)
		if r.Status != 200 {
			t.Errorf("GET %s: got %d", p, r.Status)
			continue
		}
		if cc := r.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
			t.Errorf("GET %s: Cache-Control %q", p, cc)
		}
		ct := r.Header.Get("Content-Type")
		if !strings.HasSuffix(p, ".svg") && !strings.Contains(ct, "charset=utf-8") {
			t.Errorf("GET %s: Content-Type %q without charset", p, ct)
		}
		if !strings.HasSuffix(p, ".js") {
			continue
		}
		from, _ := base.Parse(p)
		for _, m := range importSpec.FindAllSubmatch(r.Body, -1) {
			spec := string(m[1])
			if !strings.HasPrefix(spec, "./") && !strings.HasPrefix(spec, "../") {
				t.Errorf("%s imports %q: only relative specifiers stay under the version", p, spec)
				continue
			}
			u, _ := from.Parse(spec)
			if !strings.HasPrefix(u.Path, prefix) {
				t.Errorf("%s imports %q, which resolves outside %s", p, spec, prefix)
				continue
			}
			queue = append(queue, u.Path)
		}
	}
	// Every module of the UI is reached (the crawl is not vacuous).
	var modules int
	_ = fs.WalkDir(ui.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".js") {
			modules++
			if !seen[prefix+p] {
				t.Errorf("module %s is not reached from the shell", p)
			}
		}
		return nil
	})
	if modules < 10 {
		t.Fatalf("got %d modules in the UI, want the app's", modules)
	}

	// The plain names still answer, revalidated.
	r := s.root(t, "GET", "/app.js", nil)
	if r.Status != 200 || r.Header.Get("Cache-Control") != "no-cache" || r.Header.Get("ETag") == "" {
		t.Errorf("/app.js: got %d, Cache-Control %q, ETag %q", r.Status, r.Header.Get("Cache-Control"), r.Header.Get("ETag"))
	}
	if r2 := s.root(t, "GET", "/app.js", nil, "If-None-Match", r.Header.Get("ETag")); r2.Status != 304 {
		t.Errorf("/app.js with its ETag: got %d, want 304", r2.Status)
	}
}

func decode(tb testing.TB, enc string, b []byte) []byte {
	tb.Helper()
	var rd io.Reader
	switch enc {
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			tb.Fatal(err)
		}
		rd = zr
	case "br":
		rd = brotli.NewReader(bytes.NewReader(b))
	default:
		return b
	}
	out, err := io.ReadAll(rd)
	if err != nil {
		tb.Fatalf("decode %s: %v", enc, err)
	}
	return out
}

// TestCompression: text goes out compressed as the client accepts it;
// decks (compressed already) do not.
func TestCompression(t *testing.T) {
	t.Parallel()
	s := MustServer(t, serverOpts{UI: true})
	prefix := "/s/" + assetVersion(t, s) + "/"
	css, err := fs.ReadFile(ui.FS(), "style.css")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, accept, want string }{
		{"Brotli", "br", "br"},
		{"Gzip", "gzip", "gzip"},
		{"BrotliPreferred", "gzip, deflate, br", "br"},
		{"Identity", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var hdr []string
			if tc.accept != "" {
				hdr = []string{"Accept-Encoding", tc.accept}
			}
			r := s.root(t, "GET", prefix+"style.css", nil, hdr...)
			if got := r.Header.Get("Content-Encoding"); got != tc.want {
				t.Fatalf("Content-Encoding: got %q, want %q", got, tc.want)
			}
			if got := decode(t, tc.want, r.Body); !bytes.Equal(got, css) {
				t.Fatalf("decoded body: got %d bytes, want the %d of style.css", len(got), len(css))
			}
			if tc.want != "" && (len(r.Body) >= len(css) || !strings.Contains(r.Header.Get("Vary"), "Accept-Encoding")) {
				t.Errorf("compressed: %d bytes of %d, Vary %q", len(r.Body), len(css), r.Header.Get("Vary"))
			}
		})
	}
	// JSON of the API too.
	ada := s.MustApplicant(t, "ada@example.com")
	r := s.root(t, "GET", "/api/v1/industries", nil, "Accept-Encoding", "gzip", "Authorization", "Bearer "+ada.Token)
	if r.Status != 200 || r.Header.Get("Content-Encoding") != "gzip" || r.Header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Errorf("industries: got %d, Content-Encoding %q, Content-Type %q", r.Status, r.Header.Get("Content-Encoding"), r.Header.Get("Content-Type"))
	}
	// The organizer's CSV export, streamed, too.
	org := s.MustStaff(t, roadshow.RoleOrganizer, "org@example.com")
	r = s.root(t, "GET", "/api/v1/exports/applications.csv", nil, "Accept-Encoding", "gzip", "Authorization", "Bearer "+org.Token)
	if r.Status != 200 || r.Header.Get("Content-Encoding") != "gzip" || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv; charset=utf-8") {
		t.Errorf("CSV export: got %d, Content-Encoding %q, Content-Type %q", r.Status, r.Header.Get("Content-Encoding"), r.Header.Get("Content-Type"))
	} else if csv := decode(t, "gzip", r.Body); !bytes.Contains(csv, []byte(",")) {
		t.Errorf("CSV export decoded: %q", csv)
	}
	// A deck is sent as it is.
	a := s.MustCreateApp(t, ada, completeApplication("high-end-equipment"))
	deck := pdfBody(50_000)
	s.Do(t, "PUT", "/applications/"+a.ID+"/deck", ada.Token, bytes.NewReader(deck), "Content-Type", "application/pdf")
	r = s.root(t, "GET", "/api/v1/applications/"+a.ID+"/deck", nil, "Accept-Encoding", "gzip, br", "Authorization", "Bearer "+ada.Token)
	if r.Status != 200 || r.Header.Get("Content-Encoding") != "" || !bytes.Equal(r.Body, deck) {
		t.Errorf("deck: got %d, Content-Encoding %q, %d bytes", r.Status, r.Header.Get("Content-Encoding"), len(r.Body))
	}
}

// TestDeckRevalidationAndRanges: a deck answers If-None-Match with 304 and
// byte ranges with 206, 416 outside it.
func TestDeckRevalidationAndRanges(t *testing.T) {
	t.Parallel()
	s := MustServer(t, serverOpts{})
	ada := s.MustApplicant(t, "ada@example.com")
	a := s.MustCreateApp(t, ada, completeApplication("high-end-equipment"))
	deck := pdfBody(600_000) // several chunks, a few bytes short of 600,000
	if r := s.Do(t, "PUT", "/applications/"+a.ID+"/deck", ada.Token, bytes.NewReader(deck), "Content-Type", "application/pdf"); r.Status != 200 {
		t.Fatalf("upload: got %d %s", r.Status, r.Body)
	}
	path := "/applications/" + a.ID + "/deck"
	full := s.Must(t, 200, "GET", path, ada.Token, nil)
	etag := full.Header.Get("ETag")
	if etag == "" || full.Header.Get("Accept-Ranges") != "bytes" {
		t.Fatalf("deck: ETag %q, Accept-Ranges %q", etag, full.Header.Get("Accept-Ranges"))
	}
	size := len(deck)
	n := strconv.Itoa(size)
	for _, tc := range []struct {
		name       string
		hdr        []string
		status     int
		from, to   int // the body's bytes of the deck, to included
		contentRng string
	}{
		{"NotModified", []string{"If-None-Match", etag}, 304, 0, -1, ""},
		{"NotModifiedInList", []string{"If-None-Match", `"x", ` + etag}, 304, 0, -1, ""},
		{"ModifiedElsewhere", []string{"If-None-Match", `"x"`}, 200, 0, size - 1, ""},
		{"FirstBytes", []string{"Range", "bytes=0-99"}, 206, 0, 99, "bytes 0-99/" + n},
		{"AcrossChunks", []string{"Range", "bytes=250000-500001"}, 206, 250000, 500001, "bytes 250000-500001/" + n},
		{"OpenEnded", []string{"Range", "bytes=599990-"}, 206, 599990, size - 1, "bytes 599990-" + strconv.Itoa(size-1) + "/" + n},
		{"Suffix", []string{"Range", "bytes=-10"}, 206, size - 10, size - 1, "bytes " + strconv.Itoa(size-10) + "-" + strconv.Itoa(size-1) + "/" + n},
		{"EndPastSize", []string{"Range", "bytes=" + strconv.Itoa(size-5) + "-700000"}, 206, size - 5, size - 1, "bytes " + strconv.Itoa(size-5) + "-" + strconv.Itoa(size-1) + "/" + n},
		{"IfRangeMatches", []string{"Range", "bytes=0-9", "If-Range", etag}, 206, 0, 9, "bytes 0-9/" + n},
		{"IfRangeStale", []string{"Range", "bytes=0-9", "If-Range", `"old"`}, 200, 0, size - 1, ""},
		{"SeveralRangesGetAll", []string{"Range", "bytes=0-9,20-29"}, 200, 0, size - 1, ""},
		{"OtherUnitGetsAll", []string{"Range", "pages=1-2"}, 200, 0, size - 1, ""},
		{"ErrStartPastEnd", []string{"Range", "bytes=" + n + "-"}, 416, 0, -1, "bytes */" + n},
		{"ErrEmptySuffix", []string{"Range", "bytes=-0"}, 416, 0, -1, "bytes */" + n},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.Do(t, "GET", path, ada.Token, nil, tc.hdr...)
			if r.Status != tc.status {
				t.Fatalf("got %d, want %d: %.200s", r.Status, tc.status, r.Body)
			}
			if got := r.Header.Get("Content-Range"); got != tc.contentRng {
				t.Errorf("Content-Range: got %q, want %q", got, tc.contentRng)
			}
			switch tc.status {
			case 416:
				if r.Key(t) != "request.range_unsatisfiable" {
					t.Errorf("416 body: %s", r.Body)
				}
			default:
				if want := deck[tc.from : tc.to+1]; !bytes.Equal(r.Body, want) {
					t.Errorf("body: got %d bytes, want %d from %d", len(r.Body), len(want), tc.from)
				}
			}
		})
	}
	// Someone else's deck stays hidden, range or not.
	bob := s.MustApplicant(t, "bob@example.com")
	if r := s.Do(t, "GET", path, bob.Token, nil, "Range", "bytes=0-9"); r.Status != 404 {
		t.Fatalf("someone else's deck: got %d", r.Status)
	}
}

// TestHSTSOnlyBehindHTTPS: Strict-Transport-Security is sent when the
// public URL is https, on answers and errors alike, and not otherwise.
func TestHSTSOnlyBehindHTTPS(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, publicURL string
		want            bool
	}{
		{"HTTPS", "https://roadshow.example.com", true},
		{"HTTP", "http://roadshow.example.com", false},
		{"Unset", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := MustServer(t, serverOpts{PublicURL: tc.publicURL})
			for _, p := range []string{"/healthz", "/api/v1/nothing", "/api/v1/me"} {
				r := s.root(t, "GET", p, nil)
				got := r.Header.Get("Strict-Transport-Security")
				if (got != "") != tc.want || (tc.want && !strings.HasPrefix(got, "max-age=")) {
					t.Errorf("%s: Strict-Transport-Security %q, want it %v", p, got, tc.want)
				}
			}
		})
	}
}
