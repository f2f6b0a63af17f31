package http

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/gofiber/fiber/v2"
	"github.com/roadshow/roadshow/roadshow"
)

// Static files are served under /s/<version>/, where version is a hash of
// every file of the UI: a release changes it, so a browser can keep what it
// fetched for a year (immutable) and still never runs old modules beside
// new ones. The pages import each other with relative specifiers, which
// resolve under the same prefix; the shell (index.html), rewritten once at
// start to point there, is revalidated on every load (ETag).
const assetPrefix = "/s/"

// Cache-Control of the versioned files and of everything revalidated.
const (
	cacheImmutable  = "public, max-age=31536000, immutable"
	cacheRevalidate = "no-cache"
)

// asset is one file of the UI, in memory (the UI is embedded anyway),
// with its compressed forms made once, when first asked for: a page load
// then costs no compression, and they can afford a slower, tighter level
// than a response compressed per request.
type asset struct {
	body  []byte
	ctype string
	etag  string // weak: it names the plain and the compressed bytes alike
	br    encoded
	gz    encoded
}

// encoded is a compressed form of an asset, made once.
type encoded struct {
	once sync.Once
	b    []byte
}

// minCompress is the size below which a file goes out as it is: the
// headers would eat the gain.
const minCompress = 512

// brotli returns the body compressed with brotli.
func (a *asset) brotli() []byte {
	a.br.once.Do(func() {
		var buf bytes.Buffer
		w := brotli.NewWriterLevel(&buf, 9)
		_, _ = w.Write(a.body) // writes to memory cannot fail
		_ = w.Close()
		a.br.b = buf.Bytes()
	})
	return a.br.b
}

// gzipped returns the body compressed with gzip.
func (a *asset) gzipped() []byte {
	a.gz.once.Do(func() {
		var buf bytes.Buffer
		w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // a valid level: no error
		_, _ = w.Write(a.body)
		_ = w.Close()
		a.gz.b = buf.Bytes()
	})
	return a.gz.b
}

// assets are the UI's files and the version under which they are served.
type assets struct {
	version string
	files   map[string]*asset // by path without the leading slash
	shell   *asset            // index.html, rewritten to versioned URLs
}

// shellRef finds the root-relative references in the shell.
var shellRef = regexp.MustCompile(`(href|src)="/([^"]+)"`)

// loadAssets reads every file of ui and rewrites the shell's references to
// files of ui into versioned URLs.
func loadAssets(ui fs.FS) (*assets, error) {
	a := &assets{files: map[string]*asset{}}
	var names []string
	err := fs.WalkDir(ui, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		names = append(names, p)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the UI: %w", err)
	}
	slices.Sort(names)
	all := sha256.New()
	for _, name := range names {
		b, err := fs.ReadFile(ui, name)
		if err != nil {
			return nil, fmt.Errorf("read the UI: %w", err)
		}
		sum := sha256.Sum256(b)
		a.files[name] = &asset{body: b, ctype: contentType(name), etag: `W/"` + hex.EncodeToString(sum[:12]) + `"`}
		fmt.Fprintf(all, "%s\x00%x\x00", name, sum)
	}
	a.version = hex.EncodeToString(all.Sum(nil)[:8])
	index, ok := a.files["index.html"]
	if !ok {
		return nil, fmt.Errorf("read the UI: no index.html")
	}
	body := shellRef.ReplaceAllFunc(index.body, func(m []byte) []byte {
		sub := shellRef.FindSubmatch(m)
		if _, ok := a.files[string(sub[2])]; !ok {
			return m
		}
		return []byte(fmt.Sprintf(`%s="%s%s/%s"`, sub[1], assetPrefix, a.version, sub[2]))
	})
	sum := sha256.Sum256(body)
	a.shell = &asset{body: body, ctype: index.ctype, etag: `W/"` + hex.EncodeToString(sum[:12]) + `"`}
	return a, nil
}

// contentType is the type of a file by its extension, with the charset
// for text.
func contentType(name string) string {
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		return "application/octet-stream"
	}
	if !strings.Contains(ct, "charset=") && (strings.HasPrefix(ct, "text/") || ct == "image/svg+xml" ||
		ct == "application/javascript" || ct == "application/json") {
		ct += "; charset=utf-8"
	}
	return ct
}

// staticRoutes serves the UI: the versioned files, the shell, and the
// files by their plain names (revalidated, for links from before
// versioning). Everything else falls to unmatched.
func (s *Server) staticRoutes() {
	s.app.Get(assetPrefix+":version/*", s.versionedAsset)
	s.app.Get("/", s.appShell)
	s.app.Get("/index.html", s.appShell)
	for name := range s.assets.files {
		if name != "index.html" {
			s.app.Get("/"+name, s.plainAsset)
		}
	}
}

func (s *Server) versionedAsset(c *fiber.Ctx) error {
	f, ok := s.assets.files[c.Params("*")]
	if !ok || c.Params("version") != s.assets.version {
		// Another release's file: the shell that asked is stale; a reload
		// fetches the current one.
		return roadshow.NewError(roadshow.ENOTFOUND, "request.path_unknown", roadshow.Args{"path": c.Path()})
	}
	c.Set(fiber.HeaderCacheControl, cacheImmutable)
	return sendAsset(c, f)
}

func (s *Server) plainAsset(c *fiber.Ctx) error {
	f := s.assets.files[strings.TrimPrefix(c.Route().Path, "/")]
	c.Set(fiber.HeaderCacheControl, cacheRevalidate)
	return sendAsset(c, f)
}

// appShell answers the page with the current versioned URLs; the browser
// asks again each time (If-None-Match: 304 when nothing changed).
func (s *Server) appShell(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, cacheRevalidate)
	return sendAsset(c, s.assets.shell)
}

// sendAsset writes f, compressed as the client accepts (brotli, else
// gzip), or 304 when the client has it (If-None-Match).
func sendAsset(c *fiber.Ctx, f *asset) error {
	c.Set(fiber.HeaderETag, f.etag)
	c.Vary(fiber.HeaderAcceptEncoding)
	if etagMatches(c.Get(fiber.HeaderIfNoneMatch), f.etag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, f.ctype)
	if len(f.body) >= minCompress && f.ctype != "application/octet-stream" {
		// Content-Encoding set here: the compress middleware leaves it.
		h := &c.Request().Header
		switch {
		case h.HasAcceptEncoding("br"):
			c.Set(fiber.HeaderContentEncoding, "br")
			return c.Send(f.brotli())
		case h.HasAcceptEncoding("gzip"):
			c.Set(fiber.HeaderContentEncoding, "gzip")
			return c.Send(f.gzipped())
		}
	}
	return c.Send(f.body)
}

// etagMatches reports whether an If-None-Match header names etag, by the
// weak comparison RFC 9110 asks for (W/ prefixes ignored).
func etagMatches(header, etag string) bool {
	if header == "" {
		return false
	}
	if strings.TrimSpace(header) == "*" {
		return true
	}
	want := strings.TrimPrefix(etag, "W/")
	for _, t := range strings.Split(header, ",") {
		if strings.TrimPrefix(strings.TrimSpace(t), "W/") == want {
			return true
		}
	}
	return false
}
