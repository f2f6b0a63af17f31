package http_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	nethttp "net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	roadshowhttp "github.com/roadshow/roadshow/internal/http"
	"github.com/roadshow/roadshow/internal/mail"
	"github.com/roadshow/roadshow/internal/mailpit"
	"github.com/roadshow/roadshow/roadshow"
)

// capturePost keeps the mail the services post, for tests that follow a
// link without a mail server (the Mailpit tests follow it through SMTP).
type capturePost struct {
	mu    sync.Mutex
	mails []roadshow.Mail
}

func (p *capturePost) Post(_ context.Context, m roadshow.Mail) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.mails = append(p.mails, m)
}

// secret returns the link secret of the last mail of kind to to.
func (p *capturePost) secret(tb testing.TB, to string, kind roadshow.MailKind) string {
	tb.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	for i := len(p.mails) - 1; i >= 0; i-- {
		if m := p.mails[i]; m.To == to && m.Kind == kind {
			_, secret, _ := strings.Cut(m.Link, "token=")
			return secret
		}
	}
	tb.Fatalf("no %s mail to %s", kind, to)
	return ""
}

func (p *capturePost) count(to string, kind roadshow.MailKind) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, m := range p.mails {
		if m.To == to && m.Kind == kind {
			n++
		}
	}
	return n
}

// TestRevokedTokens: disabling an account, changing its role or its
// password makes its earlier access and calendar tokens fail on the next
// request; the calendar link can be regenerated; a re-enabled account
// signs in again.
func TestRevokedTokens(t *testing.T) {
	t.Parallel()
	s := MustServer(t, serverOpts{})
	org := s.MustStaff(t, roadshow.RoleOrganizer, "org@example.com")
	ada := s.MustApplicant(t, "ada@example.com")
	var link struct{ URL string }
	s.Must(t, 200, "GET", "/me/calendar-link", ada.Token, nil).JSON(t, &link)
	feed := strings.TrimPrefix(link.URL, strings.TrimSuffix(s.URL, "/api/v1"))
	feed = strings.TrimPrefix(feed, "/api/v1")
	s.Must(t, 200, "GET", feed, "", nil)

	t.Run("ErrDisabled", func(t *testing.T) {
		yes := true
		s.Must(t, 200, "PATCH", "/accounts/"+ada.ID, org.Token, map[string]any{"disabled": yes})
		for _, path := range []string{"/me", "/applications"} {
			r := s.Do(t, "GET", path, ada.Token, nil)
			if r.Status != 401 || r.ErrorReply(t).Error.Key != "auth.token_revoked" {
				t.Fatalf("GET %s with a disabled account's token: got %d %s, want 401 auth.token_revoked", path, r.Status, r.Body)
			}
		}
		if r := s.Do(t, "GET", feed, "", nil); r.Status != 401 {
			t.Fatalf("calendar feed of a disabled account: got %d, want 401", r.Status)
		}
		s.Must(t, 401, "POST", "/auth/login", "", map[string]any{"email": "ada@example.com", "password": "correct-horse-1"})
		// Nor can it create an application.
		s.Must(t, 401, "POST", "/applications", ada.Token, completeApplication("metaverse"))
		s.Must(t, 200, "PATCH", "/accounts/"+ada.ID, org.Token, map[string]any{"disabled": false})
		ada = s.MustLogin(t, "ada@example.com", "correct-horse-1")
		s.Must(t, 200, "GET", "/me", ada.Token, nil)
		// The old feed link stays dead: the account's version moved on.
		s.Must(t, 401, "GET", feed, "", nil)
	})
	t.Run("ErrRoleChanged", func(t *testing.T) {
		jo := s.MustStaff(t, roadshow.RoleJudge, "jo@example.com")
		s.Must(t, 200, "PATCH", "/accounts/"+jo.ID, org.Token, map[string]any{"role": "investor"})
		s.Must(t, 401, "GET", "/me", jo.Token, nil)
		again := s.MustLogin(t, "jo@example.com", "staff-password-1")
		if again.Role != roadshow.RoleInvestor {
			t.Fatalf("got role %s, want investor", again.Role)
		}
		// Never their own role.
		r := s.Must(t, 403, "PATCH", "/accounts/"+org.ID, org.Token, map[string]any{"role": "judge"})
		if r.ErrorReply(t).Error.Key != "user.own_role" {
			t.Fatalf("got %s", r.Body)
		}
		s.Must(t, 403, "PATCH", "/accounts/"+org.ID, org.Token, map[string]any{"disabled": true})
	})
	t.Run("PasswordChanged", func(t *testing.T) {
		var out struct{ Token string }
		r := s.Must(t, 422, "POST", "/me/password", ada.Token, map[string]any{"currentPassword": "nope", "password": "a-better-password-1"})
		if r.Fields(t)["currentPassword"] == "" {
			t.Fatalf("got %s, want a field error on currentPassword", r.Body)
		}
		s.Must(t, 200, "POST", "/me/password", ada.Token, map[string]any{"currentPassword": "correct-horse-1", "password": "a-better-password-1"}).JSON(t, &out)
		s.Must(t, 401, "GET", "/me", ada.Token, nil)
		s.Must(t, 200, "GET", "/me", out.Token, nil)
		ada.Token = out.Token
	})
	t.Run("CalendarRegenerated", func(t *testing.T) {
		var old, fresh struct{ URL string }
		s.Must(t, 200, "GET", "/me/calendar-link", ada.Token, nil).JSON(t, &old)
		s.Must(t, 200, "POST", "/me/calendar-link", ada.Token, nil).JSON(t, &fresh)
		path := func(u string) string {
			p, _ := url.Parse(u)
			return strings.TrimPrefix(p.Path, "/api/v1") + "?" + p.RawQuery
		}
		s.Must(t, 401, "GET", path(old.URL), "", nil)
		s.Must(t, 200, "GET", path(fresh.URL), "", nil)
		// Access tokens are untouched by a new calendar link.
		s.Must(t, 200, "GET", "/me", ada.Token, nil)
	})
}

