// Package mail writes the product's e-mails (English and Chinese, plain
// text and HTML), keeps them in an outbox in the store and sends them over
// SMTP with github.com/wneessen/go-mail, retrying with backoff.
package mail

import (
	"fmt"
	"html"
	"strings"
	"time"

	"github.com/roadshow/roadshow/roadshow"
)

// text is one kind of mail in one language. Placeholders are {name}
// (the recipient), {title}, {session}, {start}, {end}, {decision}, {note},
// {role}; the link goes on the action.
type text struct {
	subject string
	body    string // paragraphs separated by blank lines
	action  string // the link's label; "" for no link
}

var texts = map[roadshow.MailKind]map[string]text{
	roadshow.MailInvitation: {
		"en": {"You are invited to the Roadshow as {role}",
			"Hello {name},\n\nan organizer of the innovation week Roadshow made an account for you as {role}.\n\nChoose your password with the link below. The link works once and for seven days.",
			"Choose your password"},
		"zh": {"邀请您以{role}身份加入路演平台",
			"{name},您好:\n\n创新周路演的组织者为您创建了{role}账户。\n\n请通过下面的链接设置密码。该链接仅可使用一次,七天内有效。",
			"设置密码"},
	},
	roadshow.MailPasswordReset: {
		"en": {"Choose a new Roadshow password",
			"Hello {name},\n\nsomeone, probably you, asked for a new password for your Roadshow account.\n\nChoose it with the link below within 45 minutes; it works once. If you did not ask, ignore this e-mail: your password stays as it is.",
			"Choose a new password"},
		"zh": {"重新设置路演平台密码",
			"{name},您好:\n\n有人(很可能是您本人)申请重新设置您路演平台账户的密码。\n\n请在 45 分钟内通过下面的链接设置新密码,该链接仅可使用一次。如果不是您本人申请,请忽略本邮件,您的密码不会改变。",
			"设置新密码"},
	},
	roadshow.MailWelcome: {
		"en": {"Welcome to the Roadshow",
			"Hello {name},\n\nyour Roadshow account is ready: you can log in and apply right away.\n\nPlease confirm that this address is yours with the link below.",
			"Confirm my address"},
		"zh": {"欢迎加入路演平台",
			"{name},您好:\n\n您的路演平台账户已创建,现在即可登录并提交申请。\n\n请通过下面的链接确认这是您的邮箱地址。",
			"确认邮箱地址"},
	},
	roadshow.MailAlreadyRegistered: {
		"en": {"You already have a Roadshow account",
			"Hello {name},\n\nsomeone just tried to register a Roadshow account with this address, which already has one. If it was you: log in with your password, or choose a new one with the link below.\n\nIf it was not you, ignore this e-mail; nothing changed.",
			"Reset my password"},
		"zh": {"您已拥有路演平台账户",
			"{name},您好:\n\n刚才有人使用此邮箱地址注册路演平台账户,但该地址已有账户。如果是您本人:请用原密码登录,或通过下面的链接重新设置密码。\n\n如果不是您本人,请忽略本邮件,账户没有任何变化。",
			"重新设置密码"},
	},
	roadshow.MailApplicationReceived: {
		"en": {"Application received: {title}",
			"Hello {name},\n\nwe received your application \"{title}\". The organizers will screen it and write to you with their decision.",
			"View my application"},
		"zh": {"已收到申请:{title}",
			"{name},您好:\n\n我们已收到您的申请“{title}”。组织者审核后会将结果通知您。",
			"查看申请"},
	},
	roadshow.MailScreeningDecision: {
		"en": {"Screening decision: {title}",
			"Hello {name},\n\nthe organizers screened your application \"{title}\": {decision}.\n\n{note}",
			"View my application"},
		"zh": {"审核结果:{title}",
			"{name},您好:\n\n组织者已审核您的申请“{title}”:{decision}。\n\n{note}",
			"查看申请"},
	},
	roadshow.MailSlotAssigned: {
		"en": {"Your pitch slot: {start}",
			"Hello {name},\n\n\"{title}\" pitches in the session {session} from {start} to {end}.\n\nThe calendar entry is attached. On the day, open My sessions and join the live room when your slot starts.",
			"My sessions"},
		"zh": {"您的路演时段:{start}",
			"{name},您好:\n\n“{title}”将在{session}中路演,时间为 {start} 至 {end}。\n\n附件为日历条目。当天请打开“我的路演”,在您的时段开始时进入直播间。",
			"我的路演"},
	},
	roadshow.MailSlotChanged: {
		"en": {"Your pitch slot moved: {start}",
			"Hello {name},\n\nthe organizers moved the pitch of \"{title}\": it is now in the session {session} from {start} to {end}.\n\nThe updated calendar entry is attached.",
			"My sessions"},
		"zh": {"您的路演时段已调整:{start}",
			"{name},您好:\n\n组织者调整了“{title}”的路演时间:现在为{session},{start} 至 {end}。\n\n附件为更新后的日历条目。",
			"我的路演"},
	},
	roadshow.MailResultsPublished: {
		"en": {"Results published: {session}",
			"Hello {name},\n\nthe results of the session {session}, where \"{title}\" pitched, are published.",
			"See the results"},
		"zh": {"结果已公布:{session}",
			"{name},您好:\n\n“{title}”参加的{session}的评审结果已公布。",
			"查看结果"},
	},
}

