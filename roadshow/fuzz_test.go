package roadshow_test

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/roadshow/roadshow/roadshow"
)

// minimalPDF is a complete one-page PDF as a PDF writer produces it.
const minimalPDF = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\nendobj\nxref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n0000000115 00000 n \ntrailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n188\n%%EOF\n"

// chunkedReader hands out its data in pieces of the sizes given, in turn.
type chunkedReader struct {
	data  []byte
	sizes []byte
	i     int
}

func (r *chunkedReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	n := len(p)
	if len(r.sizes) > 0 {
		n = min(n, int(r.sizes[r.i%len(r.sizes)])+1)
		r.i++
	}
	n = copy(p, r.data[:min(n, len(r.data))])
	r.data = r.data[n:]
	return n, nil
}

// FuzzPDFReader: the deck check passes a file through unchanged exactly when it starts with
// %PDF-, has %%EOF in its last 1024 bytes and stays within the limit, however the upload is
// cut into reads; otherwise it fails with ETOOLARGE (only past the limit) or EUNPROCESSABLE.
func FuzzPDFReader(f *testing.F) {
	f.Add([]byte(minimalPDF), int64(1<<20), []byte{})
	f.Add([]byte(minimalPDF), int64(len(minimalPDF)), []byte{0, 3, 200})
	f.Add([]byte(minimalPDF), int64(len(minimalPDF)-1), []byte{7})
	f.Add([]byte(minimalPDF[:len(minimalPDF)-7]), int64(1<<20), []byte{1})
	f.Add([]byte("PK\x03\x04 a zip file"), int64(1<<20), []byte{})
	f.Add([]byte("%PDF-"+strings.Repeat("x", 2000)+"%%EOF"), int64(1<<20), []byte{255})
	f.Add([]byte("%%EOF"+strings.Repeat("x", 2000)), int64(1<<20), []byte{})
	f.Fuzz(func(t *testing.T, data []byte, limit int64, sizes []byte) {
		if limit < 0 {
			limit = -limit
		}
		got, err := io.ReadAll(roadshow.NewPDFReader(&chunkedReader{data: bytes.Clone(data), sizes: sizes}, limit))
		tail := data[max(0, len(data)-1024):]
		valid := int64(len(data)) <= limit && bytes.HasPrefix(data, []byte("%PDF-")) && bytes.Contains(tail, []byte("%%EOF"))
		if err == nil {
			if !valid {
				t.Fatalf("accepted %q (limit %d)", data, limit)
			}
			if !bytes.Equal(got, data) {
				t.Fatalf("passed %q through as %q", data, got)
			}
			return
		}
		if valid {
			t.Fatalf("refused a valid PDF of %d bytes (limit %d): %v", len(data), limit, err)
		}
		var re *roadshow.Error
		if !errors.As(err, &re) {
			t.Fatalf("error %T %v is not a domain error", err, err)
		}
		switch re.Code {
		case roadshow.ETOOLARGE:
			if int64(len(data)) <= limit {
				t.Fatalf("ETOOLARGE for %d bytes, limit %d", len(data), limit)
			}
		case roadshow.EUNPROCESSABLE:
			if re.Fields["deck"].Key == "" {
				t.Fatalf("EUNPROCESSABLE without a message for the deck field: %+v", re)
			}
		default:
			t.Fatalf("code %s, want ETOOLARGE or EUNPROCESSABLE", re.Code)
		}
	})
}

// icsUnescape reads an RFC 5545 TEXT value.
func icsUnescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'n', 'N':
				b.WriteByte('\n')
			default:
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// icsExpected is what a calendar app reads back from text: line breaks as newlines, other
// control characters dropped, invalid UTF-8 as U+FFFD.
func icsExpected(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Map(func(c rune) rune {
		if c == '\n' || c == '\t' {
			return c
		}
		if c < 0x20 || c == 0x7f {
			return -1
		}
		return c
	}, s)
}