// TestEventStreamCloses: a session's event stream ends (close code 4001)
// once its token is revoked (here by a password change) or expires.
func TestEventStreamCloses(t *testing.T) {
	t.Parallel()
	for name, end := range map[string]func(t *testing.T, s *testServer, e liveEnv){
		"Revoked": func(t *testing.T, s *testServer, e liveEnv) {
			s.Must(t, 200, "POST", "/me/password", e.org.Token, map[string]any{"currentPassword": "staff-password-1", "password": "a-better-password-1"})
		},
		"Expired": func(t *testing.T, s *testServer, e liveEnv) { s.Clock.Advance(2 * time.Hour) }, // the tokens live one hour
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := MustServer(t, serverOpts{})
			e := newLiveEnv(t, s)
			conn, _, err := websocket.DefaultDialer.Dial(wsURL(s, e.session, e.org.Token), nil)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			readEvent(t, conn, roadshow.EventSession)
			end(t, s, e)
			waitClose(t, conn, 4001)
		})
	}
}

// TestProfile: a person changes their own profile; bad text is refused.
func TestProfile(t *testing.T) {
	t.Parallel()
	s := MustServer(t, serverOpts{})
	ada := s.MustApplicant(t, "ada@example.com")
	var me roadshow.User
	s.Must(t, 200, "PATCH", "/me", ada.Token, map[string]any{"name": "Ada\u202e Lovelace", "organization": "Analytical Engines",
		"timezone": "Europe/London", "language": "zh", "mailOptOut": true}).JSON(t, &me)
	if me.Name != "Ada Lovelace" || me.Organization != "Analytical Engines" || me.Language != "zh" || !me.MailOptOut || me.Timezone != "Europe/London" {
		t.Fatalf("got %+v", me)
	}
	for name, body := range map[string]map[string]any{
		"ErrNameNUL":       {"name": "\x00"},
		"ErrNameBlank":     {"name": " \u200b "},
		"ErrOrgNewline":    {"organization": "a\nb"},
		"ErrLanguage":      {"language": "fr"},
		"ErrTimezone":      {"timezone": "Mars/Olympus"},
		"ErrRoleNotHere":   {"role": "organizer"},
		"ErrEmailReadOnly": {"email": "x@example.com"},
	} {
		if r := s.Do(t, "PATCH", "/me", ada.Token, body); r.Status != 422 && r.Status != 400 {
			t.Errorf("%s: got %d %s, want 422 or 400", name, r.Status, r.Body)
		}
	}
}

