package roadshow

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Args are the values a message names, such as {"max": MaxCommentLen}. Their
// names say what they hold, so that every language formats them alike:
// "deadline", "at" and "start" are instants (RFC 3339 in JSON), "state" a
// SessionState, "role" a Role, "status" a Status, "type" a JSON type word;
// numbers are numbers and the rest is text shown as it is.
type Args map[string]any

// Message is something the server says to a person: a stable key that every
// language's table translates, the arguments its text names, and the English
// text for API clients. The web UI translates by key (ui/static/i18n.js).
type Message struct {
	Key     string `json:"key"`
	Args    Args   `json:"args"`
	Message string `json:"message"`
}

// Msg returns the message registered under key with args, its English text
// rendered from the template of the key.
func Msg(key string, args Args) Message {
	if args == nil {
		args = Args{}
	}
	for name, v := range args {
		if t, ok := v.(time.Time); ok {
			args[name] = t.UTC()
		}
	}
	return Message{Key: key, Args: args, Message: render(englishMessages[key], key, args)}
}

// MessageKeys returns every registered key, sorted.
func MessageKeys() []string {
	keys := make([]string, 0, len(englishMessages))
	for k := range englishMessages {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// MessageTemplate returns the English template of key, with {name}
// placeholders for its arguments.
func MessageTemplate(key string) (string, bool) {
	s, ok := englishMessages[key]
	return s, ok
}

// render fills the {name} placeholders of tmpl. An unregistered key renders
// as itself (TestMessageKeysRegistered keeps that from shipping).
func render(tmpl, key string, args Args) string {
	if tmpl == "" {
		return key
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		b.WriteString(tmpl[:i])
		if v, ok := args[tmpl[i+1:i+j]]; ok {
			b.WriteString(formatArg(v))
		} else {
			b.WriteString(tmpl[i : i+j+1])
		}
		tmpl = tmpl[i+j+1:]
	}
}

// formatArg writes one argument in English: instants in RFC 3339 (UTC),
// large whole numbers with thousands separators, the rest as Go prints it.
func formatArg(v any) string {
	switch x := v.(type) {
	case time.Time:
		return x.UTC().Format(time.RFC3339)
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	r := reflect.ValueOf(v)
	switch r.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return groupDigits(r.Int())
	case reflect.String:
		return r.String()
	}
	return fmt.Sprint(v)
}

// groupDigits writes n with commas every three digits from 10,000 on
// ("2000", "1,000,000,000,000"), as English texts write them.
func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	digits := strings.TrimPrefix(s, "-")
	if len(digits) < 5 {
		return s
	}
	var b strings.Builder
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
