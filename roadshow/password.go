package roadshow

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Passwords follow NIST SP 800-63B (5.1.1.2): long enough, any characters a
// person can type, and not one that attackers try first. There are no
// composition rules; the reason a password is refused is always shown.

//go:embed common_passwords.txt
var commonPasswordList string

var (
	commonOnce      sync.Once
	commonPasswords map[string]bool
)

// isCommonWord reports whether w (lower case) is on the embedded list.
func isCommonWord(w string) bool {
	commonOnce.Do(func() {
		commonPasswords = make(map[string]bool, 5100)
		for _, line := range strings.Split(commonPasswordList, "\n") {
			if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
				commonPasswords[line] = true
			}
		}
	})
	return commonPasswords[w]
}

// minCommonStem is the shortest list entry a padded password is compared
// against: "dragon1234" is "dragon" with digits added.
const minCommonStem = 6

// isCommonPassword reports whether pw is a common password: on the list
// (case-insensitively), a list entry padded with digits or symbols at
// either end, one character repeated, or a run such as "1234567890" or
// "abcdefghij".
func isCommonPassword(pw string) bool {
	lower := strings.ToLower(pw)
	if isCommonWord(lower) {
		return true
	}
	notLetter := func(r rune) bool { return !unicode.IsLetter(r) }
	if stem := strings.TrimFunc(lower, notLetter); utf8.RuneCountInString(stem) >= minCommonStem && isCommonWord(stem) {
		return true
	}
	if stem := strings.TrimRightFunc(lower, notLetter); utf8.RuneCountInString(stem) >= minCommonStem && isCommonWord(stem) {
		return true
	}
	rs := []rune(lower)
	same, up, down := true, true, true
	for i := 1; i < len(rs); i++ {
		same = same && rs[i] == rs[0]
		up = up && rs[i] == rs[i-1]+1
		down = down && rs[i] == rs[i-1]-1
	}
	// "1234567890" wraps from 9 to 0.
	if !up && len(rs) > 1 && strings.Contains("12345678901234567890", lower) {
		up = true
	}
	return same || up || down
}

// CheckPassword says why password (in the form the hasher normalizes it
// to, see PasswordHasher) may not protect the account with email and name,
// as a field message, or returns nil when it may: at least MinPasswordLen
// and at most MaxPasswordLen characters, not only white space, no control
// characters, not the e-mail address (or its part before the @) nor the
// name, and not a common password.
func CheckPassword(password, email, name string) *Message {
	n := utf8.RuneCountInString(password)
	fold := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), "")) }
	var m Message
	switch email = NormalizeEmail(email); {
	case n < MinPasswordLen:
		m = Msg("user.password_too_short", Args{"min": MinPasswordLen})
	case n > MaxPasswordLen:
		m = Msg("field.max_length", Args{"max": MaxPasswordLen})
	case strings.IndexFunc(password, isControl) >= 0:
		m = Msg("user.password_control", nil)
	case !Visible(password):
		m = Msg("user.password_blank", nil)
	case email != "" && (fold(password) == fold(email) || fold(password) == fold(email[:max(strings.LastIndexByte(email, '@'), 0)])):
		m = Msg("user.password_is_email", nil)
	case fold(name) != "" && fold(password) == fold(name):
		m = Msg("user.password_is_name", nil)
	case isCommonPassword(password):
		m = Msg("user.password_common", nil)
	default:
		return nil
	}
	return &m
}
