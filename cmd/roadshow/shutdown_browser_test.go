package main

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// testServerRestart is issue 11, point 5, in the browser: a judge is in a
// live room when the server shuts down; the page says that the server is
// restarting while it tries to come back, and is in the room again once
// the server is back on the same address, without a reload.
func testServerRestart(t *testing.T, browserCtx context.Context) {
	start := time.Now()
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	env := func() map[string]string {
		return map[string]string{
			"ROADSHOW_DATA_DIR": dir, "ROADSHOW_ADMIN_EMAIL": browserAdminEmail, "ROADSHOW_ADMIN_PASSWORD": browserAdminPassword,
			"ROADSHOW_WEBRTC_LOOPBACK": "true", "ROADSHOW_ADDR": "127.0.0.1:" + strconv.Itoa(port),
		}
	}
	srv := MustServe(t, env())
	f := mustBrowserLiveFixture(t, srv.URL)
	org, status := login(t, srv.URL, browserAdminEmail, browserAdminPassword)
	if status != 200 {
		t.Fatalf("organizer login: %d", status)
	}
	if s := call(t, "POST", srv.URL+"/api/v1/sessions/"+f.session+"/start", org, nil, nil); s != 200 {
		t.Fatalf("start: %d", s)
	}

	judge := newBrowserTab(t, browserCtx, srv.URL, "judge")
	judge.login(f.judgeMail, browserPassword, "home")
	judge.do("in the room", chromedp.Navigate(srv.URL+"/#/sessions/"+f.session), uiPage("session"),
		uiWait(`document.querySelector('#room-status').dataset.state === 'live'`),
		uiJS(`window.testNoReload = true`))

	// Graceful shutdown: the relay's bye reaches the page, which keeps
	// saying so while the server is away.
	srv.Stop(t)
	judge.do("told", uiWait(`document.querySelector('#room-status').dataset.state === 'reconnecting'`),
		uiWait(`document.querySelector('#room-notice') && document.querySelector('#room-notice').dataset.key === 'room.server_closing'`),
		uiWait(`document.querySelector('#room-notice').textContent.includes('The server is restarting')`))
	// Still so after the first attempts to come back have failed.
	judge.do("still told", uiWait(`Number(document.querySelector('#room-status').dataset.attempt) >= 2`),
		uiWait(`document.querySelector('#room-notice').dataset.key === 'room.server_closing'`))
	judge.audit("live room (server restarting)")

	// The server is back: the page rejoins by itself.
	MustServe(t, env())
	judge.do("back in the room", uiWait(`document.querySelector('#room-status').dataset.state === 'live'`),
		uiWait(`!document.querySelector('#room-notice')`),
		uiWait(`window.testNoReload === true`))
	t.Logf("issue 11 server restart: %.1fs", time.Since(start).Seconds())
}
