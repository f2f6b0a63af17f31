package http_test

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	nethttp "net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	roadshowhttp "github.com/roadshow/roadshow/internal/http"
	"github.com/roadshow/roadshow/roadshow"
)

func TestRegisterAndLogin(t *testing.T) {
	t.Parallel()
	s := MustServer(t, serverOpts{})

	t.Run("RoleInBodyIsRefused", func(t *testing.T) {
		r := s.Do(t, "POST", "/auth/register", "", map[string]any{"email": "mallory@example.com", "password": "correct-horse-1", "name": "M", "country": "US", "role": "organizer"})
		if r.Status != 400 || r.ErrorCode(t) != "invalid" {
			t.Fatalf("got %d %s, want 400 invalid", r.Status, r.Body)
		}
		// Nothing was created: the e-mail is still free and gets an applicant.
		s.Must(t, 202, "POST", "/auth/register", "", map[string]any{"email": "mallory@example.com", "password": "correct-horse-1", "name": "M", "country": "US"})
		u := s.MustLogin(t, "mallory@example.com", "correct-horse-1")
		if u.Role != roadshow.RoleApplicant {
			t.Fatalf("got role %q, want applicant", u.Role)
		}
	})

	t.Run("TakenEmailGetsTheSameAnswer", func(t *testing.T) {
		a := s.Must(t, 202, "POST", "/auth/register", "", map[string]any{"email": "Dup@Example.com", "password": "correct-horse-1", "name": "A", "country": "JP"})
		b := s.Must(t, 202, "POST", "/auth/register", "", map[string]any{"email": "dup@example.COM", "password": "another-horse-2", "name": "B", "country": "JP"})
		if !bytes.Equal(a.Body, b.Body) {
			t.Fatalf("a new and a taken address answered differently: %s vs %s", a.Body, b.Body)
		}
		// The first account is unchanged and works at once.
		s.MustLogin(t, "dup@example.com", "correct-horse-1")
		s.Must(t, 401, "POST", "/auth/login", "", map[string]any{"email": "dup@example.com", "password": "another-horse-2"})
	})

	t.Run("ValidationNamesEveryField", func(t *testing.T) {
		r := s.Must(t, 422, "POST", "/auth/register", "", map[string]any{"email": "not-an-email", "password": "short", "name": "", "country": "XX"})
		fields := r.Fields(t)
		for _, f := range []string{"email", "password", "name", "country"} {
			if fields[f] == "" {
				t.Errorf("no field error for %q in %v", f, fields)
			}
		}
	})

	t.Run("WrongPasswordAndUnknownEmailLookAlike", func(t *testing.T) {
		s.Must(t, 202, "POST", "/auth/register", "", map[string]any{"email": "known@example.com", "password": "correct-horse-1", "name": "K", "country": "FR"})
		a := s.Must(t, 401, "POST", "/auth/login", "", map[string]any{"email": "known@example.com", "password": "wrong-password-1"})
		b := s.Must(t, 401, "POST", "/auth/login", "", map[string]any{"email": "unknown@example.com", "password": "wrong-password-1"})
		if !bytes.Equal(a.Body, b.Body) {
			t.Fatalf("bodies differ: %s vs %s", a.Body, b.Body)
		}
	})

	t.Run("NonASCIIPassword", func(t *testing.T) {
		// 200 characters, 600 bytes: within the 256-character limit.
		pw := strings.Repeat("密码", 100)
		s.Must(t, 202, "POST", "/auth/register", "", map[string]any{"email": "mima@example.com", "password": pw, "name": "李", "country": "CN"})
		s.MustLogin(t, "mima@example.com", pw)
	})

	t.Run("LoginAndMe", func(t *testing.T) {
		u := s.MustApplicant(t, "me@example.com")
		var me roadshow.User
		s.Must(t, 200, "GET", "/me", u.Token, nil).JSON(t, &me)
		if me.Email != "me@example.com" || me.Role != roadshow.RoleApplicant || me.Country != "DE" {
			t.Fatalf("got %+v", me)
		}
		r := s.Must(t, 200, "GET", "/me", u.Token, nil)
		if bytes.Contains(r.Body, []byte("argon2")) || bytes.Contains(r.Body, []byte("password")) {
			t.Fatalf("/me leaks the password hash: %s", r.Body)
		}
	})
}

