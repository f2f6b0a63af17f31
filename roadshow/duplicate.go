package roadshow

import (
	"strings"
	"unicode"
)

// DuplicateReason says why two applications may be the same team.
type DuplicateReason string

const (
	DuplicateTitle  DuplicateReason = "title"  // very similar titles
	DuplicateDomain DuplicateReason = "domain" // applicants of the same company e-mail domain
)

// TitleSimilarityThreshold is the Jaccard similarity of title trigrams from
// which two titles count as very similar: "SolarGrid AI" and "Solar Grid
// AI Ltd." are over it, two titles sharing one word are not.
const TitleSimilarityThreshold = 0.6

// MaxDuplicateOwners bounds the applicants of one domain looked at.
const MaxDuplicateOwners = 50

// Duplicate is an application that may be the same team as another.
type Duplicate struct {
	Row        ApplicationRow    `json:"application"`
	Reasons    []DuplicateReason `json:"reasons"`
	Similarity float64           `json:"similarity,omitempty"` // of the titles, when that is a reason
}

// DuplicateList is what the screener is shown about one application.
type DuplicateList struct {
	Domain string      `json:"domain,omitempty"` // the company domain compared, "" for free mail
	Items  []Duplicate `json:"items"`
}

// freeMailDomains are the e-mail providers anyone can sign up with: sharing
// one says nothing about being the same team.
const freeMailDomains = "gmail.com googlemail.com outlook.com hotmail.com live.com msn.com yahoo.com yahoo.co.jp " +
	"yahoo.co.uk icloud.com me.com mac.com aol.com proton.me protonmail.com gmx.de gmx.net gmx.com web.de " +
	"mail.com yandex.ru yandex.com qq.com 163.com 126.com sina.com foxmail.com naver.com daum.net hanmail.net " +
	"zoho.com fastmail.com tutanota.com mail.ru t-online.de orange.fr free.fr laposte.net libero.it example.com"

// IsFreeMailDomain reports whether domain (lower case) is a free-mail
// provider's.
func IsFreeMailDomain(domain string) bool {
	for _, d := range strings.Fields(freeMailDomains) {
		if domain == d {
			return true
		}
	}
	return false
}

// CompanyDomain returns the lower-case domain of an e-mail address, or ""
// when there is none or it is a free-mail provider's.
func CompanyDomain(email string) string {
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return ""
	}
	d := strings.ToLower(strings.TrimSpace(email[at+1:]))
	if d == "" || IsFreeMailDomain(d) {
		return ""
	}
	return d
}

// titleStopWords are company suffixes that say nothing about a venture.
const titleStopWords = "inc ltd llc gmbh co corp kk ag sa bv plc the"

// NormalizeTitle lower-cases a title, keeps letters and digits as words and
// drops company suffixes, so that punctuation and "Ltd." do not count.
func NormalizeTitle(title string) string {
	words := strings.FieldsFunc(strings.ToLower(title), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	stop := strings.Fields(titleStopWords)
	out := words[:0]
	for _, w := range words {
		isStop := false
		for _, s := range stop {
			if w == s {
				isStop = true
				break
			}
		}
		if !isStop {
			out = append(out, w)
		}
	}
	return strings.Join(out, "")
}

// TitleTrigrams returns the set of rune trigrams of the normalized title
// (spaces removed, so "Solar Grid" and "SolarGrid" agree); a title shorter
// than three runes is its own single gram.
func TitleTrigrams(title string) map[string]struct{} {
	r := []rune(NormalizeTitle(title))
	set := map[string]struct{}{}
	if len(r) == 0 {
		return set
	}
	if len(r) < 3 {
		set[string(r)] = struct{}{}
		return set
	}
	for i := 0; i+3 <= len(r); i++ {
		set[string(r[i:i+3])] = struct{}{}
	}
	return set
}

// Jaccard is |a∩b| / |a∪b|; 0 when both are empty.
func Jaccard(a, b map[string]struct{}) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 0
	}
	inter := 0
	for g := range a {
		if _, ok := b[g]; ok {
			inter++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}
