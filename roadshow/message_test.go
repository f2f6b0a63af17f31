package roadshow_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/roadshow/roadshow/roadshow"
)

// keyUse is one key literal passed to a constructor.
type keyUse struct {
	key, at string
}

// scanKeys parses every Go file of the module but tests and returns the
// key literals passed to the message constructors, and the places where a
// constructor got a key that is not a literal.
func scanKeys(t *testing.T) (uses []keyUse, computed []string) {
	t.Helper()
	// The functions that take a message key, with the position of the key
	// among their arguments and how many arguments they take (which tells a
	// Validator's Add from other Adds).
	keyParams := map[string]struct{ index, args int }{
		"NewError":    {1, 3},
		"FieldErrors": {1, 3},
		"Msg":         {0, 2},
		"Rekey":       {2, 4},
		"Add":         {1, 3},
		"Check":       {2, 4},
		"Err":         {1, 2},
	}
	// The files whose constructors pass on a key they were given: the only
	// places a key may be a variable.
	keyForwarders := []string{"roadshow/error.go", "roadshow/message.go"}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "vendor" || d.Name() == "node_modules") && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			var name string
			switch fn := call.Fun.(type) {
			case *ast.Ident:
				name = fn.Name
			case *ast.SelectorExpr:
				name = fn.Sel.Name
			}
			p, ok := keyParams[name]
			if !ok || len(call.Args) != p.args {
				return true
			}
			at := fset.Position(call.Pos()).String()
			if lit, ok := call.Args[p.index].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				key, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Fatalf("%s: %v", at, err)
				}
				uses = append(uses, keyUse{key: key, at: at})
			} else if !slices.Contains(keyForwarders, rel) {
				computed = append(computed, at)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(uses) < 100 {
		t.Fatalf("found %d key literals in %s, want the module's (is the scan broken?)", len(uses), root)
	}
	return uses, computed
}

// TestMessageKeysRegistered scans the sources: every key given to an error
// or message constructor is in the table, every key is a literal (so that
// the scan sees them all), and every key of the table is used.
func TestMessageKeysRegistered(t *testing.T) {
	t.Parallel()
	uses, computed := scanKeys(t)
	used := map[string]bool{}
	for _, u := range uses {
		used[u.key] = true
		if _, ok := roadshow.MessageTemplate(u.key); !ok {
			t.Errorf("%s: key %q is not registered in roadshow/message_en.go", u.at, u.key)
		}
	}
	for _, at := range computed {
		t.Errorf("%s: a message key that is not a string literal; write the key itself, so that it can be checked", at)
	}
	for _, code := range roadshow.Codes() {
		used["error."+code] = true // CodeError's generic messages
	}
	for _, key := range roadshow.MessageKeys() {
		if !used[key] {
			t.Errorf("key %q is registered but nothing uses it", key)
		}
	}
}

// TestMessageTemplates: keys are namespaced by noun, templates are
// sentences with well-formed {name} placeholders.
func TestMessageTemplates(t *testing.T) {
	t.Parallel()
	key := regexp.MustCompile(`^(error|field|request|auth|user|mail|application|edition|plan|session|room|conflict|score|results|meeting)\.[a-z][a-z0-9_]*$`)
	name := regexp.MustCompile(`^\{[a-zA-Z][a-zA-Z0-9]*\}$`)
	placeholder := regexp.MustCompile(`\{[^{}]*\}`)
	for _, k := range roadshow.MessageKeys() {
		tmpl, _ := roadshow.MessageTemplate(k)
		if !key.MatchString(k) {
			t.Errorf("key %q: want <noun>.<snake_case>", k)
		}
		if strings.TrimSpace(tmpl) == "" {
			t.Errorf("key %q: empty template", k)
		}
		for _, p := range placeholder.FindAllString(tmpl, -1) {
			if !name.MatchString(p) {
				t.Errorf("key %q: placeholder %s is not {name}", k, p)
			}
		}
		if strings.Count(tmpl, "{") != strings.Count(tmpl, "}") {
			t.Errorf("key %q: unbalanced braces in %q", k, tmpl)
		}
	}
}

func TestMsg(t *testing.T) {
	t.Parallel()
	deadline := time.Date(2026, 12, 1, 16, 0, 0, 0, time.FixedZone("CST", 8*3600))
	for _, tt := range []struct {
		name string
		key  string
		args roadshow.Args
		want string
	}{
		{"NoArgs", "application.not_found", nil, "Application not found."},
		{"Number", "field.max_length", roadshow.Args{"max": roadshow.MaxCommentLen}, "Use at most 2000 characters."},
		{"LargeNumberGrouped", "application.amount_range", roadshow.Args{"min": 0, "max": roadshow.MaxFundingAmount},
			"Enter an amount between 0 and 1,000,000,000,000."},
		{"InstantInUTC", "application.deadline_passed", roadshow.Args{"deadline": deadline},
			"The application deadline (2026-12-01T08:00:00Z) has passed."},
		{"TypedString", "session.closed", roadshow.Args{"state": roadshow.SessionEnded}, "The session is ended."},
		{"MissingArgStays", "session.closed", nil, "The session is {state}."},
		{"ErrUnregisteredKey", "no.such_key", nil, "no.such_key"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := roadshow.Msg(tt.key, tt.args)
			if m.Message != tt.want || m.Key != tt.key || m.Args == nil {
				t.Fatalf("got %+v, want message %q with key %q and non-nil args", m, tt.want, tt.key)
			}
		})
	}
}

func TestRekey(t *testing.T) {
	t.Parallel()
	said := roadshow.NewError(roadshow.ECONFLICT, "score.final", nil)
	for _, tt := range []struct {
		name string
		err  error
		want string // key after Rekey(err, ECONFLICT, "edition.rubric_locked")
	}{
		{"BareCode", roadshow.CodeError(roadshow.ECONFLICT), "edition.rubric_locked"},
		{"OtherCodeUntouched", roadshow.CodeError(roadshow.ENOTFOUND), "error.not_found"},
		{"SaidAlreadyUntouched", said, "score.final"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := roadshow.ErrorMsg(roadshow.Rekey(tt.err, roadshow.ECONFLICT, "edition.rubric_locked", nil)).Key
			if got != tt.want {
				t.Fatalf("got key %q, want %q", got, tt.want)
			}
		})
	}
	if err := roadshow.Rekey(nil, roadshow.ECONFLICT, "edition.rubric_locked", nil); err != nil {
		t.Fatalf("Rekey(nil): got %v, want nil", err)
	}
}
