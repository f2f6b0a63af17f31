package roadshow

// Industry is one of the zone's "1+8" focus industries. Codes are stable API
// values; names are for display.
type Industry struct {
	Code   string `json:"code"`
	NameEN string `json:"nameEn"`
	NameZH string `json:"nameZh"`
	Core   bool   `json:"core"` // the "1": the digital-technology core
}

// Industries returns the nine industries of the 1+8 focus, the core first. It
// returns a fresh slice so that callers cannot change the table.
func Industries() []Industry {
	return []Industry{
		{Code: "digital-tech", NameEN: "Digital technology (software and IT services)", NameZH: "数字技术(软件和信息技术服务)", Core: true},
		{Code: "metaverse", NameEN: "Metaverse", NameZH: "元宇宙"},
		{Code: "connected-vehicles", NameEN: "Connected vehicles (IoV)", NameZH: "车联网"},
		{Code: "clean-energy", NameEN: "Clean energy", NameZH: "清洁能源"},
		{Code: "life-health", NameEN: "Life and health", NameZH: "生命健康"},
		{Code: "culture-tourism", NameEN: "Culture and tourism", NameZH: "文化旅游"},
		{Code: "smart-ocean", NameEN: "Smart ocean", NameZH: "智慧海洋"},
		{Code: "high-end-equipment", NameEN: "High-end equipment manufacturing", NameZH: "高端装备制造"},
		{Code: "digital-trade", NameEN: "Digital trade", NameZH: "数字贸易"},
	}
}

// IsIndustry reports whether code names one of the nine industries.
func IsIndustry(code string) bool {
	for _, ind := range Industries() {
		if ind.Code == code {
			return true
		}
	}
	return false
}