func TestLoginRateLimit(t *testing.T) {
	t.Parallel()
	hour := roadshowhttp.RateLimit{Burst: 3, Every: time.Hour}
	want429 := func(t *testing.T, r response) {
		t.Helper()
		if r.Status != 429 || r.ErrorCode(t) != "rate_limited" || r.Header.Get("Retry-After") == "" {
			t.Fatalf("got %d %s with Retry-After %q, want 429", r.Status, r.Body, r.Header.Get("Retry-After"))
		}
	}
	// One client trying one account, many accounts, or everyone together
	// meets its own limit.
	for _, tt := range []struct {
		name   string
		limits roadshowhttp.Limits
		email  func(i int) string
	}{
		{"PerAccount", roadshowhttp.Limits{LoginAccount: hour}, func(int) string { return "victim@example.com" }},
		{"PerClientAcrossAccounts", roadshowhttp.Limits{LoginClient: hour}, func(i int) string { return fmt.Sprintf("victim%d@example.com", i) }},
		{"Global", roadshowhttp.Limits{LoginGlobal: hour}, func(i int) string { return fmt.Sprintf("v%d@example.com", i) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := MustServer(t, serverOpts{Limits: tt.limits})
			for i := 0; i < 3; i++ {
				s.Must(t, 401, "POST", "/auth/login", "", map[string]any{"email": tt.email(i), "password": "guess-number-1"})
			}
			want429(t, s.Do(t, "POST", "/auth/login", "", map[string]any{"email": strings.ToUpper(tt.email(0)), "password": "guess-number-4"}))
			if tt.name == "PerAccount" {
				// Another account is its own bucket.
				s.Must(t, 401, "POST", "/auth/login", "", map[string]any{"email": "other@example.com", "password": "guess-number-1"})
			}
		})
	}
	t.Run("Registrations", func(t *testing.T) {
		t.Parallel()
		s := MustServer(t, serverOpts{Limits: roadshowhttp.Limits{SignUpClient: hour}})
		for i := 0; i < 3; i++ {
			s.Must(t, 202, "POST", "/auth/register", "", map[string]any{"email": fmt.Sprintf("r%d@example.com", i), "password": "correct-horse-1", "name": "R", "country": "DE"})
		}
		want429(t, s.Do(t, "POST", "/auth/register", "", map[string]any{"email": "r9@example.com", "password": "correct-horse-1", "name": "R", "country": "DE"}))
		want429(t, s.Do(t, "POST", "/auth/forgot", "", map[string]any{"email": "r1@example.com"}))
	})
}

