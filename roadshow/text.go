package roadshow

import (
	"strings"
	"unicode"
)

// The rules of free text: what people type into names, titles and longer
// texts. Control characters never belong in them (a NUL breaks other
// programs that read the data, an escape sequence a terminal); line breaks
// belong only in multi-line texts. Names and titles are shown in lists
// beside others, where invisible formatting characters (bidi overrides,
// zero-width spaces) can reorder or disguise what a reader sees: they are
// removed from them. "Required" means at least one visible character.

// isInvisibleFormat reports whether r is a bidirectional control or a
// zero-width character: U+200B-U+200F, U+202A-U+202E, U+2060-U+2064,
// U+2066-U+2069, U+061C, U+FEFF, U+180E.
func isInvisibleFormat(r rune) bool {
	switch {
	case r >= 0x200B && r <= 0x200F, r >= 0x202A && r <= 0x202E, r >= 0x2060 && r <= 0x2064,
		r >= 0x2066 && r <= 0x2069, r == 0x061C, r == 0xFEFF, r == 0x180E:
		return true
	}
	return false
}

// isControl reports whether r is a C0 or C1 control character or DEL.
func isControl(r rune) bool { return r < 0x20 || r >= 0x7F && r <= 0x9F }

// CleanLine is the stored form of a one-line name or title: invisible
// formatting characters removed and the surrounding white space trimmed.
// Control characters are kept, so that CheckText can refuse them.
func CleanLine(s string) string {
	if strings.IndexFunc(s, isInvisibleFormat) >= 0 {
		s = strings.Map(func(r rune) rune {
			if isInvisibleFormat(r) {
				return -1
			}
			return r
		}, s)
	}
	return strings.TrimSpace(s)
}

// Visible reports whether s has a character a reader can see: one that is
// neither white space, a control nor an invisible format character.
func Visible(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool {
		return !unicode.IsSpace(r) && !isControl(r) && !isInvisibleFormat(r) && r != unicode.ReplacementChar && unicode.IsGraphic(r)
	}) >= 0
}

// TextProblem names what is wrong with a text field, as a message key, or
// returns "" when the text is acceptable: "field.control_characters" for a
// NUL or another control character, "field.one_line" for a line break in a
// one-line text. Tabs count as control characters in one-line texts and
// are accepted, with line breaks, in multi-line ones.
func TextProblem(s string, multiline bool) string {
	for _, r := range s {
		switch {
		case multiline && (r == '\n' || r == '\r' || r == '\t'):
		case r == '\n' || r == '\r':
			return "field.one_line"
		case isControl(r):
			return "field.control_characters"
		}
	}
	return ""
}

// Text records the problem of a text field, if any (see TextProblem).
func (v *Validator) Text(field, s string, multiline bool) {
	switch TextProblem(s, multiline) {
	case "field.one_line":
		v.Add(field, "field.one_line", nil)
	case "field.control_characters":
		v.Add(field, "field.control_characters", nil)
	}
}
