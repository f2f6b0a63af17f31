package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/pion/webrtc/v3"
	"github.com/roadshow/roadshow/internal/synthmedia"
)

// The live room in real Chromium (issue 8): fake camera and microphone
// (--use-fake-device-for-media-stream), the relay offering 127.0.0.1
// (ROADSHOW_WEBRTC_LOOPBACK), one browser context per person. Video is
// proven by the stage's <video> decoding (videoWidth > 0) and playing
// (currentTime advancing); sound by the inbound audio RTP bytes the page's
// own getStats reports on the stage's quality indicator.

// liveServer runs the real command with the relay reachable on loopback.
func liveServer(t *testing.T) *running {
	t.Helper()
	return MustServe(t, map[string]string{
		"ROADSHOW_DATA_DIR": t.TempDir(), "ROADSHOW_ADMIN_EMAIL": browserAdminEmail, "ROADSHOW_ADMIN_PASSWORD": browserAdminPassword,
		"ROADSHOW_WEBRTC_LOOPBACK": "true",
	})
}

// uiVideoPlays waits until the <video> sel shows pictures that move: its
// decoded width is known and its clock advances.
func uiVideoPlays(sel string) chromedp.Action[chromedp.Void] {
	return uiWait(fmt.Sprintf(`(() => {
		const v = document.querySelector(%q);
		if (!v || v.videoWidth === 0 || v.paused) return false;
		const seen = Number(v.dataset.testT0 || -1);
		if (seen < 0 || v.dataset.testSrc !== String(v.srcObject && v.srcObject.id)) {
			v.dataset.testT0 = String(v.currentTime); v.dataset.testSrc = String(v.srcObject && v.srcObject.id); return false;
		}
		return v.currentTime > seen + 0.5;
	})()`, sel))
}

// uiAudioArrives waits until the page's getStats counted inbound audio
// bytes from whoever is on stage.
func uiAudioArrives() chromedp.Action[chromedp.Void] {
	return uiWait(`Number(document.querySelector('#stage-quality').dataset.audioBytes || 0) > 0`)
}

// recordSockets makes the page keep a list of the WebSockets it opens
// (window.testSockets), so that a test can drop the live room's socket as a
// network failure would. It runs before the app's own scripts.
func (b *browserTab) recordSockets() {
	b.t.Helper()
	const js = `(() => {
		const Native = window.WebSocket;
		window.testSockets = [];
		window.WebSocket = class extends Native {
			constructor(...args) { super(...args); window.testSockets.push(this); }
		};
	})()`
	if _, err := chromedp.Call(b.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: js}); err != nil {
		b.t.Fatalf("%s: record sockets: %v", b.name, err)
	}
}

// uiDropLiveSocket closes the page's live-room socket without a word, as a
// dropped network does.
func uiDropLiveSocket() chromedp.Action[chromedp.Void] {
	return uiJS(`const live = window.testSockets.filter((s) => s.url.includes('/live?') && s.readyState === WebSocket.OPEN);
		if (live.length !== 1) throw new Error('live sockets open: ' + live.length);
		live[0].close()`)
}