// TestPasswordRulesOverHTTP: the registration names why a password is
// refused.
func TestPasswordRulesOverHTTP(t *testing.T) {
	t.Parallel()
	s := MustServer(t, serverOpts{})
	for pw, key := range map[string]string{
		strings.Repeat(" ", 10):    "user.password_blank",
		strings.Repeat("\x00", 10): "user.password_control",
		"1234567890":               "user.password_common",
		"nina@example.com":         "user.password_is_email",
	} {
		r := s.Must(t, 422, "POST", "/auth/register", "", map[string]any{"email": "nina@example.com", "password": pw, "name": "Nina", "country": "NO"})
		if got := r.ErrorReply(t).Error.Fields["password"].Key; got != key {
			t.Errorf("password %q: got %q, want %q", pw, got, key)
		}
	}
	r := s.Must(t, 422, "POST", "/applications", s.MustApplicant(t, "app@example.com").Token, map[string]any{"title": "\x00", "industry": "metaverse"})
	if r.Fields(t)["title"] == "" {
		t.Fatalf("a title of only a NUL: got %s, want a field error", r.Body)
	}
}

// TestForwardedHeaders: X-Forwarded-* count only from trusted proxies; links
// use the public URL, else a trusted host; WebSocket origins are checked
// against them.
func TestForwardedHeaders(t *testing.T) {
	t.Parallel()
	calendarHost := func(t *testing.T, s *testServer, tok string, hdr ...string) string {
		t.Helper()
		var link struct{ URL string }
		r := s.Do(t, "GET", "/me/calendar-link", tok, nil, hdr...)
		if r.Status != 200 {
			t.Fatalf("got %d %s", r.Status, r.Body)
		}
		r.JSON(t, &link)
		u, err := url.Parse(link.URL)
		if err != nil {
			t.Fatal(err)
		}
		return u.Scheme + "://" + u.Host
	}
	origin := func(t *testing.T, s *testServer, tok, session, origin string, hdr ...string) int {
		t.Helper()
		h := nethttp.Header{"Origin": {origin}}
		for i := 0; i+1 < len(hdr); i += 2 {
			h.Set(hdr[i], hdr[i+1])
		}
		conn, resp, _ := websocket.DefaultDialer.Dial(wsURL(s, session, tok), h)
		if conn != nil {
			conn.Close()
		}
		if resp == nil {
			return 0
		}
		return resp.StatusCode
	}

	t.Run("Untrusted", func(t *testing.T) {
		t.Parallel()
		s := MustServer(t, serverOpts{})
		e := newLiveEnv(t, s)
		own := strings.TrimSuffix(s.URL, "/api/v1")
		if got := calendarHost(t, s, e.org.Token, "X-Forwarded-Host", "evil.example", "X-Forwarded-Proto", "https"); got != own {
			t.Errorf("link with a forged X-Forwarded-Host: got %s, want the server's own %s", got, own)
		}
		if got := calendarHost(t, s, e.org.Token, "Host", "evil.example"); got != own {
			t.Errorf("link with Host: evil.example: got %s, want the server's own %s", got, own)
		}
		if got := origin(t, s, e.org.Token, e.session, "http://evil.example", "X-Forwarded-Host", "evil.example"); got != 403 {
			t.Errorf("WebSocket from evil.example with a forged X-Forwarded-Host: got %d, want 403", got)
		}
		if got := origin(t, s, e.org.Token, e.session, own); got != 101 {
			t.Errorf("WebSocket from the site itself: got %d, want 101", got)
		}
		// A forged X-Forwarded-For does not move a client into another bucket.
		limited := MustServer(t, serverOpts{Limits: roadshowhttp.Limits{LoginClient: roadshowhttp.RateLimit{Burst: 2, Every: time.Hour}}})
		for i := 0; i < 3; i++ {
			r := limited.Do(t, "POST", "/auth/login", "", map[string]any{"email": fmt.Sprintf("x%d@example.com", i), "password": "guess-number-1"},
				"X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i))
			if want := map[bool]int{true: 401, false: 429}[i < 2]; r.Status != want {
				t.Errorf("attempt %d with a forged X-Forwarded-For: got %d, want %d", i, r.Status, want)
			}
		}
	})
	t.Run("TrustedProxy", func(t *testing.T) {
		t.Parallel()
		s := MustServer(t, serverOpts{TrustedProxies: []string{"127.0.0.0/8"}})
		e := newLiveEnv(t, s)
		if got := calendarHost(t, s, e.org.Token, "X-Forwarded-Host", "roadshow.example", "X-Forwarded-Proto", "https"); got != "https://roadshow.example" {
			t.Errorf("link behind a trusted proxy: got %s, want https://roadshow.example", got)
		}
		if got := origin(t, s, e.org.Token, e.session, "https://roadshow.example", "X-Forwarded-Host", "roadshow.example", "X-Forwarded-Proto", "https"); got != 101 {
			t.Errorf("WebSocket from the proxied site: got %d, want 101", got)
		}
		if got := origin(t, s, e.org.Token, e.session, "http://evil.example", "X-Forwarded-Host", "roadshow.example"); got != 403 {
			t.Errorf("WebSocket from evil.example behind the proxy: got %d, want 403", got)
		}
		// Each client behind the proxy has its own bucket.
		limited := MustServer(t, serverOpts{TrustedProxies: []string{"127.0.0.0/8"},
			Limits: roadshowhttp.Limits{LoginClient: roadshowhttp.RateLimit{Burst: 1, Every: time.Hour}}})
		for i := 0; i < 2; i++ {
			r := limited.Do(t, "POST", "/auth/login", "", map[string]any{"email": "y@example.com", "password": "guess-number-1"},
				"X-Forwarded-For", fmt.Sprintf("198.51.100.%d", i))
			if r.Status != 401 {
				t.Errorf("client %d behind the proxy: got %d, want 401", i, r.Status)
			}
		}
	})
	t.Run("PublicURL", func(t *testing.T) {
		t.Parallel()
		s := MustServer(t, serverOpts{PublicURL: "https://roadshow.example.org"})
		e := newLiveEnv(t, s)
		if got := calendarHost(t, s, e.org.Token, "X-Forwarded-Host", "evil.example"); got != "https://roadshow.example.org" {
			t.Errorf("link with a public URL: got %s", got)
		}
		if got := origin(t, s, e.org.Token, e.session, "https://roadshow.example.org"); got != 101 {
			t.Errorf("WebSocket from the public URL: got %d, want 101", got)
		}
		if got := origin(t, s, e.org.Token, e.session, strings.TrimSuffix(s.URL, "/api/v1")); got != 403 {
			t.Errorf("WebSocket from another origin than the public URL: got %d, want 403", got)
		}
	})
}

// TestTransportErrors: failures before any route (headers too large, an
// unknown method, garbage) answer in the one JSON shape with the security
// headers, and are no 500.
func TestTransportErrors(t *testing.T) {
	t.Parallel()
	s := MustServer(t, serverOpts{ReadTimeout: time.Second})
	host := strings.TrimPrefix(strings.TrimSuffix(s.URL, "/api/v1"), "http://")
	raw := func(t *testing.T, req string) *nethttp.Response {
		t.Helper()
		c, err := net.Dial("tcp", host)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_ = c.SetDeadline(time.Now().Add(20 * time.Second))
		if _, err := c.Write([]byte(req)); err != nil {
			t.Fatal(err)
		}
		resp, err := nethttp.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatalf("read the answer: %v", err)
		}
		return resp
	}
	for _, tt := range []struct {
		name, req string
		status    int
		code      string
	}{
		{"HeadersTooLarge", "GET /api/v1/industries HTTP/1.1\r\nHost: x\r\nX-Big: " + strings.Repeat("a", 64<<10) + "\r\n\r\n", 431, "too_large"},
		{"UnknownMethod", "BREW /api/v1/industries HTTP/1.1\r\nHost: x\r\n\r\n", 0, ""},
		{"Garbage", "\x00\x01\x02 nonsense\r\n\r\n", 0, ""},
		// Headers that never end: the read times out.
		{"Timeout", "GET /api/v1/industries HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n", 408, "invalid"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp := raw(t, tt.req)
			defer resp.Body.Close()
			if resp.StatusCode >= 500 {
				t.Fatalf("got %d, want no 5xx", resp.StatusCode)
			}
			if tt.status != 0 && resp.StatusCode != tt.status {
				t.Fatalf("got %d, want %d", resp.StatusCode, tt.status)
			}
			if resp.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
				t.Fatalf("got headers %v, want JSON with the security headers", resp.Header)
			}
			var body [4096]byte
			n, _ := resp.Body.Read(body[:])
			r := response{Status: resp.StatusCode, Body: body[:n]}
			if code := r.ErrorCode(t); tt.code != "" && code != tt.code {
				t.Fatalf("got code %s, want %s", code, tt.code)
			}
		})
	}
}