func TestTokens(t *testing.T) {
	t.Parallel()
	s := MustServer(t, serverOpts{})
	u := s.MustApplicant(t, "tok@example.com")
	now := s.Clock.Now() // the server's clock: a token "issued" after it would be refused
	claims := func(mod func(c jwt.MapClaims)) jwt.MapClaims {
		c := jwt.MapClaims{"sub": u.ID, "role": "applicant", "iss": "roadshow", "aud": "roadshow-api",
			"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(), "jti": "x"}
		if mod != nil {
			mod(c)
		}
		return c
	}
	sign := func(c jwt.MapClaims, key []byte) string {
		tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	none := func() string {
		h := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`))
		p, _ := json.Marshal(claims(nil))
		return h + "." + base64.RawURLEncoding.EncodeToString(p) + "."
	}
	hs512, err := jwt.NewWithClaims(jwt.SigningMethodHS512, claims(nil)).SignedString(s.Key)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, token string
		want        int
	}{
		{"Valid", sign(claims(nil), s.Key), 200},
		{"AlgNone", none(), 401},
		{"OtherAlgorithm", hs512, 401},
		{"OtherKey", sign(claims(nil), bytes.Repeat([]byte("x"), 32)), 401},
		{"OtherIssuer", sign(claims(func(c jwt.MapClaims) { c["iss"] = "evil" }), s.Key), 401},
		{"OtherAudience", sign(claims(func(c jwt.MapClaims) { c["aud"] = "roadshow-room" }), s.Key), 401},
		{"Expired", sign(claims(func(c jwt.MapClaims) { c["exp"] = now.Add(-time.Minute).Unix() }), s.Key), 401},
		{"NoExpiry", sign(claims(func(c jwt.MapClaims) { delete(c, "exp") }), s.Key), 401},
		{"UnknownRole", sign(claims(func(c jwt.MapClaims) { c["role"] = "root" }), s.Key), 401},
		// Well signed, but not the account's role or token version: the
		// account no longer accepts it.
		{"ErrRoleNotTheAccounts", sign(claims(func(c jwt.MapClaims) { c["role"] = "organizer" }), s.Key), 401},
		{"ErrOldVersion", sign(claims(func(c jwt.MapClaims) { c["ver"] = -1 }), s.Key), 401},
		{"ErrNoSuchAccount", sign(claims(func(c jwt.MapClaims) { c["sub"] = "ffffffffffffffffffffffff" }), s.Key), 401},
		{"Garbage", "not.a.token", 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.Do(t, "GET", "/me", tt.token, nil)
			if r.Status != tt.want {
				t.Fatalf("got %d, want %d: %s", r.Status, tt.want, r.Body)
			}
			if tt.want == 401 && r.ErrorCode(t) != "unauthorized" {
				t.Fatalf("got %s", r.Body)
			}
		})
	}
	t.Run("NoBearer", func(t *testing.T) {
		r := s.Do(t, "GET", "/me", "", nil, "Authorization", "Basic dXNlcjpwYXNz")
		if r.Status != 401 {
			t.Fatalf("got %d", r.Status)
		}
	})
}

func TestApplicationLifecycle(t *testing.T) {
	t.Parallel()
	s := MustServer(t, serverOpts{})
	ada := s.MustApplicant(t, "ada@example.com")
	org := s.MustStaff(t, roadshow.RoleOrganizer, "org@example.com")

	a := s.MustCreateApp(t, ada, map[string]any{"title": "Edge AI", "industry": "digital-tech"})
	if a.Status != roadshow.StatusDraft || a.ID == "" || a.OwnerID != ada.ID {
		t.Fatalf("got %+v", a)
	}

	// An incomplete draft is refused with every missing field named.
	r := s.Must(t, 422, "POST", "/applications/"+a.ID+"/submit", ada.Token, nil)
	fields := r.Fields(t)
	for _, f := range []string{"summary", "stage", "country", "timezone", "team", "fundingAsk", "landingPlan"} {
		if fields[f] == "" {
			t.Errorf("no field error for %q: %v", f, fields)
		}
	}
	if fields["title"] != "" {
		t.Errorf("title is set, yet: %q", fields["title"])
	}

	// PATCH changes only what it names.
	body := completeApplication("digital-tech")
	delete(body, "title")
	var patched roadshow.Application
	s.Must(t, 200, "PATCH", "/applications/"+a.ID, ada.Token, body).JSON(t, &patched)
	if patched.Title != "Edge AI" || patched.Timezone != "Europe/Berlin" || len(patched.Team) != 1 || patched.FundingAsk.Amount != 500000 {
		t.Fatalf("got %+v", patched)
	}
	s.Must(t, 200, "PATCH", "/applications/"+a.ID, ada.Token, map[string]any{"summary": "Better summary."})
	if got := s.MustGetApp(t, ada, a.ID); got.Summary != "Better summary." || got.Website != "https://example.com" {
		t.Fatalf("got %+v", got)
	}

	var sub roadshow.Application
	s.Must(t, 200, "POST", "/applications/"+a.ID+"/submit", ada.Token, nil).JSON(t, &sub)
	if sub.Status != roadshow.StatusSubmitted || sub.SubmittedAt == nil {
		t.Fatalf("got %+v", sub)
	}
	if got := s.Must(t, 409, "POST", "/applications/"+a.ID+"/submit", ada.Token, nil).ErrorCode(t); got != "conflict" {
		t.Fatalf("second submit: %s", got)
	}
	s.Must(t, 409, "PATCH", "/applications/"+a.ID, ada.Token, map[string]any{"title": "Changed"})

	// Screening: organizers only, submitted only.
	s.Must(t, 403, "PATCH", "/applications/"+a.ID+"/screening", ada.Token, map[string]any{"decision": "eligible"})
	s.Must(t, 422, "PATCH", "/applications/"+a.ID+"/screening", org.Token, map[string]any{"decision": "maybe"})
	var scr roadshow.Application
	s.Must(t, 200, "PATCH", "/applications/"+a.ID+"/screening", org.Token, map[string]any{"decision": "eligible", "note": "Strong fit."}).JSON(t, &scr)
	if scr.Status != roadshow.StatusEligible || scr.Screening == nil || scr.Screening.By != org.ID || scr.Screening.Note != "Strong fit." {
		t.Fatalf("got %+v", scr)
	}
	draft := s.MustCreateApp(t, ada, map[string]any{"title": "Second", "industry": "smart-ocean"})
	s.Must(t, 409, "PATCH", "/applications/"+draft.ID+"/screening", org.Token, map[string]any{"decision": "eligible"})

	var wd roadshow.Application
	s.Must(t, 200, "POST", "/applications/"+a.ID+"/withdraw", ada.Token, nil).JSON(t, &wd)
	if wd.Status != roadshow.StatusWithdrawn {
		t.Fatalf("got %s", wd.Status)
	}
	s.Must(t, 409, "POST", "/applications/"+a.ID+"/withdraw", ada.Token, nil)

	// The counters followed every step.
	var sum roadshow.Summary
	s.Must(t, 200, "GET", "/applications/summary", org.Token, nil).JSON(t, &sum)
	if len(sum.Industries) != 9 {
		t.Fatalf("got %d industries, want 9", len(sum.Industries))
	}
	want := map[string]map[roadshow.Status]int{"digital-tech": {roadshow.StatusWithdrawn: 1}, "smart-ocean": {roadshow.StatusDraft: 1}}
	for _, row := range sum.Industries {
		for _, st := range roadshow.Statuses() {
			if got := row.Counts[st]; got != want[row.Code][st] {
				t.Errorf("%s/%s: got %d, want %d", row.Code, st, got, want[row.Code][st])
			}
		}
	}
	if sum.Total != 2 {
		t.Errorf("total: got %d, want 2", sum.Total)
	}
}

func TestDeadline(t *testing.T) {
	t.Parallel()
	s := MustServer(t, serverOpts{Deadline: time.Now().Add(10 * time.Minute)})
	ada := s.MustApplicant(t, "late@example.com")
	a := s.MustCreateApp(t, ada, completeApplication("clean-energy"))
	s.Clock.Advance(11 * time.Minute)
	r := s.Must(t, 409, "POST", "/applications/"+a.ID+"/submit", ada.Token, nil)
	if !strings.Contains(string(r.Body), "deadline") {
		t.Fatalf("got %s", r.Body)
	}
	if got := s.MustGetApp(t, ada, a.ID); got.Status != roadshow.StatusDraft {
		t.Fatalf("status changed to %s", got.Status)
	}
}

func TestOwnership(t *testing.T) {
	t.Parallel()
	s := MustServer(t, serverOpts{})
	ada := s.MustApplicant(t, "ada@example.com")
	bob := s.MustApplicant(t, "bob@example.com")
	judge := s.MustStaff(t, roadshow.RoleJudge, "judge@example.com")
	investor := s.MustStaff(t, roadshow.RoleInvestor, "inv@example.com")
	a := s.MustCreateApp(t, ada, completeApplication("metaverse"))
	before := s.MustGetApp(t, ada, a.ID)

	for _, u := range []user{bob, judge, investor} {
		r := s.Must(t, 404, "GET", "/applications/"+a.ID, u.Token, nil)
		if r.ErrorCode(t) != "not_found" {
			t.Fatalf("got %s", r.Body)
		}
		s.Must(t, 404, "GET", "/applications/"+a.ID+"/deck", u.Token, nil)
	}
	s.Must(t, 404, "PATCH", "/applications/"+a.ID, bob.Token, map[string]any{"title": "Stolen"})
	s.Must(t, 404, "POST", "/applications/"+a.ID+"/submit", bob.Token, nil)
	s.Must(t, 404, "POST", "/applications/"+a.ID+"/withdraw", bob.Token, nil)
	if r := s.Do(t, "PUT", "/applications/"+a.ID+"/deck", bob.Token, bytes.NewReader(pdfBody(100)), "Content-Type", "application/pdf"); r.Status != 404 {
		t.Fatalf("bob's deck upload: got %d", r.Status)
	}
	// A missing id and a malformed one look the same as someone else's.
	s.Must(t, 404, "GET", "/applications/0123456789abcdef01234567", ada.Token, nil)
	s.Must(t, 404, "GET", "/applications/../../etc", ada.Token, nil)
	s.Must(t, 404, "PATCH", "/applications/%7B%24ne%3A1%7D", ada.Token, map[string]any{"title": "x"})

	var page roadshow.ApplicationPage
	s.Must(t, 200, "GET", "/applications", bob.Token, nil).JSON(t, &page)
	if len(page.Items) != 0 {
		t.Fatalf("bob sees %d applications", len(page.Items))
	}
	if got := s.MustGetApp(t, ada, a.ID); !jsonEqual(t, got, before) {
		t.Fatalf("changed: %+v", got)
	}
}

func TestListPagination(t *testing.T) {
	t.Parallel()
	s := MustServer(t, serverOpts{})
	ada := s.MustApplicant(t, "ada@example.com")
	bob := s.MustApplicant(t, "bob@example.com")
	org := s.MustStaff(t, roadshow.RoleOrganizer, "org@example.com")
	var adaIDs []string
	for i := 0; i < 7; i++ {
		ind := "life-health"
		if i%2 == 1 {
			ind = "digital-trade"
		}
		adaIDs = append(adaIDs, s.MustCreateApp(t, ada, map[string]any{"title": fmt.Sprint("A", i), "industry": ind}).ID)
	}
	s.MustCreateApp(t, bob, map[string]any{"title": "B", "industry": "life-health"})

	var seen []string
	cursor := ""
	for pages := 0; ; pages++ {
		var p roadshow.ApplicationPage
		s.Must(t, 200, "GET", "/applications?limit=3&cursor="+cursor, ada.Token, nil).JSON(t, &p)
		for _, a := range p.Items {
			seen = append(seen, a.ID)
		}
		if p.NextCursor == "" {
			break
		}
		cursor = p.NextCursor
		if pages > 5 {
			t.Fatal("pagination does not end")
		}
	}
	if len(seen) != 7 || seen[0] != adaIDs[6] || seen[6] != adaIDs[0] {
		t.Fatalf("got %v, want ada's 7 newest first", seen)
	}
	var p roadshow.ApplicationPage
	s.Must(t, 200, "GET", "/applications?industry=life-health&status=draft", org.Token, nil).JSON(t, &p)
	if len(p.Items) != 5 {
		t.Fatalf("organizer filter: got %d, want 5", len(p.Items))
	}
	for _, q := range []string{"?industry=space", "?status=lost", "?limit=0", "?limit=1000", "?limit=abc", "?cursor=zzz"} {
		if got := s.Must(t, 400, "GET", "/applications"+q, org.Token, nil).ErrorCode(t); got != "invalid" {
			t.Errorf("%s: got %s", q, got)
		}
	}
}

// pdfBody returns a minimal PDF of about n bytes.
func pdfBody(n int) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	for b.Len() < n-16 {
		b.WriteString("% padding padding padding\n")
	}
	b.WriteString("\n%%EOF\n")
	return b.Bytes()
}

func TestDeck(t *testing.T) {
	t.Parallel()
	s := MustServer(t, serverOpts{})
	ada := s.MustApplicant(t, "ada@example.com")
	org := s.MustStaff(t, roadshow.RoleOrganizer, "org@example.com")
	a := s.MustCreateApp(t, ada, completeApplication("high-end-equipment"))
	put := func(body []byte, ct string) response {
		t.Helper()
		return s.Do(t, "PUT", "/applications/"+a.ID+"/deck", ada.Token, bytes.NewReader(body), "Content-Type", ct)
	}
	if r := put([]byte("GIF89a not a pdf at all %%EOF"), "application/pdf"); r.Status != 422 {
		t.Fatalf("non-PDF: got %d %s", r.Status, r.Body)
	}
	if r := put(pdfBody(1000), "image/png"); r.Status != 422 {
		t.Fatalf("wrong content type: got %d %s", r.Status, r.Body)
	}
	big := pdfBody(roadshow.MaxDeckSize + 1000)
	if status := s.Raw(t, "PUT", "/applications/"+a.ID+"/deck", ada.Token, "application/pdf", big, true); status != 413 {
		t.Fatalf("oversized with Content-Length: got %d", status)
	}
	if status := s.Raw(t, "PUT", "/applications/"+a.ID+"/deck", ada.Token, "application/pdf", big, false); status != 413 {
		t.Fatalf("oversized, chunked: got %d", status)
	}
	if got := s.MustGetApp(t, ada, a.ID); got.Deck != nil {
		t.Fatalf("a refused upload left a deck: %+v", got.Deck)
	}
	deck := pdfBody(3 << 20) // several chunks
	if r := put(deck, "application/pdf"); r.Status != 200 {
		t.Fatalf("upload: got %d %s", r.Status, r.Body)
	}
	for _, u := range []user{ada, org} {
		r := s.Must(t, 200, "GET", "/applications/"+a.ID+"/deck", u.Token, nil)
		if !bytes.Equal(r.Body, deck) || r.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("download by %s: %d bytes, content type %q", u.Role, len(r.Body), r.Header.Get("Content-Type"))
		}
	}
	// Replacing keeps only the new one.
	deck2 := pdfBody(10_000)
	if r := put(deck2, "application/pdf"); r.Status != 200 {
		t.Fatalf("replace: got %d %s", r.Status, r.Body)
	}
	if r := s.Must(t, 200, "GET", "/applications/"+a.ID+"/deck", ada.Token, nil); !bytes.Equal(r.Body, deck2) {
		t.Fatalf("got %d bytes after replace", len(r.Body))
	}
	s.Must(t, 200, "POST", "/applications/"+a.ID+"/submit", ada.Token, nil)
	if r := put(deck, "application/pdf"); r.Status != 409 {
		t.Fatalf("after submit: got %d", r.Status)
	}
}

// A deck that takes longer than one store call's deadline to arrive (a slow
// connection) is still stored, not refused with a 500.
func TestDeckSlowUpload(t *testing.T) {
	t.Parallel()
	s := MustServer(t, serverOpts{})
	ada := s.MustApplicant(t, "slow@example.com")
	a := s.MustCreateApp(t, ada, completeApplication("clean-energy"))
	u, err := url.Parse(s.URL + "/applications/" + a.ID + "/deck")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.DialTimeout("tcp", u.Host, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(60 * time.Second))
	deck := pdfBody(100_000)
	half := len(deck) / 2
	fmt.Fprintf(conn, "PUT %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: application/pdf\r\nContent-Length: %d\r\n\r\n", u.RequestURI(), u.Host, ada.Token, len(deck))
	_, _ = conn.Write(deck[:half])
	// The slow link under test, not synchronisation: the second half arrives
	// after one store call's deadline would have run out.
	time.Sleep(roadshowhttp.StoreTimeout + 500*time.Millisecond)
	_, _ = conn.Write(deck[half:])
	resp, err := nethttp.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("slow upload: got %d, want 200", resp.StatusCode)
	}
	if got := s.MustGetApp(t, ada, a.ID); got.Deck == nil || got.Deck.Size != int64(len(deck)) {
		t.Fatalf("deck after a slow upload: %+v", got.Deck)
	}
}

// Bodies sent with Transfer-Encoding: chunked (any client that does not know
// the length in advance) are answered at once, not after the read timeout.
func TestChunkedBodies(t *testing.T) {
	t.Parallel()
	s := MustServer(t, serverOpts{})
	ada := s.MustApplicant(t, "chunked@example.com")
	a := s.MustCreateApp(t, ada, completeApplication("digital-trade"))
	client := &nethttp.Client{Timeout: 10 * time.Second, Transport: s.checked(t, nethttp.DefaultTransport)}
	for _, tt := range []struct {
		name, method, path, contentType string
		body                            []byte
	}{
		{"JSON", "PATCH", "/applications/" + a.ID, "application/json", []byte(`{"title": "Sent in chunks"}`)},
		{"Deck", "PUT", "/applications/" + a.ID + "/deck", "application/pdf", pdfBody(300_000)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// A reader of unknown length makes the client send chunks.
			req, err := nethttp.NewRequest(tt.method, s.URL+tt.path, io.MultiReader(bytes.NewReader(tt.body)))
			if err != nil {
				t.Fatal(err)
			}
			if req.ContentLength != 0 {
				t.Fatal("the request would not be chunked")
			}
			req.Header.Set("Authorization", "Bearer "+ada.Token)
			req.Header.Set("Content-Type", tt.contentType)
			resp, err := client.Do(req)
			if err != nil {
				t.Fatalf("%s %s: %v", tt.method, tt.path, err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("got %d, want 200", resp.StatusCode)
			}
		})
	}
	if got := s.MustGetApp(t, ada, a.ID); got.Title != "Sent in chunks" || got.Deck == nil {
		t.Fatalf("got title %q, deck %+v", got.Title, got.Deck)
	}
}

func TestBadInput(t *testing.T) {
	t.Parallel()
	s := MustServer(t, serverOpts{})
	ada := s.MustApplicant(t, "ada@example.com")
	a := s.MustCreateApp(t, ada, completeApplication("culture-tourism"))
	before := s.MustGetApp(t, ada, a.ID)
	huge := strings.Repeat("x", 2<<20)
	tests := []struct {
		name   string
		body   any
		status int
	}{
		{"MalformedJSON", `{"title": "x",`, 400},
		{"NotAnObject", `["title"]`, 400},
		{"TwoObjects", `{"title":"a"} {"title":"b"}`, 400},
		{"Empty", ``, 400},
		{"WrongType", `{"title": 42}`, 400},
		{"WrongNestedType", `{"fundingAsk": {"amount": "lots", "currency": "USD"}}`, 400},
		{"TeamNotAList", `{"team": "everyone"}`, 400},
		{"UnknownField", `{"status": "eligible"}`, 400},
		{"OwnerField", `{"ownerId": "0123456789abcdef01234567"}`, 400},
		{"UnknownIndustry", `{"industry": "space-mining"}`, 422},
		{"EmptyTitle", `{"title": ""}`, 422},
		{"LongSummary", `{"summary": "` + strings.Repeat("长", 2001) + `"}`, 422},
		{"BadURL", `{"website": "javascript:alert(1)"}`, 422},
		{"BadTimezone", `{"timezone": "Mars/Olympus"}`, 422},
		{"BadCountry", `{"country": "ZZ"}`, 422},
		{"NegativeAmount", `{"fundingAsk": {"amount": -5, "currency": "USD"}}`, 422},
		{"BadCurrency", `{"fundingAsk": {"amount": 5, "currency": "BTC"}}`, 422},
		{"TooManyMembers", `{"team": [` + strings.Repeat(`{"name":"a","role":"b"},`, 20) + `{"name":"a","role":"b"}]}`, 422},
		{"Oversized", `{"summary": "` + huge + `"}`, 413},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.Do(t, "PATCH", "/applications/"+a.ID, ada.Token, tt.body)
			if r.Status != tt.status {
				t.Fatalf("got %d, want %d: %.300s", r.Status, tt.status, r.Body)
			}
			r.ErrorCode(t)
		})
	}
	if got := s.MustGetApp(t, ada, a.ID); !jsonEqual(t, got, before) {
		t.Fatalf("bad input changed the application:\n got %+v\nwant %+v", got, before)
	}
	t.Run("WrongContentType", func(t *testing.T) {
		r := s.Do(t, "POST", "/applications", ada.Token, strings.NewReader(`{"title":"x","industry":"metaverse"}`), "Content-Type", "text/plain")
		if r.Status != 400 {
			t.Fatalf("got %d", r.Status)
		}
	})
	t.Run("FieldErrorsOnCreate", func(t *testing.T) {
		r := s.Must(t, 422, "POST", "/applications", ada.Token, map[string]any{"summary": "no title"})
		if f := r.Fields(t); f["title"] == "" || f["industry"] == "" {
			t.Fatalf("got %v", f)
		}
	})
}

func TestSecurityHeadersAndErrors(t *testing.T) {
	t.Parallel()
	s := MustServer(t, serverOpts{})
	r := s.Must(t, 200, "GET", "/industries", "", nil)
	for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"} {
		if got := r.Header.Get(h); got != want {
			t.Errorf("%s: got %q, want %q", h, got, want)
		}
	}
	if !strings.Contains(r.Header.Get("Content-Security-Policy"), "default-src 'self'") {
		t.Errorf("CSP: %q", r.Header.Get("Content-Security-Policy"))
	}
	var inds []roadshow.Industry
	r.JSON(t, &inds)
	if len(inds) != 9 || inds[0].Code != "digital-tech" || inds[1].NameZH != "元宇宙" {
		t.Fatalf("got %+v", inds)
	}
	if got := s.Must(t, 404, "GET", "/nope", "", nil).ErrorCode(t); got != "not_found" {
		t.Fatalf("unknown route: %s", got)
	}
}

// TestConcurrentChangesKeepCountersExact creates and submits applications
// from many clients at once; the 1+8 counters must match exactly.
func TestConcurrentChangesKeepCountersExact(t *testing.T) {
	t.Parallel()
	s := MustServer(t, serverOpts{})
	org := s.MustStaff(t, roadshow.RoleOrganizer, "org@example.com")
	const clients, each = 6, 5
	users := make([]user, clients)
	for i := range users {
		users[i] = s.MustApplicant(t, fmt.Sprintf("c%d@example.com", i))
	}
	errc := make(chan error, clients)
	for i := range users {
		go func(u user) {
			for j := 0; j < each; j++ {
				r := s.Do(t, "POST", "/applications", u.Token, completeApplication("connected-vehicles"))
				if r.Status != 201 {
					errc <- fmt.Errorf("create: %d %s", r.Status, r.Body)
					return
				}
				var a roadshow.Application
				if err := json.Unmarshal(r.Body, &a); err != nil {
					errc <- err
					return
				}
				if j%2 == 0 {
					if r := s.Do(t, "POST", "/applications/"+a.ID+"/submit", u.Token, nil); r.Status != 200 {
						errc <- fmt.Errorf("submit: %d %s", r.Status, r.Body)
						return
					}
				}
			}
			errc <- nil
		}(users[i])
	}
	for range users {
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
	}
	var sum roadshow.Summary
	s.Must(t, 200, "GET", "/applications/summary", org.Token, nil).JSON(t, &sum)
	submitted := clients * ((each + 1) / 2)
	if got := sum.Totals[roadshow.StatusSubmitted]; got != submitted {
		t.Errorf("submitted: got %d, want %d", got, submitted)
	}
	if got := sum.Totals[roadshow.StatusDraft]; got != clients*each-submitted {
		t.Errorf("drafts: got %d, want %d", got, clients*each-submitted)
	}
}
