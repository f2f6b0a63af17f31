package roadshow

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// CalendarEntry is one event of a participant's iCalendar feed.
type CalendarEntry struct {
	UID         string
	Summary     string
	Description string
	Start, End  time.Time
	Updated     time.Time
	// Sequence is the entry's revision (RFC 5545 SEQUENCE): calendar apps
	// replace an entry of the same UID with a higher one, rather than add
	// another.
	Sequence int
	// Cancelled entries are sent with STATUS:CANCELLED, so that calendar
	// apps take them off.
	Cancelled bool
}

// BuildICS renders entries as an RFC 5545 calendar: CRLF line ends, lines
// folded at 75 octets (never inside a UTF-8 sequence), text escaped, and
// every time in UTC so that each calendar shows it in its own zone. Each
// entry carries its SEQUENCE and STATUS (CONFIRMED or CANCELLED).
func BuildICS(name string, entries []CalendarEntry, now time.Time) string {
	var b strings.Builder
	line := func(s string) { writeFolded(&b, s) }
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//Roadshow//Talent Roadshow//EN")
	line("CALSCALE:GREGORIAN")
	line("METHOD:PUBLISH")
	line("X-WR-CALNAME:" + icsText(name))
	for _, e := range entries {
		stamp := e.Updated
		if stamp.IsZero() {
			stamp = now
		}
		line("BEGIN:VEVENT")
		line("UID:" + icsText(e.UID))
		line("DTSTAMP:" + icsTime(stamp))
		line("DTSTART:" + icsTime(e.Start))
		line("DTEND:" + icsTime(e.End))
		line("SEQUENCE:" + strconv.Itoa(max(e.Sequence, 0)))
		if e.Cancelled {
			line("STATUS:CANCELLED")
		} else {
			line("STATUS:CONFIRMED")
		}
		line("SUMMARY:" + icsText(e.Summary))
		if e.Description != "" {
			line("DESCRIPTION:" + icsText(e.Description))
		}
		line("END:VEVENT")
	}
	line("END:VCALENDAR")
	return b.String()
}

func icsTime(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// icsText escapes a TEXT value (RFC 5545, 3.3.11) and drops the control
// characters TEXT may not hold (all but HTAB; line breaks become \n).
func icsText(s string) string {
	r := strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)
	return strings.Map(func(c rune) rune {
		if (c < 0x20 && c != '\t') || c == 0x7f {
			return -1
		}
		return c
	}, r.Replace(s))
}

// writeFolded writes one content line, folded into pieces of at most 75
// octets joined by CRLF and a space.
func writeFolded(b *strings.Builder, s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the leading space counts
	}
	b.WriteString(s)
	b.WriteString("\r\n")
}