// TestLoginFloodKeepsUsersServed: 400 concurrent log-ins with unknown
// e-mails, from 400 addresses behind a trusted proxy (so that only the
// hashing slots and the global limit stand in their way), while a signed-in
// user keeps reading. Every answer of the user's is a 200 and no answer at
// all is a 5xx. (The figures are in the README, from `roadshow flood`; this
// test asserts no durations.)
func TestLoginFloodKeepsUsersServed(t *testing.T) {
	t.Parallel()
	s := MustServer(t, serverOpts{TrustedProxies: []string{"127.0.0.0/8"}, PasswordSlots: 2, PasswordWait: 500 * time.Millisecond})
	ada := s.MustApplicant(t, "ada@example.com")
	const flood = 400
	var wg sync.WaitGroup
	statuses := make(chan int, flood)
	client := &nethttp.Client{Timeout: 2 * time.Minute, Transport: s.checked(t, &nethttp.Transport{MaxConnsPerHost: flood, MaxIdleConnsPerHost: flood})}
	for i := range flood {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := strings.NewReader(fmt.Sprintf(`{"email":"nobody%d@example.com","password":"guess-number-%d"}`, i, i))
			req, _ := nethttp.NewRequest("POST", s.URL+"/auth/login", body)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.1", i/250, i%250))
			resp, err := client.Do(req)
			if err != nil {
				statuses <- 0
				return
			}
			resp.Body.Close()
			statuses <- resp.StatusCode
		}()
	}
	served := 0
	for i := 0; i < 20; i++ {
		r := s.Do(t, "GET", "/me", ada.Token, nil)
		if r.Status != 200 {
			t.Errorf("signed-in user's request %d during the flood: got %d %s", i, r.Status, r.Body)
		}
		served++
	}
	wg.Wait()
	close(statuses)
	counts := map[int]int{}
	for st := range statuses {
		counts[st]++
	}
	for st, n := range counts {
		if st != 401 && st != 429 {
			t.Errorf("flood answers: %d with status %d, want only 401 and 429 (%v)", n, st, counts)
		}
	}
	t.Logf("flood answers %v; the user was served %d of 20", counts, served)
}

