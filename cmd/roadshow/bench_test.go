package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestBenchReportsEveryFigure runs "roadshow bench" with tiny sizes and
// checks that every figure is printed and positive (no timing assertions),
// that the user's data directory is never touched and that the temporary
// store is removed.
func TestBenchReportsEveryFigure(t *testing.T) {
	dataDir := filepath.Join(t.TempDir(), "data")
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // os.MkdirTemp's directory: must be empty again at the end
	env := map[string]string{"ROADSHOW_DATA_DIR": dataDir, "ROADSHOW_LOG_LEVEL": "warn"}

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	err := run(ctx, []string{"bench", "--sizes", "200,120", "--submits", "20"}, func(k string) string { return env[k] },
		strings.NewReader(""), &stdout, &stderr, nil)
	if err != nil {
		t.Fatalf("bench: %v\nstdout:\n%s\nstderr:\n%s", err, &stdout, &stderr)
	}
	out := stdout.String()
	t.Logf("output:\n%s", out)

	for _, want := range []string{"machine  ", "go       go1.", "store    embedded FerretDB", "--sizes 120,200 --submits 20"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}

	num := `([0-9]+(?:\.[0-9]+)?)`
	positive := func(name string, re *regexp.Regexp, wantMatches int) {
		t.Helper()
		ms := re.FindAllStringSubmatch(out, -1)
		if len(ms) != wantMatches {
			t.Errorf("%s: got %d lines matching %s, want %d", name, len(ms), re, wantMatches)
			return
		}
		for _, m := range ms {
			for _, s := range m[1:] {
				if f, err := strconv.ParseFloat(s, 64); err != nil || f <= 0 {
					t.Errorf("%s: got %q in %q, want a number > 0", name, s, m[0])
				}
			}
		}
	}
	// count, elapsed, per second, p50, p95
	positive("API writes", regexp.MustCompile(`API create\+submit .*?\s`+num+`\s+`+num+`\s+`+num+`\s+`+num+`\s+`+num+`\n`), 1)
	positive("driver writes", regexp.MustCompile(`driver InsertOne .*?\s`+num+`\s+`+num+`\s+`+num+`\s+`+num+`\s+`+num+`\n`), 1)
	positive("ratio", regexp.MustCompile(`ratio API/driver `+num), 1)
	// applications, inserted, insert s (Recount and EnsureIDIndexes may round to 0.00)
	positive("bulk load 120", regexp.MustCompile(`\n\s+(120) bulk load: (100) inserted in `+num+` s`), 1)
	positive("bulk load 200", regexp.MustCompile(`\n\s+(200) bulk load: (80) inserted in `+num+` s`), 1)
	// Sizes 120 (loaded from the 20 submitted to 120) and 200, four requests
	// and the driver query each: n, failed (0), p50, p95, max.
	for _, size := range []string{"120", "200"} {
		for _, req := range []string{
			`GET /applications\?limit=50 `,
			`GET /applications\?industry=digital-tech&status=submitted&limit=50 `,
			`GET /applications\?limit=50&cursor=<end of page 1> \(page 2\) `,
			`GET /applications/summary `,
			`driver Find \{\} sort \{_id: -1\} limit 51 \(page 1's query\) `,
		} {
			positive(size+" "+req, regexp.MustCompile(`\n\s+`+size+`\s+`+req+`\s*`+num+`\s+0\s+`+num+`\s+`+num+`\s+`+num+`\n`), 1)
		}
	}
	if strings.Contains(out, "note:") {
		t.Errorf("output has notes (failed requests)")
	}

	if _, err := os.Stat(dataDir); !os.IsNotExist(err) {
		t.Errorf("bench touched the data directory %s (stat: %v)", dataDir, err)
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("bench left %d entries in the temporary directory, e.g. %s", len(left), left[0].Name())
	}
}
