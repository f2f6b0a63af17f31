package auth_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/roadshow/roadshow/internal/auth"
	"github.com/roadshow/roadshow/roadshow"
	"golang.org/x/crypto/argon2"
)

// fakeClock is a settable roadshow.Clock.
type fakeClock struct{ t time.Time }

func (c *fakeClock) Now() time.Time { return c.t }

func MustHash(tb testing.TB, password string) string {
	tb.Helper()
	h, err := auth.HashPassword(password)
	if err != nil {
		tb.Fatalf("hash: %v", err)
	}
	return h
}

// phc encodes an argon2id hash of password with the given parameters.
func phc(password, salt string, m, t uint32, p uint8) string {
	b64 := base64.RawStdEncoding
	key := argon2.IDKey([]byte(password), []byte(salt), t, m, p, 32)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, m, t, p, b64.EncodeToString([]byte(salt)), b64.EncodeToString(key))
}

func TestHashPassword(t *testing.T) {
	t.Parallel()
	const pw = "correct-horse-1"
	h1, h2 := MustHash(t, pw), MustHash(t, pw)
	if h1 == h2 {
		t.Fatalf("got the same hash twice (%s), want a fresh salt each time", h1)
	}
	if !strings.HasPrefix(h1, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("got %s, want argon2id with the OWASP minimum parameters (m=19456,t=2,p=1)", h1)
	}
	if strings.Contains(h1, pw) {
		t.Fatalf("got %s, which contains the password", h1)
	}
	unicode := "пароль-密码-🔑"
	hu := MustHash(t, unicode)
	long := strings.Repeat("x", 256)
	hl := MustHash(t, long)
	for _, tt := range []struct {
		name     string
		hash, pw string
		want     bool
	}{
		{"Right", h1, pw, true},
		{"RightSecondHash", h2, pw, true},
		{"ErrWrong", h1, "correct-horse-2", false},
		{"ErrEmptyPassword", h1, "", false},
		{"ErrPrefix", h1, "correct-horse-", false},
		{"ErrCase", h1, "Correct-horse-1", false},
		{"ErrTrailingSpace", h1, pw + " ", false},
		{"Unicode", hu, unicode, true},
		{"ErrUnicodeNormalized", hu, "пароль-密码-", false},
		{"Long", hl, long, true},
		{"ErrLongLastCharacter", hl, long[:255] + "y", false}, // no 72-byte truncation as bcrypt would
		{"OtherParameters", phc(pw, "0123456789abcdef", 8*1024, 1, 2), pw, true},
		{"ErrOtherParametersWrong", phc(pw, "0123456789abcdef", 8*1024, 1, 2), "wrong", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := auth.CheckPassword(tt.hash, tt.pw); got != tt.want {
				t.Fatalf("CheckPassword(%s, %q): got %v, want %v", tt.hash, tt.pw, got, tt.want)
			}
		})
	}
}

func TestCheckPasswordMalformed(t *testing.T) {
	t.Parallel()
	const pw = "correct-horse-1"
	good := phc(pw, "0123456789abcdef", 19*1024, 2, 1)
	parts := strings.Split(good, "$") // "", argon2id, v=19, m=..., salt, key
	with := func(i int, v string) string {
		p := append([]string(nil), parts...)
		p[i] = v
		return strings.Join(p, "$")
	}
	if !auth.CheckPassword(good, pw) {
		t.Fatalf("CheckPassword(%s): got false for the well-formed base hash, want true", good)
	}
	for _, tt := range []struct{ name, hash string }{
		{"ErrGarbage", "not a hash"},
		{"ErrPlainPassword", pw},
		{"ErrDollars", "$$$$$"},
		{"ErrTooFewParts", strings.Join(parts[:5], "$")},
		{"ErrTooManyParts", good + "$extra"},
		{"ErrArgon2i", with(1, "argon2i")},
		{"ErrArgon2d", with(1, "argon2d")},
		{"ErrBcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{"ErrVersion", with(2, "v=16")},
		{"ErrVersionMissing", with(2, "")},
		{"ErrVersionText", with(2, "v=x")},
		{"ErrParamsMissing", with(3, "")},
		{"ErrParamsText", with(3, "m=a,t=b,p=c")},
		{"ErrParamsOrder", with(3, "t=2,m=19456,p=1")},
		{"ErrRoundsZero", with(3, "m=19456,t=0,p=1")}, // argon2 panics on zero rounds
		{"ErrThreadsZero", with(3, "m=19456,t=2,p=0")},
		{"ErrThreadsOverflow", with(3, "m=19456,t=2,p=256")},
		{"ErrMemoryHuge", with(3, "m=4294967295,t=2,p=1")},
		{"ErrRoundsHuge", with(3, "m=19456,t=1000000,p=1")},
		{"ErrNegative", with(3, "m=-1,t=2,p=1")},
		{"ErrSaltNotBase64", with(4, "!!!!")},
		{"ErrKeyNotBase64", with(5, "!!!!")},
		{"ErrKeyEmpty", with(5, "")},
		{"ErrKeyPadded", with(5, parts[5]+"=")},
		{"ErrKeyTruncated", with(5, parts[5][:20])},
		{"ErrOtherSalt", with(4, base64.RawStdEncoding.EncodeToString([]byte("fedcba9876543210")))},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got bool
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("CheckPassword(%q) panicked: %v", tt.hash, r)
					}
				}()
				got = auth.CheckPassword(tt.hash, pw)
			}()
			if got {
				t.Fatalf("CheckPassword(%q): got true, want false", tt.hash)
			}
		})
	}
}

