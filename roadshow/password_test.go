package roadshow_test

import (
	"strings"
	"testing"

	"github.com/roadshow/roadshow/roadshow"
)

func TestCheckPassword(t *testing.T) {
	t.Parallel()
	const email, name = "ada.lovelace@example.com", "Ada Lovelace"
	for _, tt := range []struct {
		name, password string
		want           string // the refusal's key; "" accepted
	}{
		{"Passphrase", "correct horse battery", ""},
		{"Unicode", "密码很长很长的密码啊", ""},
		{"Spaces inside", "  tidal drones at dawn  ", ""},
		{"MaxLength", "q" + strings.Repeat("x", roadshow.MaxPasswordLen-1), ""},
		{"ErrPasswordTooShort", "short-pw1", "user.password_too_short"},
		{"ErrPasswordEmpty", "", "user.password_too_short"},
		{"ErrPasswordTooLong", "q" + strings.Repeat("x", roadshow.MaxPasswordLen), "field.max_length"},
		{"ErrPasswordBlank", strings.Repeat(" ", 10), "user.password_blank"},
		{"ErrPasswordBlankUnicode", strings.Repeat("\u3000", 10), "user.password_blank"},
		{"ErrPasswordInvisible", strings.Repeat("\u200b", 10), "user.password_blank"},
		{"ErrPasswordNUL", strings.Repeat("\x00", 10), "user.password_control"},
		{"ErrPasswordControlInside", "long-enough\x07pw", "user.password_control"},
		{"ErrPasswordTab", "long-enough\tpw", "user.password_control"},
		{"ErrPasswordIsEmail", email, "user.password_is_email"},
		{"ErrPasswordIsEmailCase", "ADA.LOVELACE@EXAMPLE.COM", "user.password_is_email"},
		{"ErrPasswordIsEmailLocalPart", "ada.lovelace", "user.password_is_email"},
		{"ErrPasswordIsName", "ada lovelace", "user.password_is_name"},
		{"ErrPasswordIsNameNoSpace", "AdaLovelace", "user.password_is_name"},
		{"ErrPasswordCommonDigits", "1234567890", "user.password_common"},
		{"ErrPasswordCommonListed", "qwertyuiop", "user.password_common"},
		{"ErrPasswordCommonCase", "Password123", "user.password_common"},
		{"ErrPasswordCommonPadded", "dragon12345", "user.password_common"},
		{"ErrPasswordCommonPaddedSymbols", "!!sunshine!!", "user.password_common"},
		{"ErrPasswordRepeated", "aaaaaaaaaaaa", "user.password_common"},
		{"ErrPasswordSequence", "abcdefghijk", "user.password_common"},
		{"ErrPasswordSequenceDown", "9876543210", "user.password_common"},
		{"ErrPasswordSequenceWrap", "4567890123", "user.password_common"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := ""
			if m := roadshow.CheckPassword(tt.password, email, name); m != nil {
				got = m.Key
				if m.Message == "" || m.Message == m.Key {
					t.Errorf("message %q is not rendered", m.Key)
				}
			}
			if got != tt.want {
				t.Fatalf("CheckPassword(%q): got %q, want %q", tt.password, got, tt.want)
			}
		})
	}
}

func TestTextRules(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, in  string
		multiline bool
		problem   string
		visible   bool
		cleanLine string
	}{
		{"Plain", "Tidal drones", false, "", true, "Tidal drones"},
		{"Chinese", "潮汐无人机", false, "", true, "潮汐无人机"},
		{"Emoji", "🌊 drones", false, "", true, "🌊 drones"},
		{"MultilineText", "Line one\nLine two\r\n\tindented", true, "", true, "Line one\nLine two\r\n\tindented"},
		{"ErrNUL", "\x00", false, "field.control_characters", false, "\x00"},
		{"ErrNULMultiline", "ok\x00", true, "field.control_characters", true, "ok\x00"},
		{"ErrEscape", "red\x1b[31m", false, "field.control_characters", true, "red\x1b[31m"},
		{"ErrC1", "a\u0085b", true, "field.control_characters", true, "a\u0085b"},
		{"ErrDEL", "a\x7fb", false, "field.control_characters", true, "a\x7fb"},
		{"ErrNewlineInLine", "one\ntwo", false, "field.one_line", true, "one\ntwo"},
		{"ErrTabInLine", "one\ttwo", false, "field.control_characters", true, "one\ttwo"},
		{"BidiOverrideStripped", "abc\u202egnp.exe", false, "", true, "abcgnp.exe"},
		{"ZeroWidthStripped", "A\u200bd\u200da\ufeff", false, "", true, "Ada"},
		{"IsolatesStripped", "\u2066x\u2069", false, "", true, "x"},
		{"ErrOnlySpaces", "   \u3000 ", false, "", false, ""},
		{"ErrOnlyZeroWidth", "\u200b\u200b", false, "", false, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := roadshow.TextProblem(tt.in, tt.multiline); got != tt.problem {
				t.Errorf("TextProblem(%q, %v): got %q, want %q", tt.in, tt.multiline, got, tt.problem)
			}
			if got := roadshow.Visible(tt.in); got != tt.visible {
				t.Errorf("Visible(%q): got %v, want %v", tt.in, got, tt.visible)
			}
			if !tt.multiline {
				if got := roadshow.CleanLine(tt.in); got != tt.cleanLine {
					t.Errorf("CleanLine(%q): got %q, want %q", tt.in, got, tt.cleanLine)
				}
			}
		})
	}
}
