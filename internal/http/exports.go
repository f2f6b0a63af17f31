package http

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/roadshow/roadshow/roadshow"
)

// utf8BOM makes spreadsheet programs read the CSV as UTF-8, so Chinese
// names show correctly.
const utf8BOM = "\ufeff"

func sendCSV(c *fiber.Ctx, name string, rows [][]string) error {
	var buf bytes.Buffer
	buf.WriteString(utf8BOM)
	w := csv.NewWriter(&buf)
	for _, row := range rows {
		for i := range row {
			row[i] = csvCell(row[i])
		}
	}
	if err := w.WriteAll(rows); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	return c.Send(buf.Bytes())
}

// csvCell keeps spreadsheet programs from running a cell as a formula: text
// that starts with = + - @ (or a tab or carriage return) gets a leading
// apostrophe. Plain numbers, such as a negative z-score, stay as they are.
func csvCell(v string) string {
	if v == "" || !strings.ContainsAny(v[:1], "=+-@\t\r") || isDecimal(v) {
		return v
	}
	return "'" + v
}

// isDecimal reports whether v is a signed decimal number such as -0.1234.
func isDecimal(v string) bool {
	if v[0] == '-' || v[0] == '+' {
		v = v[1:]
	}
	digits, dot := 0, false
	for i := 0; i < len(v); i++ {
		switch {
		case v[i] >= '0' && v[i] <= '9':
			digits++
		case v[i] == '.' && !dot:
			dot = true
		default:
			return false
		}
	}
	return digits > 0
}

func industryNames() map[string]roadshow.Industry {
	m := map[string]roadshow.Industry{}
	for _, ind := range roadshow.Industries() {
		m[ind.Code] = ind
	}
	return m
}

func csvTime(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// exportApplications writes every application (organizers), page by page.
func (s *Server) exportApplications(c *fiber.Ctx) error {
	ctx, cancel := longCtx(c)
	defer cancel()
	names := industryNames()
	rows := [][]string{{"id", "title", "industry", "industry_en", "industry_zh", "status", "stage", "country", "timezone",
		"team_size", "team", "funding_amount", "funding_currency", "website", "video_url", "submitted_at", "screening", "screening_note", "session_id",
		"applicant_name", "applicant_email", "applicant_email_confirmed"}}
	err := s.svc.Applications.Export(ctx, actorOf(c), func(a *roadshow.Application, o *roadshow.ApplicationOwner) error {
		team := ""
		for i, m := range a.Team {
			if i > 0 {
				team += "; "
			}
			team += m.Name + " (" + m.Role + ")"
		}
		amount, currency := "", ""
		if a.FundingAsk != nil {
			amount, currency = strconv.FormatInt(a.FundingAsk.Amount, 10), a.FundingAsk.Currency
		}
		ownerName, ownerEmail, confirmed := "", "", ""
		if o != nil {
			ownerName, ownerEmail, confirmed = o.Name, o.Email, strconv.FormatBool(o.EmailConfirmed != nil)
		}
		decision, note := "", ""
		if a.Screening != nil {
			decision, note = string(a.Screening.Decision), a.Screening.Note
		}
		rows = append(rows, []string{a.ID, a.Title, a.Industry, names[a.Industry].NameEN, names[a.Industry].NameZH, string(a.Status), a.Stage,
			a.Country, a.Timezone, strconv.Itoa(len(a.Team)), team, amount, currency, a.Website, a.VideoURL, csvTime(a.SubmittedAt), decision, note, a.SessionID,
			ownerName, ownerEmail, confirmed})
		return nil
	})
	if err != nil {
		return err
	}
	return sendCSV(c, "applications.csv", rows)
}

// exportResults writes the results of every live or ended session
// (organizers): the ranking rule once, in a comment line above the header,
// then per team its ranking row followed by one row per judge with the
// judge's value for each criterion and both comments. The criteria are the
// rubric's; a team row carries each criterion's mean over the scores that
// count.
func (s *Server) exportResults(c *fiber.Ctx) error {
	ctx, cancel := longCtx(c)
	defer cancel()
	all, err := s.svc.Results.Export(ctx, actorOf(c))
	if err != nil {
		return err
	}
	names := industryNames()
	var rubric roadshow.Rubric
	tieBreak := ""
	if len(all) > 0 {
		rubric, tieBreak = all[0].Rubric, all[0].Results.TieBreak
	} else {
		tieBreak = roadshow.ResultsTieBreak().Message
	}
	header := []string{"session_id", "session", "industry", "industry_zh", "session_start", "published", "row", "rank", "of", "application_id", "title", "country",
		"judges", "panel", "mean", "low", "high", "z_mean", "rank_score", "judge_id", "final", "counts"}
	for _, cr := range rubric.Criteria {
		header = append(header, "criterion_"+cr.Key)
	}
	header = append(header, "comment", "team_comment")
	// The comment line is as wide as the header, so that readers which want
	// every record the same width (Go's encoding/csv, pandas) take it.
	comment := make([]string, len(header))
	comment[0] = "# Ranking and tie-break: " + tieBreak
	rows := [][]string{comment, header}
	num := func(x float64) string { return strconv.FormatFloat(x, 'f', 4, 64) }
	for _, sr := range all {
		se, res := sr.Session, sr.Results
		session := []string{se.ID, se.Title, se.Industry, names[se.Industry].NameZH, se.Start.UTC().Format(time.RFC3339), strconv.FormatBool(se.Published())}
		for _, t := range res.Teams {
			z := ""
			if t.ZMean != nil {
				z = num(*t.ZMean)
			}
			row := append(append([]string{}, session...), "team", strconv.Itoa(t.Rank), strconv.Itoa(t.Of), t.ApplicationID, t.Title, t.Country,
				strconv.Itoa(t.Count), strconv.Itoa(t.Panel), num(t.Mean), num(t.Low), num(t.High), z, num(t.RankScore), "", "", "")
			var judged []roadshow.ExportedScore
			for _, sc := range sr.Scores {
				if sc.ApplicationID == t.ApplicationID {
					judged = append(judged, sc)
				}
			}
			for _, cr := range rubric.Criteria {
				sum, n := 0, 0
				for _, sc := range judged {
					if v, ok := sc.Values[cr.Key]; ok && sc.Counts {
						sum, n = sum+v, n+1
					}
				}
				if n == 0 {
					row = append(row, "")
				} else {
					row = append(row, num(float64(sum)/float64(n)))
				}
			}
			rows = append(rows, append(row, "", ""))
			for _, sc := range judged {
				jr := append(append([]string{}, session...), "judge", "", "", t.ApplicationID, t.Title, t.Country,
					"", "", "", "", "", "", "", sc.JudgeID, strconv.FormatBool(sc.Final), strconv.FormatBool(sc.Counts))
				for _, cr := range rubric.Criteria {
					if v, ok := sc.Values[cr.Key]; ok {
						jr = append(jr, strconv.Itoa(v))
					} else {
						jr = append(jr, "")
					}
				}
				rows = append(rows, append(jr, sc.Comment, sc.TeamComment))
			}
		}
	}
	return sendCSV(c, "results.csv", rows)
}