// FuzzBuildICS: the calendar is valid iCalendar whatever the text: CRLF line ends, physical
// lines of at most 75 octets, each valid UTF-8 (a fold never splits a character), continuation
// lines starting with one space, BEGIN and END in order, and after unfolding and unescaping
// every text reads back as written, times and sequence included.
func FuzzBuildICS(f *testing.F) {
	start := time.Date(2026, 12, 7, 9, 0, 0, 0, time.FixedZone("CST", 8*3600)).Unix()
	f.Add("Roadshow", "s1-a1@roadshow", "Pitch: Tidal sensors (smart-ocean)", "Join: https://roadshow.example.com/sessions/s1/live", start, int64(900), 2, false)
	f.Add("路演 2026", "s2@roadshow", "路演：智慧海洋 — 第一场，共八个团队；请提前十分钟入场", strings.Repeat("长文本，", 40), start, int64(3600), 0, true)
	f.Add("A;B,C\\D", "x", "line one\r\nline two\rthree\nfour\x00\x7f\tend", "", start, int64(60), -3, false)
	f.Add("", "", strings.Repeat("é", 80), "\xff\xfe invalid", int64(0), int64(0), 1<<40, false)
	f.Fuzz(func(t *testing.T, name, uid, summary, desc string, startUnix, durSec int64, seq int, cancelled bool) {
		// Times a calendar can hold (years 0000 to 9999), which sessions always are.
		const lo, hi = -62167219200, 253402300799
		startUnix = lo + (startUnix%(hi-lo)+(hi-lo))%(hi-lo)
		end := min(startUnix+max(durSec%86400, 0), hi)
		st, en := time.Unix(startUnix, 0), time.Unix(end, 0)
		ics := roadshow.BuildICS(name, []roadshow.CalendarEntry{{UID: uid, Summary: summary, Description: desc, Start: st, End: en, Sequence: seq, Cancelled: cancelled}}, time.Unix(start, 0))
		if !strings.HasSuffix(ics, "\r\n") {
			t.Fatalf("does not end with CRLF: %q", ics)
		}
		physical := strings.Split(strings.TrimSuffix(ics, "\r\n"), "\r\n")
		var lines []string
		for i, l := range physical {
			if strings.ContainsAny(l, "\r\n") {
				t.Fatalf("line %d holds a bare CR or LF: %q", i, l)
			}
			if len(l) > 75 {
				t.Fatalf("line %d is %d octets: %q", i, len(l), l)
			}
			if !utf8.ValidString(l) {
				t.Fatalf("line %d is not valid UTF-8 (a fold split a character?): %q", i, l)
			}
			if strings.HasPrefix(l, " ") {
				if i == 0 {
					t.Fatal("the first line is a continuation")
				}
				lines[len(lines)-1] += l[1:]
				continue
			}
			if l == "" {
				t.Fatalf("line %d is empty", i)
			}
			lines = append(lines, l)
		}
		props := map[string]string{}
		var stack []string
		for _, l := range lines {
			k, v, ok := strings.Cut(l, ":")
			if !ok {
				t.Fatalf("content line without a colon: %q", l)
			}
			switch k {
			case "BEGIN":
				stack = append(stack, v)
			case "END":
				if len(stack) == 0 || stack[len(stack)-1] != v {
					t.Fatalf("END:%s does not close %v", v, stack)
				}
				stack = stack[:len(stack)-1]
			default:
				if _, dup := props[k]; dup && k != "VERSION" {
					t.Fatalf("%s twice", k)
				}
				props[k] = v
			}
		}
		if len(stack) != 0 || lines[0] != "BEGIN:VCALENDAR" || lines[len(lines)-1] != "END:VCALENDAR" {
			t.Fatalf("unbalanced calendar: %v", lines)
		}
		check := func(prop, got, want string) {
			if got != want {
				t.Fatalf("%s reads %q, want %q", prop, got, want)
			}
		}
		check("X-WR-CALNAME", icsUnescape(props["X-WR-CALNAME"]), icsExpected(name))
		check("UID", icsUnescape(props["UID"]), icsExpected(uid))
		check("SUMMARY", icsUnescape(props["SUMMARY"]), icsExpected(summary))
		if desc != "" {
			check("DESCRIPTION", icsUnescape(props["DESCRIPTION"]), icsExpected(desc))
		}
		check("DTSTART", props["DTSTART"], st.UTC().Format("20060102T150405Z"))
		check("DTEND", props["DTEND"], en.UTC().Format("20060102T150405Z"))
		if _, err := time.Parse("20060102T150405Z", props["DTSTART"]); err != nil {
			t.Fatalf("DTSTART %q: %v", props["DTSTART"], err)
		}
		check("SEQUENCE", props["SEQUENCE"], strconv.Itoa(max(seq, 0)))
		status := "CONFIRMED"
		if cancelled {
			status = "CANCELLED"
		}
		check("STATUS", props["STATUS"], status)
	})
}