// liveEnv is an organizer and a scheduled session of one team.
type liveEnv struct {
	org     user
	session string
}

func newLiveEnv(tb testing.TB, s *testServer) liveEnv {
	tb.Helper()
	e := MustEdition(tb, s, "smart-ocean", []string{"Asia/Shanghai"})
	res := e.plan(tb, map[string]any{"firstStart": time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)})
	if len(res.Sessions) != 1 {
		tb.Fatalf("plan: got %+v", res)
	}
	return liveEnv{org: e.org, session: res.Sessions[0].ID}
}

// TestPasswordResetThroughMailpit: the forgotten-password e-mail arrives
// at a real SMTP server; its link sets a new password once; the answer to
// the request is the same for an unknown address, which gets no mail.
func TestPasswordResetThroughMailpit(t *testing.T) {
	t.Parallel()
	mp := mailpit.Start(t, mailpit.Options{})
	s := MustServer(t, serverOpts{SMTP: &mail.SMTPConfig{Host: mp.SMTPHost, Port: mp.SMTPPort, TLS: mail.TLSNone, From: "Roadshow <roadshow@example.com>"}})
	s.MustApplicant(t, "ada@example.com")
	welcome := mp.WaitFor(t, "ada@example.com", "Welcome", 1)
	confirm := mailpit.LinkWith(welcome.Text, "/#/confirm?token=")
	if confirm == "" {
		t.Fatalf("no confirmation link in %s", welcome.Text)
	}
	_, token, _ := strings.Cut(confirm, "token=")
	s.Must(t, 200, "POST", "/auth/confirm", "", map[string]any{"token": token})

	known := s.Must(t, 202, "POST", "/auth/forgot", "", map[string]any{"email": "ada@example.com"})
	unknown := s.Must(t, 202, "POST", "/auth/forgot", "", map[string]any{"email": "nobody@example.com"})
	if string(known.Body) != string(unknown.Body) {
		t.Fatalf("answers differ: %s vs %s", known.Body, unknown.Body)
	}
	msg := mp.WaitFor(t, "ada@example.com", "password", 1)
	link := mailpit.LinkWith(msg.Text, "/#/reset?token=")
	if !strings.HasPrefix(link, strings.TrimSuffix(s.URL, "/api/v1")+"/#/reset?token=") {
		t.Fatalf("reset link %q, want one to this server", link)
	}
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	q, _ := url.ParseQuery(strings.TrimPrefix(u.Fragment, "/reset?"))
	var out struct{ Token string }
	s.Must(t, 200, "POST", "/auth/reset", "", map[string]any{"token": q.Get("token"), "password": "tidal-drones-at-dawn"}).JSON(t, &out)
	s.Must(t, 200, "GET", "/me", out.Token, nil)
	s.MustLogin(t, "ada@example.com", "tidal-drones-at-dawn")
	s.Must(t, 401, "POST", "/auth/login", "", map[string]any{"email": "ada@example.com", "password": "correct-horse-1"})
	r := s.Must(t, 422, "POST", "/auth/reset", "", map[string]any{"token": q.Get("token"), "password": "another-password-77"})
	if r.ErrorReply(t).Error.Key != "user.link_invalid" {
		t.Fatalf("a used link: got %s", r.Body)
	}
	// Organizers see that the address was confirmed.
	org := s.MustStaff(t, roadshow.RoleOrganizer, "org@example.com")
	var page roadshow.UserPage
	s.Must(t, 200, "GET", "/accounts?q=ada", org.Token, nil).JSON(t, &page)
	if len(page.Items) != 1 || page.Items[0].EmailConfirmed == nil {
		t.Fatalf("accounts: got %+v, want ada confirmed", page.Items)
	}
	// No mail went to the unknown address.
	list, err := mp.Messages(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range list {
		for _, a := range m.To {
			if a.Address == "nobody@example.com" {
				t.Fatalf("mail to an unknown address: %+v", m)
			}
		}
	}
}

// TestNotifications: applicants hear by e-mail of their application's
// steps, in their language, with the calendar entry of their slot, unless
// they turned notifications off.
func TestNotifications(t *testing.T) {
	t.Parallel()
	post := &capturePost{}
	s := MustServer(t, serverOpts{Post: post})
	e := MustEdition(t, s, "smart-ocean", []string{"Asia/Shanghai", "Europe/Berlin"})
	a, b := e.teams[0].Email, e.teams[1].Email
	for _, to := range []string{a, b} {
		if post.count(to, roadshow.MailApplicationReceived) != 1 || post.count(to, roadshow.MailScreeningDecision) != 1 {
			t.Fatalf("%s: got %+v, want a received and a screening mail", to, post.mails)
		}
	}
	s.Must(t, 200, "PATCH", "/me", e.teams[1].Token, map[string]any{"mailOptOut": true, "language": "zh"})
	res := e.plan(t, map[string]any{"firstStart": time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)})
	if post.count(a, roadshow.MailSlotAssigned) != 1 || post.count(b, roadshow.MailSlotAssigned) != 0 {
		t.Fatalf("slot mails: got %+v, want one to %s and none to the one who opted out", post.mails, a)
	}
	post.mu.Lock()
	var slot roadshow.Mail
	for _, m := range post.mails {
		if m.Kind == roadshow.MailSlotAssigned {
			slot = m
		}
	}
	post.mu.Unlock()
	if len(slot.Attachments) != 1 || !strings.Contains(string(slot.Attachments[0].Data), "BEGIN:VEVENT") || slot.Args["timezone"] != "Asia/Shanghai" {
		t.Fatalf("slot mail: %+v", slot)
	}
	se := res.Sessions[0]
	ids := []string{se.Slots[1].ApplicationID, se.Slots[0].ApplicationID}
	s.Must(t, 200, "PUT", "/sessions/"+se.ID+"/order", e.org.Token, map[string]any{"applicationIds": ids})
	if post.count(a, roadshow.MailSlotChanged) != 1 {
		t.Fatalf("after reordering: got %+v, want a changed-slot mail to %s", post.mails, a)
	}
	for _, step := range []string{"start", "end"} {
		s.Must(t, 200, "POST", "/sessions/"+se.ID+"/"+step, e.org.Token, nil)
	}
	// Nobody scored: publishing confirms the gaps.
	var rep roadshow.CompletenessReport
	s.Must(t, 200, "GET", "/sessions/"+se.ID+"/completeness", e.org.Token, nil).JSON(t, &rep)
	s.Must(t, 200, "POST", "/sessions/"+se.ID+"/results/publish", e.org.Token, map[string]any{"confirmGaps": rep.GapsDigest})
	if post.count(a, roadshow.MailResultsPublished) != 1 || post.count(b, roadshow.MailResultsPublished) != 0 {
		t.Fatalf("results mails: %+v", post.mails)
	}
}

