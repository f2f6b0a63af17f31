package roadshow

import (
	"encoding/base64"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxSearchText bounds the search text of the organizers' list.
const MaxSearchText = 100

// ApplicationSort names an order of the organizers' list; a leading "-"
// reverses it. Every order ends on the id, so that keys are unique.
type ApplicationSort string

const (
	SortSubmitted ApplicationSort = "submitted" // submission time (creation time before it)
	SortTitle     ApplicationSort = "title"
	SortCountry   ApplicationSort = "country"
	SortIndustry  ApplicationSort = "industry"
)

// DefaultApplicationSort is newest submission first.
const DefaultApplicationSort ApplicationSort = "-" + SortSubmitted

// Field is the order without its direction.
func (s ApplicationSort) Field() ApplicationSort {
	return ApplicationSort(strings.TrimPrefix(string(s), "-"))
}

// Desc reports whether the order is descending.
func (s ApplicationSort) Desc() bool { return strings.HasPrefix(string(s), "-") }

// Valid reports whether s is one of the orders, either way.
func (s ApplicationSort) Valid() bool {
	switch s.Field() {
	case SortSubmitted, SortTitle, SortCountry, SortIndustry:
		return strings.Count(string(s), "-") <= 1
	}
	return false
}

// ApplicationRow is what the organizers' list shows of an application, and
// all that the in-memory index needs to find, sort and show a page.
type ApplicationRow struct {
	ID               string     `json:"id" bson:"_id"`
	OwnerID          string     `json:"-" bson:"ownerId"`
	Title            string     `json:"title" bson:"title"`
	Industry         string     `json:"industry" bson:"industry"`
	Stage            string     `json:"stage" bson:"stage"`
	Country          string     `json:"country" bson:"country"`
	Status           Status     `json:"status" bson:"status"`
	ScreeningVersion int        `json:"screeningVersion" bson:"screeningVersion"`
	CreatedAt        time.Time  `json:"createdAt" bson:"createdAt"`
	SubmittedAt      *time.Time `json:"submittedAt" bson:"submittedAt"`
}

// Row returns the list row of a.
func (a *Application) Row() ApplicationRow {
	return ApplicationRow{
		ID: a.ID, OwnerID: a.OwnerID, Title: a.Title, Industry: a.Industry, Stage: a.Stage, Country: a.Country,
		Status: a.Status, ScreeningVersion: a.ScreeningVersion, CreatedAt: a.CreatedAt, SubmittedAt: a.SubmittedAt,
	}
}

// SortTime is when a counts as submitted for ordering: its submission, or
// its creation while it has none (drafts).
func (r *ApplicationRow) SortTime() time.Time {
	if r.SubmittedAt != nil {
		return *r.SubmittedAt
	}
	return r.CreatedAt
}

// sortTimeLayout makes times compare as strings (UTC, fixed width,
// milliseconds: what BSON keeps).
const sortTimeLayout = "2006-01-02T15:04:05.000Z"

// Key returns r's position in the order by field f (no direction).
func (r *ApplicationRow) Key(f ApplicationSort) ApplicationKey {
	var v string
	switch f.Field() {
	case SortTitle:
		v = r.Title
	case SortCountry:
		v = r.Country
	case SortIndustry:
		v = r.Industry
	default:
		v = r.SortTime().UTC().Format(sortTimeLayout)
	}
	return ApplicationKey{Value: v, ID: r.ID}
}

// ApplicationKey is a position in an order: the sorted value, then the id.
type ApplicationKey struct {
	Value string
	ID    string
}

// Less orders keys by value, then id.
func (k ApplicationKey) Less(o ApplicationKey) bool {
	if k.Value != o.Value {
		return k.Value < o.Value
	}
	return k.ID < o.ID
}

// Time is the value of a key of SortSubmitted.
func (k ApplicationKey) Time() (time.Time, bool) {
	t, err := time.Parse(sortTimeLayout, k.Value)
	return t, err == nil
}

// EncodeCursor makes k an opaque cursor for a query string.
func (k ApplicationKey) EncodeCursor() string {
	return base64.RawURLEncoding.EncodeToString([]byte(k.ID + "\x00" + k.Value))
}

// DecodeCursor reads a cursor EncodeCursor made; false when it is not one.
func DecodeCursor(c string) (ApplicationKey, bool) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return ApplicationKey{}, false
	}
	id, v, ok := strings.Cut(string(b), "\x00")
	if !ok || !ValidID(id) || !utf8.ValidString(v) || len(v) > 4*MaxTitleLen {
		return ApplicationKey{}, false
	}
	return ApplicationKey{Value: v, ID: id}, true
}

// SearchWords splits a text into its distinct lower-case words: runs of
// letters and digits (a run of Chinese characters is one word).
func SearchWords(s string) []string {
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	slices.Sort(words)
	return slices.Compact(words)
}