// TestCheckPasswordEmptyHashCostsAHash checks that an empty hash (an unknown
// account) is refused only after hashing against the dummy, so that timing
// does not reveal whether the account exists.
func TestCheckPasswordEmptyHashCostsAHash(t *testing.T) {
	t.Parallel()
	hash := MustHash(t, "correct-horse-1")
	fastest := func(f func()) time.Duration {
		best := time.Duration(1 << 62)
		for range 3 {
			start := time.Now()
			f()
			best = min(best, time.Since(start))
		}
		return best
	}
	var empty bool
	unknown := fastest(func() { empty = auth.CheckPassword("", "correct-horse-1") })
	wrong := fastest(func() { auth.CheckPassword(hash, "wrong-password") })
	if empty {
		t.Fatal("CheckPassword with an empty hash: got true, want false")
	}
	// Both run one argon2id; a failed parse of the dummy would take microseconds.
	if unknown < wrong/4 {
		t.Fatalf("got %v for an empty hash against %v for a wrong password, want about the same", unknown, wrong)
	}
}

func BenchmarkHashPassword(b *testing.B) {
	for b.Loop() {
		if _, err := auth.HashPassword("correct-horse-1"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheckPassword(b *testing.B) {
	h := MustHash(b, "correct-horse-1")
	for b.Loop() {
		if !auth.CheckPassword(h, "correct-horse-1") {
			b.Fatal("got false")
		}
	}
}

// testKey is a 32-byte signing key.
func testKey() []byte { return []byte("0123456789abcdef0123456789abcdef") }

func MustTokens(tb testing.TB, key []byte, ttl time.Duration, clock roadshow.Clock) *auth.Tokens {
	tb.Helper()
	tok, err := auth.NewTokens(key, ttl, clock)
	if err != nil {
		tb.Fatalf("new tokens: %v", err)
	}
	return tok
}

func TestNewTokensKeyLength(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{t: time.Now()}
	for _, tt := range []struct {
		n    int
		want bool
	}{{0, false}, {16, false}, {31, false}, {32, true}, {64, true}} {
		_, err := auth.NewTokens(bytes.Repeat([]byte("k"), tt.n), time.Hour, clock)
		if got := err == nil; got != tt.want {
			t.Errorf("NewTokens with a %d-byte key: got error %v, want ok %v", tt.n, err, tt.want)
		}
	}
}

func TestTokensRoundTrip(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{t: time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)}
	tok := MustTokens(t, testKey(), time.Hour, clock)
	for _, role := range []roadshow.Role{roadshow.RoleApplicant, roadshow.RoleJudge, roadshow.RoleInvestor, roadshow.RoleOrganizer} {
		u := &roadshow.User{ID: "0123456789abcdef01234567", Role: role, Email: "a@b.io"}
		s, exp, err := tok.Issue(u)
		if err != nil {
			t.Fatalf("issue: %v", err)
		}
		if want := clock.t.Add(time.Hour); !exp.Equal(want) {
			t.Errorf("expiry: got %v, want %v", exp, want)
		}
		got, err := tok.Verify(s)
		if err != nil {
			t.Fatalf("verify %s token: %v", role, err)
		}
		if want := (roadshow.Actor{UserID: u.ID, Role: role}); got != want {
			t.Fatalf("got %+v, want %+v", got, want)
		}
		// The claims are sub, role, ver (the token version), iss, aud, iat,
		// exp and jti, and nothing about the password.
		var c jwt.MapClaims
		if _, _, err := jwt.NewParser().ParseUnverified(s, &c); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"sub", "role", "ver", "iss", "aud", "iat", "exp", "jti"} {
			if _, ok := c[k]; !ok {
				t.Errorf("got claims %v, want %s", c, k)
			}
		}
		if len(c) != 8 {
			t.Errorf("got claims %v, want exactly sub, role, ver, iss, aud, iat, exp, jti", c)
		}
	}
	// Every token has its own id.
	u := &roadshow.User{ID: "u", Role: roadshow.RoleJudge}
	s1, _, _ := tok.Issue(u)
	s2, _, _ := tok.Issue(u)
	if s1 == s2 {
		t.Fatal("got the same token twice, want distinct jti")
	}
}

func TestTokensExpiry(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name  string
		after time.Duration
		ok    bool
	}{
		{"Fresh", 0, true},
		{"AlmostExpired", time.Hour - time.Second, true},
		{"ErrExpired", time.Hour + time.Second, false},
		{"ErrLongExpired", 30 * 24 * time.Hour, false},
		{"ErrIssuedInTheFuture", -time.Minute, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clock := &fakeClock{t: start}
			tok := MustTokens(t, testKey(), time.Hour, clock)
			s, _, err := tok.Issue(&roadshow.User{ID: "u1", Role: roadshow.RoleApplicant})
			if err != nil {
				t.Fatal(err)
			}
			clock.t = start.Add(tt.after)
			_, err = tok.Verify(s)
			if got := err == nil; got != tt.ok {
				t.Fatalf("verify %v after issue: got error %v, want ok %v", tt.after, err, tt.ok)
			}
			if err != nil && roadshow.ErrorCode(err) != roadshow.EUNAUTHORIZED {
				t.Fatalf("got code %s, want %s", roadshow.ErrorCode(err), roadshow.EUNAUTHORIZED)
			}
		})
	}
}

