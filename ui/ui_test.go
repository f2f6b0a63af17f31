package ui_test

import (
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/roadshow/roadshow/roadshow"
	"github.com/roadshow/roadshow/ui"
)

// i18nTables reads the English and Chinese tables of i18n.js as the binary
// serves it: key -> text.
func i18nTables(t *testing.T) (en, zh map[string]string) {
	t.Helper()
	b, err := fs.ReadFile(ui.FS(), "i18n.js")
	if err != nil {
		t.Fatal(err)
	}
	src := string(b)
	table := func(name string) map[string]string {
		start := strings.Index(src, "\nconst "+name+" = {\n")
		if start < 0 {
			t.Fatalf("i18n.js: no table %q", name)
		}
		end := strings.Index(src[start:], "\n};\n")
		if end < 0 {
			t.Fatalf("i18n.js: table %q does not end", name)
		}
		// One entry a line: 'key': 'text', (the file's own style).
		entry := regexp.MustCompile(`^\s*'((?:[^'\\]|\\.)*)':\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"),\s*$`)
		out := map[string]string{}
		for _, line := range strings.Split(src[start:start+end], "\n") {
			m := entry.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			text := m[2]
			if text[0] == '\'' {
				text = `"` + strings.ReplaceAll(strings.ReplaceAll(text[1:len(text)-1], `\'`, `'`), `"`, `\"`) + `"`
			}
			s, err := strconv.Unquote(text)
			if err != nil {
				t.Fatalf("i18n.js table %s: %q: %v", name, line, err)
			}
			out[m[1]] = s
		}
		if len(out) < 100 {
			t.Fatalf("i18n.js table %s: read %d entries, want the table (is the parser broken?)", name, len(out))
		}
		return out
	}
	return table("en"), table("zh")
}

func placeholders(s string) []string {
	out := regexp.MustCompile(`\{[a-zA-Z][a-zA-Z0-9]*\}`).FindAllString(s, -1)
	slices.Sort(out)
	return slices.Compact(out)
}

// TestI18nHasEveryMessageKey fails when a message key the server can send
// (roadshow's one table) has no English or Chinese entry "srv.<key>" in
// i18n.js, or when an entry names an argument the server does not send.
func TestI18nHasEveryMessageKey(t *testing.T) {
	t.Parallel()
	en, zh := i18nTables(t)
	for _, key := range roadshow.MessageKeys() {
		tmpl, _ := roadshow.MessageTemplate(key)
		args := placeholders(tmpl)
		for lang, table := range map[string]map[string]string{"English": en, "中文": zh} {
			text, ok := table["srv."+key]
			if !ok {
				t.Errorf("%s: no entry srv.%s for the server's %q", lang, key, tmpl)
				continue
			}
			for _, p := range placeholders(text) {
				if !slices.Contains(args, p) {
					t.Errorf("%s srv.%s: %s is not an argument of the server's %q", lang, key, p, tmpl)
				}
			}
		}
	}
	// And no entry for a key the server no longer has.
	for _, table := range []map[string]string{en, zh} {
		for k := range table {
			if key, ok := strings.CutPrefix(k, "srv."); ok {
				if _, registered := roadshow.MessageTemplate(key); !registered {
					t.Errorf("i18n.js has %s, but the server has no key %q", k, key)
				}
			}
		}
	}
}

// TestI18nTranslatesNoEnglishText: the pages translate what the server
// says by key, never by matching its English words.
func TestI18nTranslatesNoEnglishText(t *testing.T) {
	t.Parallel()
	b, err := fs.ReadFile(ui.FS(), "i18n.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, gone := range []string{"serverZh", "serverZhPatterns", "serverText"} {
		if strings.Contains(string(b), gone) {
			t.Errorf("i18n.js still has %s", gone)
		}
	}
}