// TestOrganizersSeeApplicantEmail: the application page and the CSV tell
// organizers who applied; nobody else reads the address.
func TestOrganizersSeeApplicantEmail(t *testing.T) {
	t.Parallel()
	s := MustServer(t, serverOpts{})
	org := s.MustStaff(t, roadshow.RoleOrganizer, "org@example.com")
	ada := s.MustApplicant(t, "ada@example.com")
	a := s.MustCreateApp(t, ada, completeApplication("metaverse"))
	r := s.Must(t, 200, "GET", "/applications/"+a.ID, org.Token, nil)
	var v struct {
		Owner *roadshow.ApplicationOwner `json:"owner"`
	}
	r.JSON(t, &v)
	if v.Owner == nil || v.Owner.Email != "ada@example.com" || v.Owner.Name != "Ada Founder" {
		t.Fatalf("organizer's view: got owner %+v", v.Owner)
	}
	if r := s.Must(t, 200, "GET", "/applications/"+a.ID, ada.Token, nil); strings.Contains(string(r.Body), `"owner"`) {
		t.Fatalf("the applicant's view carries the owner block: %s", r.Body)
	}
	csv := s.Must(t, 200, "GET", "/exports/applications.csv", org.Token, nil)
	if !strings.Contains(string(csv.Body), "applicant_email") || !strings.Contains(string(csv.Body), "ada@example.com") {
		t.Fatalf("CSV without the applicant's e-mail:\n%s", csv.Body)
	}
}

