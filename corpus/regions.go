package corpus

// regionMunicipality gives, per two-digit postcode region, the CBS code of
// the municipality of its main town (the place geo's coarse centroid is
// written for). It is approximate by design: a profile's municipality is
// consistent with its postcode region, which is what matters for per-region
// access in the demo.
var regionMunicipality = [100]string{
	10: "0363", 11: "0363", 12: "0402", 13: "0034", 14: "0439", 15: "0479", 16: "0441", 17: "0400", 18: "0361", 19: "0375",
	20: "0392", 21: "0394", 22: "0537", 23: "0546", 24: "0484", 25: "0518", 26: "0503", 27: "0637", 28: "0513", 29: "0502",
	30: "0599", 31: "0606", 32: "1930", 33: "0505", 34: "0356", 35: "0344", 36: "1904", 37: "0355", 38: "0307", 39: "0345",
	40: "0281", 41: "0216", 42: "0512", 43: "1676", 44: "0664", 45: "0715", 46: "0748", 47: "1674", 48: "0758", 49: "0826",
	50: "0855", 51: "0867", 52: "0796", 53: "0828", 54: "1991", 55: "0861", 56: "0772", 57: "0794", 58: "0984", 59: "0983",
	60: "0957", 61: "1883", 62: "0935", 63: "0994", 64: "0917", 65: "0268", 66: "0296", 67: "0228", 68: "0202", 69: "0299",
	70: "0222", 71: "0294", 72: "0301", 73: "0200", 74: "0150", 75: "0153", 76: "0141", 77: "0160", 78: "0114", 79: "0118",
	80: "0193", 81: "0177", 82: "0995", 83: "0171", 84: "0074", 85: "1940", 86: "1900", 87: "1900", 88: "0072", 89: "0080",
	90: "0737", 91: "1970", 92: "0090", 93: "1699", 94: "0106", 95: "0037", 96: "1952", 97: "0014", 98: "1969", 99: "1979",
}

// regionWeight is the share of social-assistance work-seekers per region,
// relative to an ordinary region (1). The big cities weigh most: that is
// where most people on social assistance live.
var regionWeight = map[int]float64{
	10: 9, 11: 7, 13: 3, 15: 2, 18: 1.5, 20: 2, 21: 1.5, 23: 2, 25: 9, 26: 2.5, 27: 2,
	29: 2, 30: 11, 31: 4, 32: 2, 33: 3, 35: 5, 38: 2, 48: 2.5, 50: 3, 52: 2,
	56: 4, 57: 2, 59: 1.5, 61: 1.5, 62: 2, 64: 3, 65: 3, 68: 3, 73: 2, 74: 1.5,
	75: 3, 76: 1.5, 78: 2, 80: 2, 82: 1.5, 89: 2.5, 97: 5,
}

// profileBranchWeight: how WSPs place people, by branch (the share of
// placements, roughly). Schoonmaak counts under Facilitair.
var profileBranchWeight = map[string]float64{
	"Logistiek": 16, "Facilitair": 14, "Horeca": 11, "Productie": 11, "Detailhandel": 10,
	"Zorg": 9, "Groen": 6, "Bouw": 6, "Transport": 6, "Techniek": 3, "Dienstverlening": 3,
	"Grijs": 2.5, "Tuinbouw": 2, "Leisure": 2, "Uitzenden": 2, "Overheid": 1.5, "ICT": 0.5,
}

// vacancyBranchWeight: the vacancies WSPs work with, by branch.
var vacancyBranchWeight = map[string]float64{
	"Logistiek": 14, "Facilitair": 11, "Horeca": 12, "Productie": 11, "Detailhandel": 11,
	"Zorg": 12, "Groen": 5, "Bouw": 8, "Transport": 7, "Techniek": 5, "Dienstverlening": 4,
	"Grijs": 2, "Tuinbouw": 2.5, "Leisure": 2, "Uitzenden": 2, "Overheid": 2, "ICT": 1,
}

// iscoBranch maps an ISCO-08 code prefix to a WSP branch, for taxonomies
// (ESCO) whose occupations carry no branch. The longest prefix wins;
// occupations without a matching prefix are not used by the generator.
var iscoBranch = map[string]string{
	"91": "Facilitair", "911": "Facilitair", "912": "Facilitair",
	"92": "Groen", "9214": "Tuinbouw",
	"931": "Bouw", "932": "Productie", "933": "Logistiek",
	"94": "Horeca", "95": "Detailhandel", "96": "Grijs", "962": "Dienstverlening",
	"51": "Dienstverlening", "512": "Horeca", "513": "Horeca", "515": "Facilitair", "516": "Dienstverlening",
	"52": "Detailhandel", "53": "Zorg", "54": "Dienstverlening",
	"61": "Groen", "611": "Tuinbouw",
	"71": "Bouw", "72": "Techniek", "73": "Productie", "74": "Techniek", "75": "Productie",
	"81": "Productie", "82": "Productie", "83": "Transport", "8344": "Logistiek",
	"41": "Dienstverlening", "42": "Dienstverlening", "43": "Dienstverlening", "4321": "Logistiek", "44": "Dienstverlening",
	"32": "Zorg", "35": "ICT", "34": "Leisure",
}

func branchOfISCO(code string) string {
	for n := len(code); n >= 2; n-- {
		if b, ok := iscoBranch[code[:n]]; ok {
			return b
		}
	}
	return ""
}
