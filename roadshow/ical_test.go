package roadshow_test

import (
	"strings"
	"testing"
	"time"

	"github.com/roadshow/roadshow/roadshow"
)

// TestBuildICSText checks that any text, whatever characters an applicant put
// in a title, yields content lines RFC 5545 allows: no control character but
// HTAB, at most 75 octets, and the text back once unfolded and unescaped.
func TestBuildICSText(t *testing.T) {
	t.Parallel()
	start := time.Date(2030, 3, 4, 1, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name, summary, want string
	}{
		{"Plain", "Pitch: Edge AI", `Pitch: Edge AI`},
		{"Escapes", `a,b;c\d`, `a\,b\;c\\d`},
		{"Newlines", "one\ntwo\r\nthree\rfour", `one\ntwo\nthree\nfour`},
		{"Tab", "a\tb", "a\tb"},
		{"ControlCharacters", "bell\a nul\x00 esc\x1b del\x7f", "bell nul esc del"},
		{"Chinese", strings.Repeat("数字技术", 30), strings.Repeat("数字技术", 30)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ics := roadshow.BuildICS("Roadshow", []roadshow.CalendarEntry{{UID: "s1@roadshow", Summary: tt.summary, Start: start, End: start.Add(15 * time.Minute)}}, start)
			if !strings.HasSuffix(ics, "\r\n") {
				t.Fatalf("does not end with CRLF: %q", ics)
			}
			for _, line := range strings.Split(strings.TrimSuffix(ics, "\r\n"), "\r\n") {
				if len(line) > 75 {
					t.Errorf("line of %d octets: %q", len(line), line)
				}
				for _, r := range line {
					if (r < 0x20 && r != '\t') || r == 0x7f {
						t.Errorf("control character %U in line %q", r, line)
					}
				}
			}
			unfolded := strings.ReplaceAll(ics, "\r\n ", "")
			if got := "SUMMARY:" + tt.want + "\r\n"; !strings.Contains(unfolded, got) {
				t.Errorf("got %q, want a line %q", unfolded, got)
			}
		})
	}
}

// TestBuildICSSequence: each entry says its revision and whether it is
// cancelled, so that calendar apps update it in place.
func TestBuildICSSequence(t *testing.T) {
	t.Parallel()
	start := time.Date(2030, 3, 4, 1, 0, 0, 0, time.UTC)
	ics := roadshow.BuildICS("Roadshow", []roadshow.CalendarEntry{
		{UID: "pitch-a@roadshow", Summary: "A", Start: start, End: start.Add(15 * time.Minute), Sequence: 42},
		{UID: "pitch-b@roadshow", Summary: "B", Start: start, End: start.Add(15 * time.Minute), Sequence: 7, Cancelled: true},
	}, start)
	events := strings.Split(ics, "BEGIN:VEVENT")[1:]
	if len(events) != 2 || !strings.Contains(events[0], "\r\nSEQUENCE:42\r\nSTATUS:CONFIRMED\r\n") ||
		!strings.Contains(events[1], "\r\nSEQUENCE:7\r\nSTATUS:CANCELLED\r\n") {
		t.Fatalf("got %q", ics)
	}
}