// testLiveJourney is issue 8, point 5: the whole roadshow in the browser,
// from registration to the published ranking, with the pitch live in
// between.
func testLiveJourney(t *testing.T, browserCtx context.Context) {
	start := time.Now()
	srv := liveServer(t)
	api := srv.URL + "/api/v1"
	deck := filepath.Join(t.TempDir(), "deck.pdf")
	if err := os.WriteFile(deck, []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	const title = "Kelp sensors"

	// The founder registers, applies, uploads a deck and submits.
	team := newBrowserTab(t, browserCtx, srv.URL, "applicant")
	team.recordSockets()
	team.do("register", chromedp.Navigate(srv.URL+"/#/register"), uiPage("register"),
		uiSetValue("#reg-email", "kelp@example.com"), uiSetValue("#reg-password", browserPassword),
		uiSetValue("#reg-name", "Kai Founder"), uiSetValue("#reg-country", "NO"),
		uiClick("#reg-submit"), uiPage("applications"))
	team.do("apply", uiClick("#new-application"), uiPage("application-new"),
		uiSetValue("#app-title", title), uiSetValue("#app-industry", "smart-ocean"),
		uiSetValue("#app-stage", "pilot"), uiSetValue("#app-country", "NO"), uiSetValue("#app-timezone", "Europe/Oslo"),
		uiSetValue("#app-summary", "Sensors on kelp farms that report water quality."),
		uiClick("#add-member"), uiWait(`!!document.querySelector('#member-0-name')`),
		uiSetValue("#member-0-name", "Kai"), uiSetValue("#member-0-role", "CEO"), uiSetValue("#member-0-nationality", "NO"),
		uiSetValue("#app-amount", "400000"), uiSetValue("#app-currency", "EUR"),
		uiSetValue("#app-landing", "A test site off Dalian in 2027."),
		uiClick("#app-save"), uiPage("application"),
		uiWait(`/^#\/applications\/[0-9a-f]{24}$/.test(location.hash)`))
	appID := strings.TrimPrefix(uiEvalString(team, `location.hash`), "#/applications/")
	// Choosing the deck uploads it; submitting asks first.
	team.do("deck and submit", chromedp.SetUploadFiles(chromedp.CSS("#deck-file"), []string{deck}),
		uiWait(`document.querySelector('#deck-info') && document.querySelector('#deck-info').dataset.state === 'uploaded'`),
		uiClick("#app-submit"),
		uiWait(`document.querySelector('#submit-confirm') && document.querySelector('#submit-confirm').open`),
		uiClick("#submit-confirm-ok"),
		uiWait(`document.querySelector('#app-status').dataset.status === 'submitted'`))

	// A second team of the same industry, through the API: the organizer
	// moves on to it after the first pitch.
	otherApp := mustEligibleTeam(t, srv.URL, "tide@example.com", "Tide turbines", "smart-ocean", "Europe/Lisbon")

	// The organizer invites a judge and an investor, screens the
	// application, plans, assigns and starts.
	org := newBrowserTab(t, browserCtx, srv.URL, "organizer")
	org.login(browserAdminEmail, browserAdminPassword, "dashboard")
	// Invited with a password, as a scripted set-up may (the page invites
	// by e-mail, which the issue 10 journey follows through Mailpit); the
	// users page lists them.
	orgToken, _ := login(t, srv.URL, browserAdminEmail, browserAdminPassword)
	for _, u := range []struct{ email, name, role string }{
		{"judy@example.com", "Judy Judge", "judge"}, {"ivan@example.com", "Ivan Investor", "investor"},
	} {
		if s := call(t, "POST", api+"/users", orgToken, map[string]any{"email": u.email, "name": u.name, "role": u.role, "password": browserPassword}, nil); s != 201 {
			t.Fatalf("invite %s: %d", u.role, s)
		}
		org.do("invited "+u.role, chromedp.Navigate(srv.URL+"/#/users?q="+u.email), uiPage("users"),
			uiWait(fmt.Sprintf(`[...document.querySelectorAll('.account-row .account-email')].some((e) => e.textContent === %q)`, u.email)))
	}
	org.do("screen", chromedp.Navigate(srv.URL+"/#/review/"+appID), uiPage("review-detail"),
		uiClick("#screen-eligible"), uiClick("#screen-submit"),
		uiWait(`document.querySelector('#app-status').dataset.status === 'eligible'`))
	org.do("plan", uiClick("#nav-sessions"), uiPage("sessions"),
		uiJS(`const d = document.querySelector('#plan-panel'); if (!d.open) d.querySelector('summary').click()`),
		uiWait(`document.querySelector('#plan-panel').open`),
		uiClick("#plan-none"), uiClick("#plan-ind-smart-ocean"),
		uiClick("#plan-submit"),
		uiWait(`document.querySelector('#plan-created') && document.querySelector('#plan-created').dataset.count === '1'`),
		uiWait(`!!document.querySelector('.session-card[data-industry="smart-ocean"]')`))
	sessionID := uiEvalString(org, `document.querySelector('.session-card[data-industry="smart-ocean"]').dataset.sessionId`)
	judgeID, investorID := userID(t, api, "judy@example.com"), userID(t, api, "ivan@example.com")
	org.do("assign", uiClick("#session-link-"+sessionID), uiPage("session"),
		uiWait(`document.querySelectorAll('.slot-row').length === 2`),
		uiSetValue("#judge-select", judgeID), uiClick("#judge-add"),
		uiWait(fmt.Sprintf(`!!document.querySelector('#judge-list li[data-user-id="%s"]')`, judgeID)),
		uiSetValue("#investor-select", investorID), uiClick("#investor-add"),
		uiWait(fmt.Sprintf(`!!document.querySelector('#investor-list li[data-user-id="%s"]')`, investorID)))
	// The founder pitches first.
	if uiEvalString(org, `document.querySelector('.slot-row[data-index="0"]').dataset.applicationId`) != appID {
		org.do("reorder", uiClick(`.slot-row[data-index="1"] .slot-up`),
			uiWait(fmt.Sprintf(`document.querySelector('.slot-row[data-index="0"]').dataset.applicationId === %q`, appID)))
	}

	// The founder checks camera and microphone while waiting.
	team.do("pitch room", uiClick("#nav-mySessions"), uiPage("my-sessions"),
		uiClick("#pitch-room-"+sessionID), uiPage("session"),
		uiWait(`document.querySelector('#pitch-phase').dataset.phase === 'waiting'`),
		uiWait(`!!document.querySelector('#my-slot-time .slot-viewer-time')`),
		uiClick("#devices-start"),
		uiVideoPlays("#preview-video"),
		uiWait(`Number(document.querySelector('#mic-level').dataset.level) > 0`),
		uiWait(`document.querySelectorAll('#camera-select option').length >= 1 && document.querySelectorAll('#mic-select option').length >= 1`),
		// The OBS Studio details: the WHIP address and a stream key.
		uiClick("#obs-summary"),
		uiWait(`document.querySelector('#whip-url').value === location.origin + '/api/v1/sessions/`+sessionID+`/whip'`),
		uiClick("#stream-key-copy"),
		uiWait(`(document.querySelector('#stream-key') || {}).value && document.querySelector('#stream-key').value.split('.').length === 3`))
	team.audit("pitch room (waiting)")
	team.screenshot("issue8-applicant-waiting")

	judge := newBrowserTab(t, browserCtx, srv.URL, "judge")
	judge.login("judy@example.com", browserPassword, "home")
	judge.do("session", chromedp.Navigate(srv.URL+"/#/sessions/"+sessionID), uiPage("session"),
		uiWait(`document.querySelector('#live-status').dataset.state === 'open'`))
	investor := newBrowserTab(t, browserCtx, srv.URL, "investor")
	investor.login("ivan@example.com", browserPassword, "home")
	investor.do("session", chromedp.Navigate(srv.URL+"/#/sessions/"+sessionID), uiPage("session"),
		uiWait(`document.querySelector('#live-status').dataset.state === 'open'`),
		uiJS(`window.testNoReload = true`))

	org.do("start", uiClick("#session-start"),
		uiWait(`document.querySelector('#session-state').dataset.state === 'live'`),
		uiWait(`document.querySelector('#room-status').dataset.state === 'live'`))
	// The founder's page follows without a reload, and goes live.
	team.do("go live", uiWait(`document.querySelector('#pitch-phase').dataset.phase === 'ready'`),
		uiWait(`document.querySelector('#room-status').dataset.state === 'live'`),
		uiClick("#go-live"),
		uiWait(`document.querySelector('#pitch-phase').dataset.phase === 'live'`),
		uiVideoPlays("#stage-video"),
		uiWait(`document.querySelector('#toggle-camera').getAttribute('aria-pressed') === 'true'`),
		uiWait(`document.querySelector('#toggle-microphone').getAttribute('aria-pressed') === 'true'`))

	// The investor and the judge see and hear the founder.
	for _, b := range []*browserTab{investor, judge} {
		b.do("the pitch plays",
			uiWait(`document.querySelector('#room-status').dataset.state === 'live'`),
			uiWait(fmt.Sprintf(`document.querySelector('#stage').dataset.applicationId === %q`, appID)),
			uiWait(`document.querySelector('#stage').dataset.state === 'playing'`),
			uiVideoPlays("#stage-video"), uiAudioArrives(),
			uiWait(`!document.querySelector('#room-listen')`))
	}
	investor.do("nothing sent", uiWait(`!document.querySelector('#self-controls')`),
		uiWait(fmt.Sprintf(`document.querySelector('#current-team').dataset.applicationId === %q`, appID)))
	// A judge's camera and microphone stay off until they turn them on.
	judge.do("own media off", uiWait(`document.querySelector('#toggle-camera').getAttribute('aria-pressed') === 'false'`),
		uiWait(`document.querySelector('#toggle-microphone').getAttribute('aria-pressed') === 'false'`),
		uiWait(fmt.Sprintf(`document.querySelector('#current-team').dataset.applicationId === %q`, appID)),
		uiWait(`!!document.querySelector('#current-deck')`))
	// The organizer sees everyone, what they send and how well it arrives.
	org.do("room", uiWait(`!!document.querySelector('.room-tile[data-role="applicant"] .track-badge[data-source="camera"]')`),
		uiWait(`document.querySelectorAll('.room-tile').length === 3 && document.querySelectorAll('.room-watcher[data-role="investor"]').length === 1`),
		uiWait(`['good', 'fair', 'poor'].includes(document.querySelector('.room-tile[data-role="applicant"] .quality').dataset.level)`),
		uiVideoPlays("#stage-video"))
	// Muting the founder's microphone shows on their page; they undo it.
	org.do("mute", uiClick(`.room-tile[data-role="applicant"] .mod-mute[data-source="microphone"]`),
		uiWait(`document.querySelector('.room-tile[data-role="applicant"] .track-badge[data-source="microphone"]').dataset.muted === 'true'`))
	team.do("unmute", uiWait(`document.querySelector('#toggle-microphone').getAttribute('aria-pressed') === 'false'`),
		uiClick("#toggle-microphone"),
		uiWait(`document.querySelector('#toggle-microphone').getAttribute('aria-pressed') === 'true'`))
	org.do("unmuted", uiWait(`document.querySelector('.room-tile[data-role="applicant"] .track-badge[data-source="microphone"]').dataset.muted === 'false'`))

	// The network drops under the founder: the page joins again by itself
	// (new token, socket and connections) and sends the same camera and
	// microphone; the investor's stage plays the new tracks.
	stageTrack := uiEvalString(investor, `document.querySelector('#stage').dataset.trackId`)
	team.do("network drop", uiDropLiveSocket(),
		uiWait(`document.querySelector('#room-panel').dataset.joins === '2'`),
		uiWait(`document.querySelector('#room-status').dataset.state === 'live'`),
		uiWait(`document.querySelector('#pitch-phase').dataset.phase === 'live'`))
	investor.do("stage after the drop",
		uiWait(fmt.Sprintf(`document.querySelector('#stage').dataset.trackId !== '' && document.querySelector('#stage').dataset.trackId !== %q`, stageTrack)),
		uiVideoPlays("#stage-video"), uiAudioArrives())

	for _, b := range []*browserTab{team, judge, investor, org} {
		b.audit("live room (" + b.name + ")")
	}
	team.screenshot("issue8-applicant-live")
	judge.screenshot("issue8-judge-live")
	investor.screenshot("issue8-investor-live")
	org.screenshot("issue8-organizer-live")
	for _, b := range []*browserTab{investor, team, org, judge} {
		b.phone("issue8-" + b.name + "-live")
		if b == org {
			// On a phone the organizer's live controls come before the
			// running order (issue 12).
			b.do("phone: controls first", uiWait(`document.querySelector('#controls').getBoundingClientRect().top < document.querySelector('#slots-panel').getBoundingClientRect().top`))
		}
		if b == judge {
			b.do("phone: scoring before the teams", uiWait(`document.querySelector('#rubric-slot').getBoundingClientRect().top < document.querySelector('#teams-slot').getBoundingClientRect().top`))
		}
		b.desktop()
	}

	// The investor asks to meet the team.
	investor.do("request a meeting", uiClick("#meeting-request"),
		uiSetValue("#meeting-note", "Interested in the pilot."), uiClick("#meeting-send"),
		uiWait(`document.querySelector('#meeting-box').dataset.state === 'requested'`))

	// The judge scores beside the video.
	var fill []chromedp.Action[chromedp.Void]
	for i, key := range rubricKeys(t, api) {
		fill = append(fill, chromedp.SendKeys(chromedp.CSS("#score-"+key), fmt.Sprint(6+i%4)))
	}
	fill = append(fill, uiWait(`document.querySelector('#score-status').dataset.state === 'saved'`),
		uiClick("#score-final"), uiWait(`document.querySelector('#score-status').dataset.state === 'final'`))
	judge.do("score", fill...)

	// The organizer moves on: the founder's slot ends, their devices go off.
	org.do("next", uiClick("#session-next"),
		uiWait(fmt.Sprintf(`document.querySelector('#current-slot').dataset.applicationId === %q`, otherApp)))
	team.do("slot over", uiWait(`document.querySelector('#pitch-phase').dataset.phase === 'done'`),
		uiWait(`document.querySelector('#device-check').dataset.running === 'false'`))
	investor.do("stage follows", uiWait(fmt.Sprintf(`document.querySelector('#stage').dataset.applicationId === %q`, otherApp)),
		uiWait(`window.testNoReload === true`))

	// The second team pitches from "OBS Studio": the WHIP address and the
	// stream key come from its pitch room; a WHIP client publishes with
	// them. (Its frames are synthetic, so the proof is the bytes that reach
	// the investor, not a picture.)
	tide := newBrowserTab(t, browserCtx, srv.URL, "obs-team")
	tide.login("tide@example.com", browserPassword, "applications")
	tide.do("stream key", chromedp.Navigate(srv.URL+"/#/sessions/"+sessionID), uiPage("session"),
		uiWait(`document.querySelector('#pitch-phase').dataset.phase === 'ready'`),
		uiClick("#obs-summary"), uiClick("#stream-key-copy"),
		uiWait(`!!(document.querySelector('#stream-key') || {}).value`))
	obs := mustWHIP(t, uiEvalString(tide, `document.querySelector('#whip-url').value`), uiEvalString(tide, `document.querySelector('#stream-key').value`))
	tide.do("on air from OBS", uiWait(`document.querySelector('#pitch-phase').dataset.phase === 'live'`),
		uiWait(`document.querySelector('#stage').dataset.via === 'whip'`))
	investor.do("OBS on stage", uiWait(`document.querySelector('#stage').dataset.via === 'whip'`),
		uiWait(fmt.Sprintf(`document.querySelector('#stage').dataset.applicationId === %q`, otherApp)),
		uiWait(`Number(document.querySelector('#stage-quality').dataset.videoBytes || 0) > 0`), uiAudioArrives())
	org.do("OBS in the room", uiWait(`!!document.querySelector('.room-tile[data-via="whip"] .track-badge[data-source="camera"]')`))
	tide.screenshot("issue8-applicant-obs")
	obs.stop(t)
	org.do("end and publish", uiClick("#session-end"),
		uiWait(`document.querySelector('#session-state').dataset.state === 'ended'`),
		uiWait(`!document.querySelector('#results-publish').disabled`),
		// The second team, from OBS Studio, went unscored: publishing
		// confirms that gap.
		uiWait(`!!document.querySelector('#results-confirm-gaps')`),
		uiClick("#results-confirm-gaps"), uiClick("#results-publish"),
		uiWait(`document.querySelector('#results-state').dataset.published === 'true'`))
	team.do("rank", uiWait(`document.querySelector('#my-rank') && document.querySelector('#my-rank').dataset.rank === '1'`))
	team.screenshot("issue8-applicant-ranked")
	team.do("my pitch", uiClick("#back-to-my-sessions"), uiPage("my-sessions"),
		uiWait(fmt.Sprintf(`document.querySelector('.my-result[data-application-id="%s"]').dataset.rank === '1'`, appID)))
	org.do("meeting requests", uiClick("#nav-meetings"), uiPage("meetings"),
		uiWait(fmt.Sprintf(`!!document.querySelector('.meeting-row[data-application-id="%s"][data-investor-id="%s"]')`, appID, investorID)))
	org.audit("meetings")
	org.screenshot("issue8-organizer-meetings")
	t.Logf("issue 8 live journey: %v", time.Since(start).Round(100*time.Millisecond))
}

// testStageSwitch is issue 8, point 5's second test: two teams in one
// session; when the organizer moves on, the investor's stage shows the
// second team without a reload and the first team stops sending.
func testStageSwitch(t *testing.T, browserCtx context.Context) {
	start := time.Now()
	srv := liveServer(t)
	api := srv.URL + "/api/v1"
	orgToken, _ := login(t, srv.URL, browserAdminEmail, browserAdminPassword)
	first := mustEligibleTeam(t, srv.URL, "first@example.com", "Solar tiles", "clean-energy", "Europe/Berlin")
	second := mustEligibleTeam(t, srv.URL, "second@example.com", "Wind kites", "clean-energy", "Europe/Berlin")
	var inv struct {
		ID string `json:"id"`
	}
	if s := call(t, "POST", api+"/users", orgToken, map[string]any{"email": "vc@example.com", "name": "Vera VC", "role": "investor", "password": browserPassword}, &inv); s != 201 {
		t.Fatalf("invite investor: %d", s)
	}
	var plan struct {
		Sessions []struct {
			ID    string `json:"id"`
			Slots []struct {
				ApplicationID string `json:"applicationId"`
			} `json:"slots"`
		} `json:"sessions"`
	}
	firstStart := time.Now().Add(time.Hour).Truncate(time.Hour).UTC().Format(time.RFC3339)
	if s := call(t, "POST", api+"/sessions/plan", orgToken, map[string]any{"firstStart": firstStart, "industries": []string{"clean-energy"}}, &plan); s != 201 || len(plan.Sessions) != 1 {
		t.Fatalf("plan: %d %+v", s, plan)
	}
	se := plan.Sessions[0].ID
	if plan.Sessions[0].Slots[0].ApplicationID != first {
		if s := call(t, "PUT", api+"/sessions/"+se+"/order", orgToken, map[string]any{"applicationIds": []string{first, second}}, nil); s != 200 {
			t.Fatalf("order: %d", s)
		}
	}
	if s := call(t, "POST", api+"/sessions/"+se+"/investors", orgToken, map[string]string{"userId": inv.ID}, nil); s != 200 {
		t.Fatalf("invite to the session: %d", s)
	}

	a := newBrowserTab(t, browserCtx, srv.URL, "first-team")
	a.login("first@example.com", browserPassword, "applications")
	b := newBrowserTab(t, browserCtx, srv.URL, "second-team")
	b.login("second@example.com", browserPassword, "applications")
	investor := newBrowserTab(t, browserCtx, srv.URL, "investor")
	investor.login("vc@example.com", browserPassword, "home")
	org := newBrowserTab(t, browserCtx, srv.URL, "organizer")
	org.login(browserAdminEmail, browserAdminPassword, "dashboard")
	for _, tab := range []*browserTab{a, b} {
		tab.do("pitch room", chromedp.Navigate(srv.URL+"/#/sessions/"+se), uiPage("session"),
			uiWait(`document.querySelector('#pitch-phase').dataset.phase === 'waiting'`),
			uiWait(`document.querySelector('#live-status').dataset.state === 'open'`),
			uiJS(`window.testNoReload = true`))
	}
	// The camera refused, missing, held by another program: the team reads
	// what to do, in its language.
	for _, c := range []struct{ name, key, zh string }{
		{"NotAllowedError", "media.denied", "浏览器阻止了摄像头和麦克风"},
		{"NotFoundError", "media.missing", "未找到摄像头或麦克风"},
		{"NotReadableError", "media.busy", "摄像头或麦克风正被其他程序占用"},
	} {
		a.do("devices: "+c.name,
			uiJS(fmt.Sprintf(`window.testGUM = window.testGUM || navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
				navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('test', %q))`, c.name)),
			uiClick("#devices-start"),
			uiWait(fmt.Sprintf(`document.querySelector('#device-error') && document.querySelector('#device-error').dataset.key === %q`, c.key)),
			uiClick("#lang-toggle"),
			uiWait(fmt.Sprintf(`document.querySelector('#device-error').textContent.includes(%q)`, c.zh)),
			uiClick("#lang-toggle"), uiWait(`document.body.dataset.lang === 'en'`))
	}
	a.do("devices back", uiJS(`navigator.mediaDevices.getUserMedia = window.testGUM`))
	a.audit("pitch room (device refused)")

	// The browser holds the sound back until a click (autoplay rules): the
	// investor's page offers "Click to listen".
	investor.do("session", chromedp.Navigate(srv.URL+"/#/sessions/"+se), uiPage("session"),
		uiWait(`document.querySelector('#live-status').dataset.state === 'open'`), uiJS(`window.testNoReload = true`),
		uiJS(`const play = HTMLMediaElement.prototype.play;
			HTMLMediaElement.prototype.play = function () {
				if (this.tagName === 'AUDIO' && !window.testSoundAllowed) return Promise.reject(new DOMException('test', 'NotAllowedError'));
				return play.call(this);
			}`))
	org.do("start", chromedp.Navigate(srv.URL+"/#/sessions/"+se), uiPage("session"),
		uiClick("#session-start"), uiWait(`document.querySelector('#session-state').dataset.state === 'live'`))

	a.do("first team live", uiWait(`document.querySelector('#pitch-phase').dataset.phase === 'ready'`),
		uiClick("#go-live"), uiWait(`document.querySelector('#pitch-phase').dataset.phase === 'live'`))
	b.do("second team waits", uiWait(`document.querySelector('#pitch-phase').dataset.phase === 'waiting'`),
		uiWait(`!!document.querySelector('#now-pitching')`))
	b.audit("pitch room (waiting, session live)")
	investor.do("first team on stage", uiWait(fmt.Sprintf(`document.querySelector('#stage').dataset.applicationId === %q`, first)),
		uiVideoPlays("#stage-video"), uiAudioArrives(),
		uiWait(`!!document.querySelector('#room-listen')`),
		uiJS(`window.testSoundAllowed = true`), uiClick("#room-listen"),
		uiWait(`!document.querySelector('#room-listen')`),
		uiWait(`[...document.querySelectorAll('#room-audio audio')].length > 0 && [...document.querySelectorAll('#room-audio audio')].every((a) => !a.paused)`))
	firstTrack := uiEvalString(investor, `document.querySelector('#stage').dataset.trackId`)

	org.do("next", uiClick("#session-next"),
		uiWait(fmt.Sprintf(`document.querySelector('#current-slot').dataset.applicationId === %q`, second)))
	// The first team's pitch ends: its page says so and its devices stop;
	// the room no longer lists what it sent.
	a.do("first team stops", uiWait(`document.querySelector('#pitch-phase').dataset.phase === 'done'`),
		uiWait(`document.querySelector('#device-check').dataset.running === 'false'`),
		uiWait(`document.querySelector('#pitch-done').textContent.length > 0`),
		uiWait(`window.testNoReload === true`))
	org.do("first team gone", uiWait(`!document.querySelector('.room-tile[data-role="applicant"] .track-badge')`))
	b.do("second team live", uiWait(`document.querySelector('#pitch-phase').dataset.phase === 'ready'`),
		uiWait(`window.testNoReload === true`),
		uiClick("#go-live"), uiWait(`document.querySelector('#pitch-phase').dataset.phase === 'live'`))
	investor.do("second team on stage", uiWait(fmt.Sprintf(`document.querySelector('#stage').dataset.applicationId === %q`, second)),
		uiWait(fmt.Sprintf(`document.querySelector('#stage').dataset.trackId !== '' && document.querySelector('#stage').dataset.trackId !== %q`, firstTrack)),
		uiVideoPlays("#stage-video"), uiAudioArrives(),
		uiWait(`window.testNoReload === true`))
	investor.screenshot("issue8-investor-second-team")

	// Slides: the second team shares its screen, which takes the stage;
	// stopping returns the stage to the camera; sharing again works too.
	for round := 1; round <= 2; round++ {
		b.do(fmt.Sprintf("share screen (%d)", round), uiClick("#toggle-screen"),
			uiWait(`document.querySelector('#toggle-screen').getAttribute('aria-pressed') === 'true'`),
			uiWait(`document.querySelector('#stage').dataset.source === 'screen'`))
		investor.do(fmt.Sprintf("slides on stage (%d)", round), uiWait(`document.querySelector('#stage').dataset.source === 'screen'`),
			uiVideoPlays("#stage-video"))
		if round == 1 {
			investor.screenshot("issue8-investor-slides")
		}
		b.do(fmt.Sprintf("stop sharing (%d)", round), uiClick("#toggle-screen"),
			uiWait(`document.querySelector('#toggle-screen').getAttribute('aria-pressed') === 'false'`))
		investor.do(fmt.Sprintf("camera back on stage (%d)", round), uiWait(`document.querySelector('#stage').dataset.source === 'camera'`),
			uiVideoPlays("#stage-video"))
	}

	// An organizer removes the investor: the investor's page says why.
	org.do("remove", uiWait(`!!document.querySelector('.room-watcher[data-role="investor"] .mod-remove')`),
		uiClick(`.room-watcher[data-role="investor"] .mod-remove`),
		uiWait(`document.activeElement && document.activeElement.id === 'remove-reason'`),
		uiClick("#remove-submit"),
		uiWait(`!!document.querySelector('#remove-error')`),
		uiSetValue("#remove-reason", "Recording the pitches."),
		uiClick("#remove-submit"),
		uiWait(`!document.querySelector('[data-role="investor"][data-participant-id]')`))
	investor.do("removed", uiWait(`document.querySelector('#room-notice') && document.querySelector('#room-notice').dataset.key === 'room.removed'`),
		uiWait(`document.querySelector('#room-notice').textContent.includes('Recording the pitches.')`),
		uiWait(`document.querySelector('#stage').dataset.state === 'empty'`))
	investor.audit("live room (removed)")
	t.Logf("issue 8 stage switch: %v", time.Since(start).Round(100*time.Millisecond))
}

// whipClient publishes synthetic VP8 video and Opus audio over WHIP, as
// OBS Studio would: one offer with every candidate, a Bearer token.
type whipClient struct {
	pc       *webrtc.PeerConnection
	url      string
	location string
	token    string
	cancel   context.CancelFunc
	wg       sync.WaitGroup
}

func mustWHIP(t *testing.T, whip, token string) *whipClient {
	t.Helper()
	v, err := synthmedia.NewVideo(webrtc.MimeTypeVP8, "cam", "obs", 300_000)
	if err != nil {
		t.Fatal(err)
	}
	a, err := synthmedia.NewAudio("mic", "obs")
	if err != nil {
		t.Fatal(err)
	}
	pc, err := webrtc.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		t.Fatal(err)
	}
	vs, err := pc.AddTransceiverFromTrack(v.Track(), webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pc.AddTransceiverFromTrack(a.Track(), webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly}); err != nil {
		t.Fatal(err)
	}
	offer, err := pc.CreateOffer(nil)
	if err != nil {
		t.Fatal(err)
	}
	gathered := webrtc.GatheringCompletePromise(pc)
	if err := pc.SetLocalDescription(offer); err != nil {
		t.Fatal(err)
	}
	<-gathered
	req, err := http.NewRequest("POST", whip, strings.NewReader(pc.LocalDescription().SDP))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/sdp")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 201 || resp.Header.Get("Location") == "" {
		t.Fatalf("WHIP %s: got %d %s, want 201 with a Location", whip, resp.StatusCode, answer)
	}
	if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: string(answer)}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	c := &whipClient{pc: pc, url: whip, location: resp.Header.Get("Location"), token: token, cancel: cancel}
	c.wg.Add(3)
	go func() { defer c.wg.Done(); v.Run(ctx) }()
	go func() { defer c.wg.Done(); a.Run(ctx) }()
	go func() { defer c.wg.Done(); v.ReadRTCP(vs.Sender()) }()
	t.Cleanup(func() { c.close() })
	return c
}

