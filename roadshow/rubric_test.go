package roadshow

import (
	"fmt"
	"maps"
	"math"
	"strings"
	"testing"
)

func TestDefaultRubric(t *testing.T) {
	t.Parallel()
	r := DefaultRubric()
	if err := r.Validate(); err != nil {
		t.Fatalf("DefaultRubric().Validate() = %v, want nil", err)
	}
	want := map[string]float64{"innovation": 25, "market": 20, "team": 20, "industry_fit": 25, "pitch": 10}
	got := map[string]float64{}
	total := 0.0
	for _, c := range r.Criteria {
		got[c.Key] = c.Weight
		total += c.Weight
		if c.NameEN == "" || c.NameZH == "" {
			t.Errorf("criterion %q: names EN %q ZH %q, want both", c.Key, c.NameEN, c.NameZH)
		}
	}
	if !maps.Equal(got, want) {
		t.Errorf("weights: got %v, want %v", got, want)
	}
	if total != 100 {
		t.Errorf("weights sum to %v, want 100 (percentages)", total)
	}
	// A fresh copy each time.
	r.Criteria[0].Weight = 1
	if DefaultRubric().Criteria[0].Weight != 25 {
		t.Error("DefaultRubric shares its slice between calls")
	}
}

// defaultRubricWith returns the default rubric with criterion i changed by f.
func defaultRubricWith(i int, f func(*Criterion)) Rubric {
	r := DefaultRubric()
	f(&r.Criteria[i])
	return r
}