// SearchTerms splits a search text into terms, as SearchWords: each must
// occur within a word of the application ("grid" finds "SolarGrid", "77"
// finds "#770").
func SearchTerms(q string) []string { return SearchWords(q) }

// SearchWords is what the organizers' search looks in: the words of the
// title, the summary, the team's names and the country code.
func (a *Application) SearchWords() []string {
	var b strings.Builder
	b.WriteString(a.Title)
	b.WriteByte('\n')
	b.WriteString(a.Summary)
	for _, m := range a.Team {
		b.WriteByte('\n')
		b.WriteString(m.Name)
	}
	b.WriteByte('\n')
	b.WriteString(a.Country)
	return SearchWords(b.String())
}

// MatchesTerms reports whether every term occurs within one of words (an
// application's SearchWords).
func MatchesTerms(words, terms []string) bool {
	for _, t := range terms {
		found := false
		for _, w := range words {
			if strings.Contains(w, t) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// ApplicationQuery selects the organizers' list: search terms, filters, an
// order, and a window of it (Limit rows after After, or before it when
// Reverse).
type ApplicationQuery struct {
	Terms    []string // each must occur within a word of SearchWords
	Industry string
	Statuses []Status // empty: every status
	Sort     ApplicationSort
	After    *ApplicationKey // start after this key (in the order walked)
	Reverse  bool            // walk the order backwards (previous rows)
	Limit    int
	// NoTotal skips counting every match (neighbours need one row).
	NoTotal bool
}

// Matches reports whether r passes the filters (not the terms).
func (q *ApplicationQuery) Matches(r *ApplicationRow) bool {
	if q.Industry != "" && r.Industry != q.Industry {
		return false
	}
	if len(q.Statuses) == 0 {
		return true
	}
	for _, s := range q.Statuses {
		if r.Status == s {
			return true
		}
	}
	return false
}

// ApplicationRows is a window of the organizers' list: the rows, whether
// more follow, and how many match in all.
type ApplicationRows struct {
	Items []ApplicationRow
	More  bool
	Total int
}

// ApplicationListPage is one page of the organizers' list as the API
// answers it.
type ApplicationListPage struct {
	Items      []ApplicationRow `json:"items"`
	NextCursor string           `json:"nextCursor"`
	Total      int              `json:"total"`
}

// ApplicationSearch is the organizers' list request, as the HTTP layer
// reads it from the query string.
type ApplicationSearch struct {
	Text     string
	Industry string
	Status   string // a status, "all", or "" (everything but drafts)
	Sort     string
	Cursor   string
	Limit    int
}

// query validates s and turns it into a store query (EINVALID).
func (s ApplicationSearch) query() (ApplicationQuery, error) {
	var v Validator
	text := strings.TrimSpace(s.Text)
	v.Check(utf8.RuneCountInString(text) <= MaxSearchText, "q", "field.max_length", Args{"max": MaxSearchText})
	v.Text("q", text, false)
	v.Check(s.Industry == "" || IsIndustry(s.Industry), "industry", "request.industry_unknown", nil)
	v.Check(s.Status == "" || s.Status == "all" || Status(s.Status).Valid(), "status", "request.status_unknown", nil)
	sort := ApplicationSort(s.Sort)
	if sort == "" {
		sort = DefaultApplicationSort
	}
	v.Check(sort.Valid(), "sort", "request.sort_unknown", nil)
	v.Check(s.Limit >= 0 && s.Limit <= MaxPageSize, "limit", "request.limit_range", Args{"min": 1, "max": MaxPageSize})
	q := ApplicationQuery{Terms: SearchTerms(text), Industry: s.Industry, Sort: sort, Limit: s.Limit}
	if s.Cursor != "" {
		k, ok := DecodeCursor(s.Cursor)
		v.Check(ok, "cursor", "request.cursor_invalid", nil)
		q.After = &k
	}
	if err := v.Err(EINVALID, "request.filter_invalid"); err != nil {
		return ApplicationQuery{}, err
	}
	switch s.Status {
	case "":
		// Drafts are the applicants' work in progress, not the screeners'.
		q.Statuses = []Status{StatusSubmitted, StatusEligible, StatusIneligible, StatusWithdrawn}
	case "all":
	default:
		q.Statuses = []Status{Status(s.Status)}
	}
	if q.Limit == 0 {
		q.Limit = DefaultPageSize
	}
	return q, nil
}

// ApplicationNeighbors are the rows before and after one application in
// the organizers' list as filtered and ordered (nil at either end).
type ApplicationNeighbors struct {
	Prev *ApplicationRow `json:"prev"`
	Next *ApplicationRow `json:"next"`
}

// ScreeningQueueNext is the next application waiting for a decision and
// how many wait in all.
type ScreeningQueueNext struct {
	Next      *ApplicationRow `json:"next"`
	Remaining int             `json:"remaining"`
}