// stop ends the publication as OBS Studio does: DELETE on its resource.
func (c *whipClient) stop(t *testing.T) {
	t.Helper()
	// Location is relative to the WHIP address, as OBS Studio resolves it.
	base, err := url.Parse(c.url)
	if err != nil {
		t.Fatal(err)
	}
	loc, err := base.Parse(c.location)
	if err != nil {
		t.Fatalf("WHIP Location %q: %v", c.location, err)
	}
	req, err := http.NewRequest("DELETE", loc.String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("WHIP DELETE: got %d, want 200", resp.StatusCode)
	}
	c.close()
}

func (c *whipClient) close() {
	c.cancel()
	_ = c.pc.Close()
	c.wg.Wait()
}

// mustEligibleTeam registers an applicant whose complete application of
// industry is submitted and screened eligible, and returns its id.
func mustEligibleTeam(t *testing.T, base, email, title, industry, zone string) string {
	t.Helper()
	api := base + "/api/v1"
	org, _ := login(t, base, browserAdminEmail, browserAdminPassword)
	if s := call(t, "POST", api+"/auth/register", "", map[string]string{"email": email, "password": browserPassword, "name": title + " founder", "country": "DE"}, nil); s != 202 {
		t.Fatalf("register %s: %d", email, s)
	}
	tok, _ := login(t, base, email, browserPassword)
	var a struct {
		ID string `json:"id"`
	}
	body := map[string]any{
		"title": title, "summary": "A team of the " + industry + " industry.", "industry": industry, "stage": "pilot", "country": "DE", "timezone": zone,
		"team":        []map[string]any{{"name": "Ada", "role": "CEO", "nationality": "DE", "bio": "Engineer."}},
		"fundingAsk":  map[string]any{"amount": 300000, "currency": "EUR"},
		"landingPlan": "An office in the zone.",
	}
	if s := call(t, "POST", api+"/applications", tok, body, &a); s != 201 {
		t.Fatalf("create application: %d", s)
	}
	if s := call(t, "POST", api+"/applications/"+a.ID+"/submit", tok, nil, nil); s != 200 {
		t.Fatalf("submit: %d", s)
	}
	if s := call(t, "PATCH", api+"/applications/"+a.ID+"/screening", org, map[string]any{"decision": "eligible"}, nil); s != 200 {
		t.Fatalf("screen: %d", s)
	}
	return a.ID
}

