package roadshow

import (
	"sort"
	"strings"
	"time"
)

// iso3166 holds the officially assigned ISO 3166-1 alpha-2 codes.
const iso3166 = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
	"CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
	"GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP " +
	"KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT " +
	"MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW " +
	"SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG " +
	"UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"

// Countries returns every ISO 3166-1 alpha-2 code, sorted.
func Countries() []string {
	cs := strings.Fields(iso3166)
	sort.Strings(cs)
	return cs
}

// IsCountry reports whether code is an assigned ISO 3166-1 alpha-2 code
// (upper case).
func IsCountry(code string) bool {
	if len(code) != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z' {
		return false
	}
	for i := 0; i+2 <= len(iso3166); i += 3 {
		if iso3166[i:i+2] == code {
			return true
		}
	}
	return false
}

// IsTimezone reports whether name is an IANA time zone such as
// "Europe/Berlin" (or "UTC"). The process must embed time/tzdata so that this
// does not depend on the host.
func IsTimezone(name string) bool {
	if name == "" || len(name) > 64 || name == "Local" {
		return false
	}
	if name != "UTC" && !strings.Contains(name, "/") {
		return false
	}
	_, err := time.LoadLocation(name)
	return err == nil
}

// iso4217 lists the currencies a funding ask may use.
const iso4217 = "AED AUD CAD CHF CNY DKK EUR GBP HKD ILS INR JPY KRW NOK NZD SEK SGD USD"

// Currencies returns the accepted ISO 4217 codes, sorted.
func Currencies() []string { return strings.Fields(iso4217) }

// IsCurrency reports whether code is an accepted ISO 4217 currency code.
func IsCurrency(code string) bool {
	return len(code) == 3 && strings.Contains(" "+iso4217+" ", " "+code+" ")
}
