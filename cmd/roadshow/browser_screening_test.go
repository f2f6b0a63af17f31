package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// testScreeningQueue is issue 12, point 8 (the organizers' part): an
// organizer works through the screening queue with the keyboard, reads a
// deck inline beside the application, and decides on the rest of the list
// in bulk after a confirmation naming them.
func testScreeningQueue(t *testing.T, browserCtx context.Context) {
	start := time.Now()
	srv := MustServe(t, map[string]string{
		"ROADSHOW_DATA_DIR": t.TempDir(), "ROADSHOW_ADMIN_EMAIL": browserAdminEmail, "ROADSHOW_ADMIN_PASSWORD": browserAdminPassword,
	})
	api := srv.URL + "/api/v1"
	var ids []string
	members := []string{"Alba Rossi", "Bruno Keller", "Chiara Neri", "Dmitri Orlov"}
	for i, title := range []string{"Queue team A", "Queue team B", "Queue team C", "Queue team D"} {
		email := fmt.Sprintf("queue%d@team%d.example", i, i)
		if s := call(t, "POST", api+"/auth/register", "", map[string]string{"email": email, "password": browserPassword, "name": fmt.Sprintf("Founder %d", i), "country": "DE"}, nil); s != 202 {
			t.Fatalf("register: %d", s)
		}
		tok, _ := login(t, srv.URL, email, browserPassword)
		var a struct {
			ID string `json:"id"`
		}
		body := map[string]any{
			"title": title, "summary": "Vision inspection on the factory edge.",
			"industry": "digital-tech", "stage": "pilot", "country": "DE", "timezone": "Europe/Berlin",
			"team":        []map[string]any{{"name": members[i], "role": "CEO", "nationality": "DE", "bio": "Engineer."}},
			"fundingAsk":  map[string]any{"amount": 500000, "currency": "EUR"},
			"landingPlan": "A subsidiary in the zone in 2027.",
		}
		if s := call(t, "POST", api+"/applications", tok, body, &a); s != 201 {
			t.Fatalf("create application: %d", s)
		}
		if i == 0 {
			pdf := []byte("%PDF-1.4\n1 0 obj << /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >> endobj\n2 0 obj << /Type /Page >> endobj\n3 0 obj << /Type /Page >> endobj\ntrailer<<>>\n%%EOF\n")
			req, err := http.NewRequest("PUT", api+"/applications/"+a.ID+"/deck", bytes.NewReader(pdf))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+tok)
			req.Header.Set("Content-Type", "application/pdf")
			res, err := http.DefaultClient.Do(req)
			if err != nil || res.StatusCode != 200 {
				t.Fatalf("upload deck: %v %v", res, err)
			}
			res.Body.Close()
		}
		if s := call(t, "POST", api+"/applications/"+a.ID+"/submit", tok, nil, nil); s != 200 {
			t.Fatalf("submit: %d", s)
		}
		ids = append(ids, a.ID)
	}

	org := newBrowserTab(t, browserCtx, srv.URL, "screener")
	org.login(browserAdminEmail, browserAdminPassword, "dashboard")
	org.do("the list, with its total",
		chromedp.Navigate(srv.URL+"/#/review"), uiPage("review"),
		uiWait(`document.querySelectorAll('.app-row').length === 4`),
		uiWait(`document.querySelector('#review-count').dataset.total === '4'`))
	org.do("search a team member",
		uiSetValue("#review-q", "chiara"), uiClick("#review-search"),
		uiWait(`location.hash.includes('q=chiara') && document.body.dataset.page === 'review'`),
		uiWait(`document.querySelectorAll('.app-row').length === 1 && `+uiText(".app-row .cell-title")+` === 'Queue team C'`),
		uiSetValue("#review-q", ""), uiClick("#review-search"),
		uiWait(`!location.hash.includes('q=') && document.body.dataset.page === 'review' && document.querySelectorAll('.app-row').length === 4`))
	org.audit("review list")
	org.phone("issue12-review-list")
	org.desktop()

	org.do("open the queue: the oldest submission first",
		uiClick("#open-queue"), uiPage("review-detail"),
		uiWait(`document.querySelector('.review-detail').dataset.queue === '1'`),
		uiWait(uiText("#detail-title")+` === 'Queue team A'`),
		uiWait(`document.querySelector('#queue-remaining').dataset.n === '4'`))

	org.do("read the deck inline",
		uiClick("#deck-read"),
		uiWait(`!!document.querySelector('#deck-frame') && document.querySelector('#deck-frame').getAttribute('src').includes('/deck/view?t=')`),
		uiWait(`document.querySelector('#deck-meta').dataset.pages === '2'`),
		// The frame holds the PDF document: a frame the browser refused
		// (X-Frame-Options, CSP) would hold its error page instead.
		uiWait(`(() => { const d = document.querySelector('#deck-frame').contentDocument;
			return d && d.contentType === 'application/pdf' })()`))
	// What the frame loads: the PDF, inline, framable by this origin only.
	got, err := chromedp.Run(org.ctx, chromedp.Evaluate[string](`(async () => {
		const r = await fetch(document.querySelector('#deck-frame').getAttribute('src'));
		return [r.status, r.headers.get('content-type'), r.headers.get('content-disposition').split(';')[0],
			r.headers.get('x-frame-options'), r.headers.get('content-security-policy')].join(' | ');
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("fetch the inline deck: %v", err)
	}
	if want := "200 | application/pdf | inline | SAMEORIGIN | frame-ancestors 'self'"; got != want {
		t.Fatalf("the inline deck: got %q, want %q", got, want)
	}
	org.audit("review detail with the deck")
	org.screenshot("issue12-review-detail")
	org.do("中文", uiClick("#lang-toggle"), uiWait(`document.body.dataset.lang === 'zh'`))
	org.screenshot("issue12-review-detail-zh")
	org.do("English", uiClick("#lang-toggle"), uiWait(`document.body.dataset.lang === 'en'`))
	org.phone("issue12-review-detail")
	org.desktop()

	org.do("E then Enter: eligible",
		chromedp.SendKeys(chromedp.CSS("#back-to-list"), "e"),
		uiWait(`document.querySelector('#screen-eligible').checked`),
		chromedp.SendKeys(chromedp.CSS("#screen-eligible"), "\r"),
		uiWait(`document.querySelector('#app-status').dataset.status === 'eligible'`),
		uiWait(`document.querySelectorAll('#screening-history li').length === 1`))
	org.do("N: the next unscreened",
		chromedp.SendKeys(chromedp.CSS("#screen-submit"), "n"),
		uiWait(`document.body.dataset.page === 'review-detail' && `+uiText("#detail-title")+` === 'Queue team B'`))
	org.do("I, a reason, Enter: ineligible",
		chromedp.SendKeys(chromedp.CSS("#back-to-list"), "i"),
		uiWait(`document.querySelector('#screen-ineligible').checked`),
		uiSetValue("#screen-reason", "out_of_scope"),
		chromedp.SendKeys(chromedp.CSS("#screen-ineligible"), "\r"),
		uiWait(`document.querySelector('#app-status').dataset.status === 'ineligible'`),
		uiWait(`document.querySelector('#screening-history li').dataset.decision === 'ineligible'`))
	org.do("P goes back through the list's order",
		chromedp.SendKeys(chromedp.CSS("#screen-submit"), "p"),
		uiWait(`document.body.dataset.page === 'review-detail' && `+uiText("#detail-title")+` === 'Queue team A'`))

	org.do("bulk: select the rest",
		chromedp.Navigate(srv.URL+"/#/review?status=submitted"), uiPage("review"),
		uiWait(`document.querySelectorAll('.app-row').length === 2`),
		uiClick("#select-page"),
		uiWait(`document.querySelector('#bulk-count').dataset.n === '2'`),
		uiClick("#bulk-eligible"), uiClick("#bulk-review"))
	org.do("bulk: the confirmation names how many and which",
		uiWait(`!!document.querySelector('#bulk-confirm')`),
		uiWait(uiText("#bulk-confirm-title")+` === 'Mark 2 applications as Eligible?'`),
		uiWait(`[...document.querySelectorAll('#bulk-confirm-list li')].map((li) => li.textContent).sort().join(',') === 'Queue team C,Queue team D'`))
	org.audit("bulk confirmation")
	org.do("bulk: confirm",
		uiClick("#bulk-confirm-yes"),
		uiWait(`[...document.querySelectorAll('.app-row')].every((r) => r.dataset.status === 'eligible')`),
		uiWait(`document.querySelector('#bulk-count').dataset.n === '0'`))
	org.do("the queue is empty",
		chromedp.Navigate(srv.URL+"/#/review/queue"), uiPage("review-queue"),
		uiWait(`!!document.querySelector('#queue-empty')`))
	for _, id := range ids {
		var a struct {
			Status string `json:"status"`
		}
		tok, _ := login(t, srv.URL, browserAdminEmail, browserAdminPassword)
		if s := call(t, "GET", api+"/applications/"+id, tok, nil, &a); s != 200 || a.Status == "submitted" {
			t.Fatalf("application %s after screening: %d %s", id, s, a.Status)
		}
	}
	t.Logf("issue 12 screening: %v", time.Since(start).Round(100*time.Millisecond))
}