// userID finds an account's id by e-mail (as an organizer).
func userID(t *testing.T, api, email string) string {
	t.Helper()
	org, _ := login(t, strings.TrimSuffix(api, "/api/v1"), browserAdminEmail, browserAdminPassword)
	for _, role := range []string{"judge", "investor"} {
		var list struct {
			Items []struct {
				ID    string `json:"id"`
				Email string `json:"email"`
			} `json:"items"`
		}
		if s := call(t, "GET", api+"/users?role="+role, org, nil, &list); s != 200 {
			t.Fatalf("users: %d", s)
		}
		for _, u := range list.Items {
			if u.Email == email {
				return u.ID
			}
		}
	}
	t.Fatalf("no account %s", email)
	return ""
}

// rubricKeys lists the edition's rubric criteria.
func rubricKeys(t *testing.T, api string) []string {
	t.Helper()
	org, _ := login(t, strings.TrimSuffix(api, "/api/v1"), browserAdminEmail, browserAdminPassword)
	var ed struct {
		Rubric struct {
			Criteria []struct {
				Key string `json:"key"`
			} `json:"criteria"`
		} `json:"rubric"`
	}
	if s := call(t, "GET", api+"/edition", org, nil, &ed); s != 200 {
		t.Fatalf("edition: %d", s)
	}
	var keys []string
	for _, c := range ed.Rubric.Criteria {
		keys = append(keys, c.Key)
	}
	return keys
}
