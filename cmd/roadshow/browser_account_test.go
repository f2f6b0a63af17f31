package main

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/roadshow/roadshow/internal/mailpit"
)

// testPasswordReset is issue 10's journey: a founder who forgot the
// password asks for a link, opens it from the e-mail Mailpit received,
// chooses a new password and is signed in; an organizer finds the account,
// sees it confirmed and disables it, which signs the founder out.
func testPasswordReset(t *testing.T, browserCtx context.Context) {
	start := time.Now()
	mp := mailpit.Start(t, mailpit.Options{})
	srv := MustServe(t, map[string]string{
		"ROADSHOW_DATA_DIR": t.TempDir(), "ROADSHOW_ADMIN_EMAIL": browserAdminEmail, "ROADSHOW_ADMIN_PASSWORD": browserAdminPassword,
		"ROADSHOW_SMTP_HOST": mp.SMTPHost, "ROADSHOW_SMTP_PORT": strconv.Itoa(mp.SMTPPort), "ROADSHOW_SMTP_TLS": "none",
		"ROADSHOW_SMTP_FROM": "Roadshow <roadshow@example.com>",
	})
	const email = "boston@example.com"
	if s := call(t, "POST", srv.URL+"/api/v1/auth/register", "", map[string]string{"email": email, "password": "first-long-password", "name": "Bo Ston", "country": "US"}, nil); s != 202 {
		t.Fatalf("register: %d", s)
	}
	// The welcome mail confirms the address.
	welcome := mp.WaitFor(t, email, "Welcome", 1)
	b := newBrowserTab(t, browserCtx, srv.URL, "founder")
	b.do("confirm the address", chromedp.Navigate(mailpit.LinkWith(welcome.Text, "/#/confirm?token=")), uiPage("confirm"),
		uiWait(`!!document.querySelector('#confirm-done')`))

	b.do("forgot", chromedp.Navigate(srv.URL+"/#/login"), uiPage("login"),
		uiClick("#to-forgot"), uiPage("forgot"))
	b.audit("forgot")
	b.do("ask for a link", uiSetValue("#forgot-email", email), uiClick("#forgot-submit"),
		uiWait(`!!document.querySelector('#forgot-done')`))
	msg := mp.WaitFor(t, email, "password", 1)
	link := mailpit.LinkWith(msg.Text, "/#/reset?token=")
	if link == "" {
		t.Fatalf("no reset link in the e-mail:\n%s", msg.Text)
	}
	b.do("open the link", chromedp.Navigate(link), uiPage("reset"))
	b.audit("reset")
	b.screenshot("issue10-reset")
	b.do("a password the rules refuse", uiSetValue("#reset-password", "1234567890"), uiClick("#reset-submit"),
		uiWait(`!!document.querySelector('.field-error[data-field="password"]')`))
	b.do("choose a new password", uiSetValue("#reset-password", "tidal-drones-at-dawn"), uiClick("#reset-submit"),
		uiPage("applications"))
	b.do("profile", uiClick("#nav-profile"), uiPage("profile"),
		uiWait(`document.querySelector('#profile-email .badge').dataset.confirmed === 'yes'`))
	b.audit("profile")
	b.screenshot("issue10-profile")
	b.do("log out and in with the new password", uiClick("#logout"), uiPage("login"),
		uiSetValue("#login-email", email), uiSetValue("#login-password", "tidal-drones-at-dawn"),
		uiClick("#login-submit"), uiPage("applications"))

	org := newBrowserTab(t, browserCtx, srv.URL, "organizer")
	org.login(browserAdminEmail, browserAdminPassword, "dashboard")
	org.do("find the founder", chromedp.Navigate(srv.URL+"/#/users?q=boston"), uiPage("users"),
		uiWait(`document.querySelectorAll('.account-row').length === 1`),
		uiWait(`document.querySelector('.account-row').dataset.state === 'confirmed'`))
	org.audit("users")
	org.screenshot("issue10-users")
	org.phone("issue10-users")
	org.desktop()
	org.do("disable", uiClick(".account-row .account-disable"),
		uiWait(`document.querySelector('.account-row').dataset.state === 'disabled'`))
	// The founder's next request is refused: the page signs out.
	b.do("signed out", uiClick("#nav-profile"), uiPage("login"))
	t.Logf("issue 10 journey: %v", time.Since(start).Round(100*time.Millisecond))
}
