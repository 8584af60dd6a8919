package matcher

// Profile is an anonymised work-seeker as the municipality's feed sends it.
// It carries no name, BSN, birth date, address, phone or e-mail; the only
// location is a four-digit postcode area. JSON names are the API contract.
type Profile struct {
	ID                 string   `json:"id"`
	Municipality       string   `json:"municipality"` // CBS gemeentecode, four digits
	Postcode4          int      `json:"postcode4"`
	MaxTravelKm        int      `json:"max_travel_km"`
	DesiredOccupations []string `json:"desired_occupations"` // ESCO URIs or labels
	Skills             []string `json:"skills"`              // ESCO URIs or labels
	Branches           []string `json:"branches"`
	HoursMin           int      `json:"hours_min"`
	HoursMax           int      `json:"hours_max"`
	EducationLevel     string   `json:"education_level,omitempty"`
	DutchLevel         string   `json:"dutch_level,omitempty"` // CEFR A1..C2
	DrivingLicences    []string `json:"driving_licences"`
	Perspectief        string   `json:"perspectief"`
	OpenToOpenHiring   bool     `json:"open_to_open_hiring"`
	Banenafspraak      bool     `json:"banenafspraak"`
	AvailableFrom      string   `json:"available_from,omitempty"` // YYYY-MM-DD
	MaxPhysicalLoad    string   `json:"max_physical_load,omitempty"`
	Summary            string   `json:"summary,omitempty"`
	RegisteredAt       string   `json:"registered_at,omitempty"` // YYYY-MM-DD
}

// Vacancy is an employer's opening.
type Vacancy struct {
	ID                    string   `json:"id"`
	EmployerID            string   `json:"employer_id"`
	Title                 string   `json:"title"`
	Description           string   `json:"description,omitempty"`
	Occupation            string   `json:"occupation,omitempty"` // ESCO URI or label
	Branch                string   `json:"branch"`
	Postcode4             int      `json:"postcode4"`
	HoursMin              int      `json:"hours_min"`
	HoursMax              int      `json:"hours_max"`
	RequiredSkills        []string `json:"required_skills"`
	PreferredSkills       []string `json:"preferred_skills"`
	EducationLevelMin     string   `json:"education_level_min,omitempty"`
	DutchLevelMin         string   `json:"dutch_level_min,omitempty"`
	DrivingLicences       []string `json:"driving_licences"`
	PhysicalLoad          string   `json:"physical_load,omitempty"`
	OpenHiring            bool     `json:"open_hiring"`
	Positions             int      `json:"positions"`
	StartDate             string   `json:"start_date,omitempty"` // YYYY-MM-DD
	ClosesAt              string   `json:"closes_at,omitempty"`  // YYYY-MM-DD
	BanenafspraakSuitable bool     `json:"banenafspraak_suitable"`
	Status                string   `json:"status"`
}

// Value sets of the contract. Ordered sets are listed from low to high.
var (
	Perspectieven       = []string{"werken", "werken_aan", "meedoen"}
	EducationLevels     = []string{"none", "vmbo", "mbo1", "mbo2", "mbo3", "mbo4", "havo", "vwo", "hbo", "wo"}
	CEFRLevels          = []string{"A1", "A2", "B1", "B2", "C1", "C2"}
	PhysicalLoads       = []string{"light", "medium", "heavy"}
	VacancyStatuses     = []string{"open", "closed", "filled"}
	Branches            = []string{"Bouw", "Techniek", "Groen", "Grijs", "Tuinbouw", "Horeca", "Leisure", "Detailhandel", "Overheid", "Productie", "Transport", "Logistiek", "Zorg", "ICT", "Dienstverlening", "Facilitair", "Uitzenden"}
	DrivingLicenceTypes = []string{"AM", "A", "B", "BE", "C", "CE", "D", "DE", "T"}
)

// Perspectief values.
const (
	PerspectiefWerken    = "werken"
	PerspectiefWerkenAan = "werken_aan"
	PerspectiefMeedoen   = "meedoen"
)

// Vacancy statuses.
const (
	StatusOpen   = "open"
	StatusClosed = "closed"
	StatusFilled = "filled"
)

// rank returns the position of v in the ordered set, or -1.
func rank(set []string, v string) int {
	for i, s := range set {
		if s == v {
			return i
		}
	}
	return -1
}

// EducationRank, CEFRRank and LoadRank give the order of a value in its
// ordered set (0 = lowest), or -1 when the value is empty or unknown.
func EducationRank(v string) int { return rank(EducationLevels, v) }
func CEFRRank(v string) int      { return rank(CEFRLevels, v) }
func LoadRank(v string) int      { return rank(PhysicalLoads, v) }

// BranchIndex returns the index of a branch name in Branches, or -1.
func BranchIndex(v string) int { return rank(Branches, v) }
