package main

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// testApplicantForm is issue 12's applicant half: the deadline is shown with
// its countdown, the form saves as the applicant types and survives a
// reload (from the server, and from the browser's copy of what was not saved
// yet), leaving with unsaved changes asks first, submitting asks and names
// what is locked, a submitted application reads as a summary and can be
// reopened; once the deadline has passed the form does not open.
func testApplicantForm(t *testing.T, browserCtx context.Context) {
	start := time.Now()
	deadline := time.Now().Add(50 * time.Hour).UTC().Truncate(time.Second)
	srv := MustServe(t, map[string]string{
		"ROADSHOW_DATA_DIR": t.TempDir(), "ROADSHOW_ADMIN_EMAIL": browserAdminEmail, "ROADSHOW_ADMIN_PASSWORD": browserAdminPassword,
		"ROADSHOW_DEADLINE": deadline.Format(time.RFC3339),
	})
	const email, password = "form@example.com", "a-long-password-1"
	if s := call(t, "POST", srv.URL+"/api/v1/auth/register", "", map[string]string{"email": email, "password": password, "name": "Fran Form", "country": "DE"}, nil); s != 202 {
		t.Fatalf("register: %d", s)
	}
	b := newBrowserTab(t, browserCtx, srv.URL, "applicant")
	step := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		t.Logf("%v: %s", time.Since(start).Round(100*time.Millisecond), name)
		b.do(name, actions...)
	}
	b.login(email, password, "applications")
	step("the deadline counts down on the home page",
		uiWait(`document.querySelector('#deadline-notice').dataset.state === 'soon'`),
		uiWait(`/2 d 2 h|2 d 1 h/.test(`+uiText("#deadline-notice")+`)`))

	saved := `document.querySelector('#save-state').dataset.state === 'saved'`
	step("start typing: nothing is saved before a title and an industry",
		uiClick("#new-application"), uiPage("application-new"),
		uiWait(`document.querySelector('#deadline-notice').dataset.state === 'soon'`),
		uiSetValue("#app-summary", "Autonomous drones"),
		uiWait(`document.querySelector('#save-state').dataset.state === 'pending'`))
	step("autosave creates the draft",
		uiSetValue("#app-title", "Tidal drones"), uiSetValue("#app-industry", "smart-ocean"),
		uiWait(`/^#\/applications\/[0-9a-f]{24}$/.test(location.hash)`), uiPage("application"),
		uiWait(saved))
	id := uiEvalString(b, `location.hash.split('/').pop()`)
	step("autosave survives a reload",
		uiSetValue("#app-summary", "Autonomous drones that map the sea floor."),
		uiWait(saved+` && !localStorage.getItem(Object.keys(localStorage).find((k) => k.startsWith('roadshow.draft.')) || '-')`),
		chromedp.Reload(), uiPage("application"),
		uiWait(`document.querySelector('#app-summary').value === 'Autonomous drones that map the sea floor.'`),
		uiWait(`!document.querySelector('#restored-notice')`))

	// Typed and reloaded before the pause that saves it: the browser's copy
	// comes back, and goes to the server.
	step("a change not yet saved survives a reload",
		uiJS(`const e = document.querySelector('#app-landing'); e.value = 'An office in the zone.'; e.dispatchEvent(new Event('input', {bubbles: true}))`),
		chromedp.Reload(), uiPage("application"),
		uiWait(`!!document.querySelector('#restored-notice')`),
		uiWait(`document.querySelector('#app-landing').value === 'An office in the zone.'`),
		uiWait(saved))
	step("it reached the server", chromedp.Reload(), uiPage("application"),
		uiWait(`!document.querySelector('#restored-notice')`),
		uiWait(`document.querySelector('#app-landing').value === 'An office in the zone.'`))

	step("offline: the change waits in the browser and goes when the connection is back",
		uiOffline(true))
	step("offline: type",
		uiSetValue("#app-website", "https://drones.example"))
	step("offline: state",
		uiWait(`document.querySelector('#save-state').dataset.state === 'offline'`),
		uiWait(`!!document.querySelector('#save-retry')`),
		uiOffline(false))
	// Back online, the browser says so and the page saves (the retry button
	// does the same when the browser does not notice).
	step("online again", uiJS(`window.dispatchEvent(new Event('online'))`),
		uiWait(saved))

	step("leaving with unsaved changes asks, and staying keeps them",
		uiJS(`window.realConfirm = window.realConfirm || window.confirm; window.confirm = () => false`),
		uiJS(`const e = document.querySelector('#app-video'); e.value = 'https://video.example/1'; e.dispatchEvent(new Event('input', {bubbles: true}))`),
		uiClick("#back-to-list"),
		uiWait(`document.body.dataset.page === 'application' && location.hash === '#/applications/`+id+`'`),
		uiWait(`document.querySelector('#app-video').value === 'https://video.example/1'`),
		uiWait(saved))
	step("leaving with everything saved asks nothing",
		uiJS(`window.confirm = () => { throw new Error('asked to leave with nothing unsaved') }`),
		uiClick("#back-to-list"), uiPage("applications"),
		uiWait(`document.querySelectorAll('.app-row').length === 1`),
		chromedp.Reload(), uiPage("applications"))

	step("complete the draft", uiClick(".app-row .cell-title a"), uiPage("application"),
		uiSetValue("#app-stage", "pilot"), uiSetValue("#app-country", "NO"), uiSetValue("#app-timezone", "Europe/Oslo"),
		uiClick("#add-member"), uiWait(`!!document.querySelector('#member-0-name')`),
		uiSetValue("#member-0-name", "Ingrid"), uiSetValue("#member-0-role", "CEO"),
		uiSetValue("#app-amount", "750000"), uiSetValue("#app-currency", "EUR"),
		uiWait(saved))
	b.audit("application form (autosave)")
	b.phone("issue12-form")
	b.desktop()
	step("submit asks first, naming what is locked; cancel keeps the draft",
		uiClick("#app-submit"),
		uiWait(`document.querySelector('#submit-confirm') && document.querySelector('#submit-confirm').open`),
		uiWait(`document.querySelectorAll('#submit-confirm-locked li').length === 6`),
		uiClick("#submit-confirm-cancel"),
		uiWait(`!document.querySelector('#submit-confirm')`),
		uiWait(`document.querySelector('#app-status').dataset.status === 'draft'`))
	b.screenshot("issue12-form")
	step("submit", uiClick("#app-submit"),
		uiWait(`document.querySelector('#submit-confirm') && document.querySelector('#submit-confirm').open`),
		uiClick("#submit-confirm-ok"),
		uiWait(`document.querySelector('#app-status').dataset.status === 'submitted'`),
		uiWait(`!!document.querySelector('#app-summary-view') && !document.querySelector('#app-form')`),
		uiWait(`!!document.querySelector('#app-reopen')`))
	b.audit("submitted application")
	b.screenshot("issue12-submitted")
	step("中文: the summary and the deadline read naturally",
		uiClick("#lang-toggle"), uiWait(`document.body.dataset.lang === 'zh'`),
		uiWait(uiText("#app-status")+` === '已提交'`),
		uiWait(`/\d+月\d+日 星期. \d+:\d\d \(GMT[+-]\d+\)/.test(`+uiText("#deadline-notice")+`)`),
		uiClick("#lang-toggle"), uiWait(`document.body.dataset.lang === 'en'`))
	step("reopen", uiClick("#app-reopen"),
		uiWait(`document.querySelector('#app-status').dataset.status === 'draft'`),
		uiWait(`!!document.querySelector('#app-form') && !document.querySelector('#app-title').disabled`),
		uiWait(`document.querySelectorAll('#app-history .history-entry').length === 1`))

	// The organizers move the deadline into the past: the form closes.
	org, status := login(t, srv.URL, browserAdminEmail, browserAdminPassword)
	if status != 200 {
		t.Fatalf("organizer login: %d", status)
	}
	past := time.Now().Add(-time.Minute).UTC().Format(time.RFC3339)
	if s := call(t, "PUT", srv.URL+"/api/v1/edition", org, map[string]any{"deadline": past}, nil); s != 200 {
		t.Fatalf("set the deadline: %d", s)
	}
	step("after the deadline the draft does not open for editing",
		chromedp.Reload(), uiPage("application"),
		uiWait(`document.querySelector('#deadline-notice').dataset.state === 'closed'`),
		uiWait(`!!document.querySelector('#read-only-notice') && !document.querySelector('#app-form')`),
		uiWait(`!document.querySelector('#app-submit') && !document.querySelector('#app-reopen')`))
	step("nor does a new one",
		uiClick("#back-to-list"), uiPage("applications"),
		uiWait(`document.querySelector('#deadline-notice').dataset.state === 'closed'`),
		uiWait(`!document.querySelector('#new-application')`),
		chromedp.Navigate(srv.URL+"/#/applications/new"), uiPage("application-new"),
		uiWait(`!!document.querySelector('#closed-notice') && !document.querySelector('#app-form')`))
	b.audit("closed")
	// The organizer's header: one row at 1280 px, in English and in Chinese.
	oneRow := `(() => { const tops = [...document.querySelectorAll('.header-inner > *')].map((e) => e.getBoundingClientRect());
		const mid = (r) => r.top + r.height / 2; return tops.length === 3 && tops.every((r) => Math.abs(mid(r) - mid(tops[0])) < 12)
		&& document.querySelector('.header-inner').scrollWidth <= document.querySelector('.header-inner').clientWidth + 1; })()`
	ob := newBrowserTab(t, browserCtx, srv.URL, "organizer")
	ob.login(browserAdminEmail, browserAdminPassword, "dashboard")
	ob.do("the header fits one row", uiWait(`innerWidth === 1280`), uiWait(oneRow),
		uiClick("#lang-toggle"), uiWait(`document.body.dataset.lang === 'zh'`), uiWait(oneRow),
		uiClick("#lang-toggle"), uiWait(`document.body.dataset.lang === 'en'`))
	ob.screenshot("issue12-organizer-header")
	if s := call(t, "PATCH", srv.URL+"/api/v1/applications/"+id, mustToken(t, srv.URL, email, password), map[string]any{"summary": "late"}, nil); s != 409 {
		t.Fatalf("late edit: got %d, want 409", s)
	}
	t.Logf("issue 12 applicant form: %v", time.Since(start).Round(100*time.Millisecond))
}

func mustToken(t *testing.T, base, email, password string) string {
	t.Helper()
	tok, status := login(t, base, email, password)
	if status != 200 {
		t.Fatalf("login %s: %d", email, status)
	}
	return tok
}