// words are the API values a mail names, in each language.
var words = map[string]map[string]string{
	"en": {"judge": "judge", "investor": "investor", "organizer": "organizer", "applicant": "applicant",
		"eligible": "eligible for the roadshow", "ineligible": "not eligible this time"},
	"zh": {"judge": "评委", "investor": "投资人", "organizer": "组织者", "applicant": "申请人",
		"eligible": "符合路演条件", "ineligible": "本次未通过"},
}

// footers say why the mail came and how to stop the optional ones.
var footers = map[string][2]string{
	"en": {"You receive this e-mail because of your Roadshow account.",
		"You receive this notification because of your Roadshow account. To stop notifications, use the unsubscribe link of your mail program or turn them off on your profile page."},
	"zh": {"您收到本邮件是因为您拥有路演平台账户。",
		"您收到此通知是因为您拥有路演平台账户。如不想再收到通知,可使用邮件程序的退订功能,或在个人资料页关闭。"},
}

// Rendered is a mail written out.
type Rendered struct {
	Subject, Text, HTML string
}

// Render writes m out in its language; link is the absolute link ("" for none).
func Render(m roadshow.Mail, link string) (Rendered, error) {
	lang := m.Lang
	if !roadshow.ValidLang(lang) {
		lang = roadshow.LangEnglish
	}
	t, ok := texts[m.Kind][lang]
	if !ok {
		return Rendered{}, fmt.Errorf("no %s text for mail kind %q", lang, m.Kind)
	}
	vals := map[string]string{"name": m.Name}
	for k, v := range m.Args {
		vals[k] = v
	}
	for _, k := range []string{"role", "decision"} {
		if w, ok := words[lang][vals[k]]; ok {
			vals[k] = w
		}
	}
	for _, k := range []string{"start", "end"} {
		if v := vals[k]; v != "" {
			vals[k] = formatTime(v, vals["timezone"], lang)
		}
	}
	fill := func(s string, esc func(string) string) string {
		var pairs []string
		for k, v := range vals {
			pairs = append(pairs, "{"+k+"}", esc(v))
		}
		return strings.NewReplacer(pairs...).Replace(s)
	}
	plain := func(s string) string { return s }
	subject := strings.Join(strings.Fields(fill(t.subject, plain)), " ")
	footer := footers[lang][0]
	if !m.Kind.Essential() {
		footer = footers[lang][1]
	}

	var txt, htm strings.Builder
	htm.WriteString(`<!doctype html><html lang="` + map[string]string{"en": "en", "zh": "zh-Hans"}[lang] + `"><head><meta charset="utf-8"><title>` +
		html.EscapeString(subject) + `</title></head><body style="font-family:sans-serif;line-height:1.5;color:#1a1a1a;max-width:36em">`)
	for _, p := range strings.Split(fill(t.body, plain), "\n\n") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		txt.WriteString(p + "\n\n")
		htm.WriteString("<p>" + strings.ReplaceAll(html.EscapeString(p), "\n", "<br>") + "</p>")
	}
	if link != "" && t.action != "" {
		fmt.Fprintf(&txt, "%s:\n%s\n\n", t.action, link)
		fmt.Fprintf(&htm, `<p><a href="%s" style="display:inline-block;padding:.6em 1.2em;background:#0b5cad;color:#fff;text-decoration:none;border-radius:4px">%s</a></p><p style="font-size:90%%">%s</p>`,
			html.EscapeString(link), html.EscapeString(t.action), html.EscapeString(link))
	}
	txt.WriteString("-- \n" + footer + "\n")
	htm.WriteString(`<hr><p style="font-size:85%;color:#555">` + html.EscapeString(footer) + `</p></body></html>`)
	return Rendered{Subject: subject, Text: txt.String(), HTML: htm.String()}, nil
}

// formatTime writes an RFC 3339 instant in the recipient's time zone (UTC
// when unknown), with the zone named.
func formatTime(v, zone, lang string) string {
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return v
	}
	loc, err := time.LoadLocation(zone)
	if zone == "" || err != nil {
		loc, zone = time.UTC, "UTC"
	}
	t = t.In(loc)
	if lang == roadshow.LangChinese {
		return t.Format("2006年1月2日 15:04") + " (" + zone + ")"
	}
	return t.Format("Mon 2 Jan 2006, 15:04") + " (" + zone + ")"
}
