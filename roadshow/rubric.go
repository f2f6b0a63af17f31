package roadshow

import (
	"fmt"
	"math"
	"unicode/utf8"
)

// Limits of a rubric. The scale is fixed: every criterion is scored with an
// integer from RubricScaleMin to RubricScaleMax, so that totals of different
// criteria, judges and sessions can be compared.
const (
	RubricMaxCriteria = 12
	RubricMaxNameLen  = 100 // runes
	RubricMaxWeight   = 100
	RubricScaleMin    = 1
	RubricScaleMax    = 10
)

// Criterion is one line of the rubric: what judges score, in both languages,
// how much it counts and on which scale (always 1..10).
type Criterion struct {
	Key    string  `json:"key" bson:"key"`
	NameEN string  `json:"nameEn" bson:"nameEn"`
	NameZH string  `json:"nameZh" bson:"nameZh"`
	Weight float64 `json:"weight" bson:"weight"`
	Min    int     `json:"min" bson:"min"`
	Max    int     `json:"max" bson:"max"`
}

// Rubric is the ordered list of criteria of an edition. Weights are relative:
// only their ratios matter, so 25/20/20/25/10 and 5/4/4/5/2 rank the same.
type Rubric struct {
	Criteria []Criterion `json:"criteria" bson:"criteria"`
}

// DefaultRubric returns the rubric an edition starts with: innovation and
// technology 25%, market potential 20%, team 20%, fit with the zone's "1+8"
// industries and landing plan 25%, pitch quality 10%, each scored 1..10.
// It returns a fresh copy on every call, so callers may modify it.
func DefaultRubric() Rubric {
	c := func(key, en, zh string, w float64) Criterion {
		return Criterion{Key: key, NameEN: en, NameZH: zh, Weight: w, Min: RubricScaleMin, Max: RubricScaleMax}
	}
	return Rubric{Criteria: []Criterion{
		c("innovation", "Innovation and technology", "创新性与技术水平", 25),
		c("market", "Market potential", "市场前景", 20),
		c("team", "Team", "团队实力", 20),
		c("industry_fit", "Fit with the zone's 1+8 industries and landing plan", "契合园区“1+8”产业及落地计划", 25),
		c("pitch", "Pitch quality", "路演表现", 10),
	}}
}

// Validate reports every problem of the rubric at once as an EUNPROCESSABLE
// error whose fields are JSON paths such as "criteria[2].weight": 1 to 12
// criteria; keys matching ^[a-z][a-z0-9_]{0,31}$ and unique; English and
// Chinese names non-empty and at most 100 characters; weight greater than 0
// and at most 100; Min 1 and Max 10 (only the 1..10 scale is allowed).
func (r Rubric) Validate() error {
	var v Validator
	if n := len(r.Criteria); n < 1 || n > RubricMaxCriteria {
		v.Add("criteria", "edition.rubric_criteria_count", Args{"min": 1, "max": RubricMaxCriteria})
	}
	seen := make(map[string]bool, len(r.Criteria))
	for i, c := range r.Criteria {
		p := fmt.Sprintf("criteria[%d].", i)
		switch {
		case !validCriterionKey(c.Key):
			v.Add(p+"key", "edition.rubric_key_format", Args{"max": criterionKeyMaxLen})
		case seen[c.Key]:
			v.Add(p+"key", "edition.rubric_key_taken", nil)
		}
		seen[c.Key] = true
		checkCriterionName(&v, p+"nameEn", c.NameEN)
		checkCriterionName(&v, p+"nameZh", c.NameZH)
		// NaN fails every comparison, so it is refused here too.
		if !(c.Weight > 0 && c.Weight <= RubricMaxWeight) {
			v.Add(p+"weight", "edition.rubric_weight_range", Args{"max": RubricMaxWeight})
		}
		if c.Min != RubricScaleMin {
			v.Add(p+"min", "edition.rubric_scale_min", Args{"min": RubricScaleMin, "max": RubricScaleMax})
		}
		if c.Max != RubricScaleMax {
			v.Add(p+"max", "edition.rubric_scale_max", Args{"min": RubricScaleMin, "max": RubricScaleMax})
		}
	}
	return v.Err(EUNPROCESSABLE, "edition.rubric_invalid")
}

// criterionKeyMaxLen bounds a criterion's key.
const criterionKeyMaxLen = 32

// validCriterionKey reports whether key matches ^[a-z][a-z0-9_]{0,31}$.
func validCriterionKey(key string) bool {
	if len(key) < 1 || len(key) > criterionKeyMaxLen || key[0] < 'a' || key[0] > 'z' {
		return false
	}
	for i := 1; i < len(key); i++ {
		b := key[i]
		if !(b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '_') {
			return false
		}
	}
	return true
}

func checkCriterionName(v *Validator, field, name string) {
	switch {
	case !utf8.ValidString(name):
		v.Add(field, "field.utf8", nil)
	case TextProblem(name, false) != "":
		v.Add(field, "field.control_characters", nil)
	case !Visible(name):
		v.Add(field, "field.required", nil)
	case utf8.RuneCountInString(name) > RubricMaxNameLen:
		v.Add(field, "field.at_most", Args{"max": RubricMaxNameLen})
	}
}

// ValidateScores checks one judge's values for one application against the
// rubric: every criterion present, no unknown key, each value within the
// criterion's [Min, Max]. Every problem is reported at once as an
// EUNPROCESSABLE error with fields "values.<key>".
func (r Rubric) ValidateScores(values map[string]int) error {
	return r.validateScores(values, true)
}

// ValidatePartialScores checks the values a judge has typed so far: like
// ValidateScores, except that criteria may be missing (a partial score is
// saved as it is typed, and counts nowhere until it is complete).
func (r Rubric) ValidatePartialScores(values map[string]int) error {
	return r.validateScores(values, false)
}

// ScoreComplete reports whether values give every criterion a valid value:
// only such scores count in results, and only they can be made final.
func (r Rubric) ScoreComplete(values map[string]int) bool {
	return r.ValidateScores(values) == nil
}

func (r Rubric) validateScores(values map[string]int, complete bool) error {
	var v Validator
	for _, c := range r.Criteria {
		x, ok := values[c.Key]
		switch {
		case !ok && complete:
			v.Add("values."+c.Key, "field.required", nil)
		case ok && (x < c.Min || x > c.Max):
			v.Add("values."+c.Key, "score.value_range", Args{"min": c.Min, "max": c.Max})
		}
	}
	for k := range values {
		if !r.has(k) {
			v.Add("values."+k, "score.criterion_unknown", nil)
		}
	}
	return v.Err(EUNPROCESSABLE, "score.invalid")
}

func (r Rubric) has(key string) bool {
	for _, c := range r.Criteria {
		if c.Key == key {
			return true
		}
	}
	return false
}

// WeightedTotal returns sum(weight*value)/sum(weight) over the criteria, on
// the same 1..10 scale as the values. It is meant for values that passed
// ValidateScores; a criterion missing from values is left out of both sums,
// keys the rubric does not know are ignored, and it returns 0 when no
// criterion has a value. Nothing is rounded.
func (r Rubric) WeightedTotal(values map[string]int) float64 {
	var sum, weights float64
	for _, c := range r.Criteria {
		if x, ok := values[c.Key]; ok {
			sum += c.Weight * float64(x)
			weights += c.Weight
		}
	}
	if !(weights > 0) || math.IsInf(weights, 0) {
		return 0
	}
	return sum / weights
}
