package roadshow

// Summary counts applications per industry and status. Every industry and
// every status is present, zero or not.
type Summary struct {
	Industries []IndustryCount `json:"industries"`
	Totals     map[Status]int  `json:"totals"`
	Total      int             `json:"total"`
}

// IndustryCount is one cell row of the 1+8 grid.
type IndustryCount struct {
	Industry
	Counts map[Status]int `json:"counts"`
	Total  int            `json:"total"`
}

// BuildSummary turns raw counters into the full grid, zeros included.
// Negative counters (which a crash between two writes could leave) show as 0.
func BuildSummary(counts map[string]map[Status]int) Summary {
	sum := Summary{Totals: map[Status]int{}}
	for _, st := range Statuses() {
		sum.Totals[st] = 0
	}
	for _, ind := range Industries() {
		row := IndustryCount{Industry: ind, Counts: map[Status]int{}}
		for _, st := range Statuses() {
			n := max(counts[ind.Code][st], 0)
			row.Counts[st] = n
			row.Total += n
			sum.Totals[st] += n
		}
		sum.Total += row.Total
		sum.Industries = append(sum.Industries, row)
	}
	return sum
}