// TestLiveSocketClosesOnRevocation: a judge's live room socket closes when
// an organizer disables the account, and the room token opens nothing after.
func TestLiveSocketClosesOnRevocation(t *testing.T) {
	t.Parallel()
	e, id := liveEdition(t)
	s := e.s
	s.Must(t, 200, "POST", "/sessions/"+id+"/start", e.org.Token, nil)
	tok := roomToken(t, s, id, e.judges[0])
	conn, status := dialLive(t, s, id, tok)
	if conn == nil {
		t.Fatalf("live socket: got %d", status)
	}
	defer conn.Close()
	s.Must(t, 200, "PATCH", "/accounts/"+e.judges[0].ID, e.org.Token, map[string]any{"disabled": true})
	waitClose(t, conn, 4001)
	if c, status := dialLive(t, s, id, tok); c != nil || status != 401 {
		t.Fatalf("the room token after the account was disabled: got %d, want 401", status)
	}
}

// waitClose reads from conn until it closes, and fails unless the close
// code is code.
func waitClose(tb testing.TB, conn *websocket.Conn, code int) {
	tb.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		_ = conn.SetReadDeadline(deadline)
		if _, _, err := conn.ReadMessage(); err != nil {
			if !websocket.IsCloseError(err, code) {
				tb.Fatalf("the stream ended with %v, want close code %d", err, code)
			}
			return
		}
	}
}