func TestTokensRefused(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	clock := &fakeClock{t: now}
	tok := MustTokens(t, testKey(), time.Hour, clock)
	valid := func() jwt.MapClaims {
		return jwt.MapClaims{
			"sub": "u1", "role": "organizer", "iss": auth.Issuer, "aud": []string{auth.AccessAudience},
			"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(), "jti": "x",
		}
	}
	sign := func(m jwt.SigningMethod, key any, claims jwt.MapClaims) string {
		s, err := jwt.NewWithClaims(m, claims).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	without := func(k string) jwt.MapClaims { c := valid(); delete(c, k); return c }
	with := func(k string, v any) jwt.MapClaims { c := valid(); c[k] = v; return c }

	// The hand-made valid token passes, so each refusal below is for its one change.
	if _, err := tok.Verify(sign(jwt.SigningMethodHS256, testKey(), valid())); err != nil {
		t.Fatalf("hand-made valid token: got %v, want nil", err)
	}
	none := sign(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, valid())
	issued, _, _ := MustTokens(t, testKey(), time.Hour, clock).Issue(&roadshow.User{ID: "u1", Role: roadshow.RoleOrganizer})
	hp := strings.Split(issued, ".")
	for _, tt := range []struct{ name, token string }{
		{"ErrEmpty", ""},
		{"ErrGarbage", "not.a.token"},
		{"ErrWrongKey", sign(jwt.SigningMethodHS256, []byte("another-key-another-key-another-k"), valid())},
		{"ErrOtherIssuerKey", func() string {
			s, _, _ := MustTokens(t, bytes.Repeat([]byte("z"), 32), time.Hour, clock).Issue(&roadshow.User{ID: "u1", Role: roadshow.RoleOrganizer})
			return s
		}()},
		{"ErrAlgNone", none},
		{"ErrAlgNoneNoSignature", strings.Join(strings.Split(none, ".")[:2], ".") + "."},
		{"ErrHS384", sign(jwt.SigningMethodHS384, testKey(), valid())},
		{"ErrHS512", sign(jwt.SigningMethodHS512, testKey(), valid())},
		{"ErrSignatureStripped", hp[0] + "." + hp[1] + "."},
		{"ErrPayloadSwapped", hp[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"u2","role":"organizer","iss":"roadshow","aud":["roadshow-api"],"exp":9999999999}`)) + "." + hp[2]},
		{"ErrIssuer", sign(jwt.SigningMethodHS256, testKey(), with("iss", "someone-else"))},
		{"ErrNoIssuer", sign(jwt.SigningMethodHS256, testKey(), without("iss"))},
		{"ErrAudience", sign(jwt.SigningMethodHS256, testKey(), with("aud", []string{"roadshow-room"}))},
		{"ErrNoAudience", sign(jwt.SigningMethodHS256, testKey(), without("aud"))},
		{"ErrNoExpiry", sign(jwt.SigningMethodHS256, testKey(), without("exp"))},
		{"ErrExpired", sign(jwt.SigningMethodHS256, testKey(), with("exp", now.Add(-time.Second).Unix()))},
		{"ErrNotYetIssued", sign(jwt.SigningMethodHS256, testKey(), with("iat", now.Add(time.Hour).Unix()))},
		{"ErrNotBefore", sign(jwt.SigningMethodHS256, testKey(), with("nbf", now.Add(time.Minute).Unix()))},
		{"ErrNoSubject", sign(jwt.SigningMethodHS256, testKey(), without("sub"))},
		{"ErrEmptySubject", sign(jwt.SigningMethodHS256, testKey(), with("sub", ""))},
		{"ErrNoRole", sign(jwt.SigningMethodHS256, testKey(), without("role"))},
		{"ErrUnknownRole", sign(jwt.SigningMethodHS256, testKey(), with("role", "admin"))},
		{"ErrRoleWrongType", sign(jwt.SigningMethodHS256, testKey(), with("role", 1))},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tok.Verify(tt.token)
			if err == nil {
				t.Fatalf("got actor %+v, want an error", got)
			}
			if code := roadshow.ErrorCode(err); code != roadshow.EUNAUTHORIZED {
				t.Fatalf("got code %s (%v), want %s", code, err, roadshow.EUNAUTHORIZED)
			}
			if got != (roadshow.Actor{}) {
				t.Fatalf("got actor %+v with the error, want none", got)
			}
		})
	}
}

func TestLoadOrCreateKey(t *testing.T) {
	t.Parallel()
	t.Run("CreatesPrivateFile", func(t *testing.T) {
		t.Parallel()
		dir := filepath.Join(t.TempDir(), "data", "nested")
		k1, err := auth.LoadOrCreateKey("", dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(k1) < 32 {
			t.Fatalf("got a %d-byte key, want at least 32", len(k1))
		}
		info, err := os.Stat(filepath.Join(dir, "jwt.key"))
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != 0o600 {
			t.Fatalf("got mode %v, want 0600", got)
		}
		if dinfo, err := os.Stat(dir); err != nil || dinfo.Mode().Perm()&0o077 != 0 {
			t.Fatalf("got data dir mode %v (%v), want no access for group or others", dinfo.Mode().Perm(), err)
		}
		k2, err := auth.LoadOrCreateKey("", dir)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(k1, k2) {
			t.Fatalf("second start: got key %x, want the first one %x", k2, k1)
		}
		// A token issued before a restart verifies after it.
		clock := &fakeClock{t: time.Now()}
		s, _, err := MustTokens(t, k1, time.Hour, clock).Issue(&roadshow.User{ID: "u1", Role: roadshow.RoleJudge})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := MustTokens(t, k2, time.Hour, clock).Verify(s); err != nil {
			t.Fatalf("after restart: got %v, want the token to verify", err)
		}
	})
	t.Run("KeysDiffer", func(t *testing.T) {
		t.Parallel()
		k1, err1 := auth.LoadOrCreateKey("", t.TempDir())
		k2, err2 := auth.LoadOrCreateKey("", t.TempDir())
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if bytes.Equal(k1, k2) {
			t.Fatalf("got the same key %x in two data directories, want random keys", k1)
		}
	})
	t.Run("Secret", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		secret := "a-secret-of-exactly-32-chars-!!!"
		k, err := auth.LoadOrCreateKey(secret, dir)
		if err != nil {
			t.Fatal(err)
		}
		if string(k) != secret {
			t.Fatalf("got key %q, want the secret as is %q", k, secret)
		}
		if _, err := os.Stat(filepath.Join(dir, "jwt.key")); !os.IsNotExist(err) {
			t.Fatalf("got %v, want no key file when a secret is given", err)
		}
	})
	t.Run("ErrShortSecret", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		for _, secret := range []string{"x", "short-secret", strings.Repeat("s", 31)} {
			if k, err := auth.LoadOrCreateKey(secret, dir); err == nil {
				t.Fatalf("secret of %d characters: got key %q, want an error", len(secret), k)
			}
		}
		if _, err := os.Stat(filepath.Join(dir, "jwt.key")); !os.IsNotExist(err) {
			t.Fatalf("got %v, want no key file made in place of a refused secret", err)
		}
	})
	t.Run("ErrCorruptFile", func(t *testing.T) {
		t.Parallel()
		for _, content := range []string{"", "not hex", "abcd", strings.Repeat("0", 62)} {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "jwt.key"), []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			if k, err := auth.LoadOrCreateKey("", dir); err == nil {
				t.Fatalf("key file %q: got key %x, want an error", content, k)
			}
		}
	})
	t.Run("ConcurrentFirstStarts", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		const n = 8
		keys := make([][]byte, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { keys[i], errs[i] = auth.LoadOrCreateKey("", dir) })
		}
		wg.Wait()
		for i := range n {
			if errs[i] != nil {
				t.Fatalf("start %d: got %v, want nil", i, errs[i])
			}
			if !bytes.Equal(keys[i], keys[0]) {
				t.Fatalf("start %d: got key %x, want the same key as start 0 %x", i, keys[i], keys[0])
			}
		}
	})
}