func TestRubricValidate(t *testing.T) {
	t.Parallel()
	thirteen := Rubric{}
	for i := range 13 {
		thirteen.Criteria = append(thirteen.Criteria, Criterion{
			Key: fmt.Sprintf("c%d", i), NameEN: "x", NameZH: "x", Weight: 1, Min: 1, Max: 10,
		})
	}
	twelve := Rubric{Criteria: thirteen.Criteria[:12]}
	tests := []struct {
		name   string
		rubric Rubric
		fields map[string]string // field -> substring of the message; nil means valid
	}{
		{"Default", DefaultRubric(), nil},
		{"TwelveCriteria", twelve, nil},
		{"OneCriterion", Rubric{Criteria: DefaultRubric().Criteria[:1]}, nil},
		{"KeyOf32", defaultRubricWith(0, func(c *Criterion) { c.Key = "a" + strings.Repeat("b_9", 10) + "z" }), nil},
		{"Name100Runes", defaultRubricWith(1, func(c *Criterion) { c.NameZH = strings.Repeat("创", 100) }), nil},
		{"WeightMax", defaultRubricWith(2, func(c *Criterion) { c.Weight = 100 }), nil},
		{"WeightTiny", defaultRubricWith(2, func(c *Criterion) { c.Weight = 0.5 }), nil},

		{"ErrNoCriteria", Rubric{}, map[string]string{"criteria": "between 1 and 12"}},
		{"ErrTooManyCriteria", thirteen, map[string]string{"criteria": "between 1 and 12"}},
		{"ErrKeyEmpty", defaultRubricWith(0, func(c *Criterion) { c.Key = "" }), map[string]string{"criteria[0].key": "lowercase"}},
		{"ErrKeyUpper", defaultRubricWith(1, func(c *Criterion) { c.Key = "Market" }), map[string]string{"criteria[1].key": "lowercase"}},
		{"ErrKeyDigitFirst", defaultRubricWith(1, func(c *Criterion) { c.Key = "1st" }), map[string]string{"criteria[1].key": "lowercase"}},
		{"ErrKeyDash", defaultRubricWith(1, func(c *Criterion) { c.Key = "go-to-market" }), map[string]string{"criteria[1].key": "lowercase"}},
		{"ErrKeyOf33", defaultRubricWith(0, func(c *Criterion) { c.Key = strings.Repeat("a", 33) }), map[string]string{"criteria[0].key": "lowercase"}},
		{"ErrKeyDuplicate", defaultRubricWith(4, func(c *Criterion) { c.Key = "team" }), map[string]string{"criteria[4].key": "another criterion"}},
		{"ErrNameEnEmpty", defaultRubricWith(2, func(c *Criterion) { c.NameEN = "  " }), map[string]string{"criteria[2].nameEn": "Required"}},
		{"ErrNameZhEmpty", defaultRubricWith(2, func(c *Criterion) { c.NameZH = "" }), map[string]string{"criteria[2].nameZh": "Required"}},
		{"ErrName101Runes", defaultRubricWith(3, func(c *Criterion) { c.NameZH = strings.Repeat("创", 101) }), map[string]string{"criteria[3].nameZh": "At most 100"}},
		{"ErrNameInvalidUTF8", defaultRubricWith(3, func(c *Criterion) { c.NameEN = "a\xffb" }), map[string]string{"criteria[3].nameEn": "UTF-8"}},
		{"ErrWeightZero", defaultRubricWith(2, func(c *Criterion) { c.Weight = 0 }), map[string]string{"criteria[2].weight": "greater than 0"}},
		{"ErrWeightNegative", defaultRubricWith(2, func(c *Criterion) { c.Weight = -5 }), map[string]string{"criteria[2].weight": "greater than 0"}},
		{"ErrWeightOver100", defaultRubricWith(2, func(c *Criterion) { c.Weight = 100.5 }), map[string]string{"criteria[2].weight": "at most 100"}},
		{"ErrWeightNaN", defaultRubricWith(2, func(c *Criterion) { c.Weight = math.NaN() }), map[string]string{"criteria[2].weight": "greater than 0"}},
		{"ErrWeightInf", defaultRubricWith(2, func(c *Criterion) { c.Weight = math.Inf(1) }), map[string]string{"criteria[2].weight": "at most 100"}},
		{"ErrScaleMin0", defaultRubricWith(0, func(c *Criterion) { c.Min = 0 }), map[string]string{"criteria[0].min": "1-10 scale"}},
		{"ErrScaleMax5", defaultRubricWith(0, func(c *Criterion) { c.Max = 5 }), map[string]string{"criteria[0].max": "1-10 scale"}},
		{"ErrScaleMax100", defaultRubricWith(4, func(c *Criterion) { c.Max = 100 }), map[string]string{"criteria[4].max": "1-10 scale"}},
		{"ErrEverythingAtOnce", Rubric{Criteria: []Criterion{
			{Key: "ok", NameEN: "OK", NameZH: "好", Weight: 1, Min: 1, Max: 10},
			{Key: "ok", NameEN: "", NameZH: "", Weight: 0, Min: 0, Max: 0},
		}}, map[string]string{
			"criteria[1].key": "another", "criteria[1].nameEn": "Required", "criteria[1].nameZh": "Required",
			"criteria[1].weight": "greater", "criteria[1].min": "Must be 1", "criteria[1].max": "Must be 10",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.rubric.Validate()
			checkScoringFieldErrors(t, err, tt.fields)
		})
	}
}

// checkScoringFieldErrors asserts that err is nil when want is nil, and otherwise an
// EUNPROCESSABLE error whose fields are exactly the keys of want, each message
// containing the given substring.
func checkScoringFieldErrors(t *testing.T, err error, want map[string]string) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("got %v, want nil", err)
		}
		return
	}
	if got := ErrorCode(err); got != EUNPROCESSABLE {
		t.Fatalf("code: got %q (%v), want %q", got, err, EUNPROCESSABLE)
	}
	got := ErrorFields(err)
	if len(got) != len(want) {
		t.Errorf("fields: got %v, want keys of %v", got, want)
	}
	for f, sub := range want {
		msg, ok := got[f]
		if !ok {
			t.Errorf("field %q: missing; got %v", f, got)
		} else if !strings.Contains(msg.Message, sub) {
			t.Errorf("field %q: got message %q, want it to contain %q", f, msg.Message, sub)
		}
	}
}

// rubricValues returns values for every criterion of the default rubric.
func rubricValues(innovation, market, team, fit, pitch int) map[string]int {
	return map[string]int{"innovation": innovation, "market": market, "team": team, "industry_fit": fit, "pitch": pitch}
}

func TestRubricValidateScores(t *testing.T) {
	t.Parallel()
	r := DefaultRubric()
	with := func(base map[string]int, k string, v int) map[string]int {
		m := maps.Clone(base)
		m[k] = v
		return m
	}
	without := func(base map[string]int, k string) map[string]int {
		m := maps.Clone(base)
		delete(m, k)
		return m
	}
	ok := rubricValues(8, 6, 7, 9, 5)
	tests := []struct {
		name   string
		values map[string]int
		fields map[string]string
	}{
		{"Valid", ok, nil},
		{"AllMin", rubricValues(1, 1, 1, 1, 1), nil},
		{"AllMax", rubricValues(10, 10, 10, 10, 10), nil},
		{"ErrScoreBelowRange", with(ok, "team", 0), map[string]string{"values.team": "between 1 and 10"}},
		{"ErrScoreAboveRange", with(ok, "pitch", 11), map[string]string{"values.pitch": "between 1 and 10"}},
		{"ErrScoreNegative", with(ok, "market", -3), map[string]string{"values.market": "between 1 and 10"}},
		{"ErrUnknownCriterion", with(ok, "charisma", 7), map[string]string{"values.charisma": "Unknown"}},
		{"ErrMissingCriterion", without(ok, "industry_fit"), map[string]string{"values.industry_fit": "Required"}},
		{"ErrMissingAndUnknown", with(without(ok, "team"), "teamwork", 7), map[string]string{
			"values.team": "Required", "values.teamwork": "Unknown",
		}},
		{"ErrNoValues", nil, map[string]string{
			"values.innovation": "Required", "values.market": "Required", "values.team": "Required",
			"values.industry_fit": "Required", "values.pitch": "Required",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			checkScoringFieldErrors(t, r.ValidateScores(tt.values), tt.fields)
		})
	}
}

func TestRubricWeightedTotal(t *testing.T) {
	t.Parallel()
	twoToOne := Rubric{Criteria: []Criterion{
		{Key: "a", NameEN: "A", NameZH: "甲", Weight: 2, Min: 1, Max: 10},
		{Key: "b", NameEN: "B", NameZH: "乙", Weight: 1, Min: 1, Max: 10},
	}}
	tests := []struct {
		name   string
		rubric Rubric
		values map[string]int
		want   float64
	}{
		// (25*8 + 20*6 + 20*7 + 25*9 + 10*5) / 100 = (200+120+140+225+50)/100 = 735/100
		{"Default", DefaultRubric(), rubricValues(8, 6, 7, 9, 5), 7.35},
		// every criterion the same value: the total is that value
		{"DefaultUniform", DefaultRubric(), rubricValues(6, 6, 6, 6, 6), 6},
		{"DefaultMin", DefaultRubric(), rubricValues(1, 1, 1, 1, 1), 1},
		{"DefaultMax", DefaultRubric(), rubricValues(10, 10, 10, 10, 10), 10},
		// (2*9 + 1*3) / 3 = 21/3
		{"TwoToOne", twoToOne, map[string]int{"a": 9, "b": 3}, 7},
		// only the weights' ratios matter: (50*9 + 25*3) / 75 = 525/75
		{"TwoToOneScaled", Rubric{Criteria: []Criterion{
			{Key: "a", Weight: 50, Min: 1, Max: 10}, {Key: "b", Weight: 25, Min: 1, Max: 10},
		}}, map[string]int{"a": 9, "b": 3}, 7},
		// a missing criterion is left out of both sums: 1*3/1; unknown keys ignored
		{"MissingCriterion", twoToOne, map[string]int{"b": 3, "zzz": 10}, 3},
		{"NoValues", twoToOne, nil, 0},
		{"NoCriteria", Rubric{}, map[string]int{"a": 5}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.rubric.WeightedTotal(tt.values); math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
