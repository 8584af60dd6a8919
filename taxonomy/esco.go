package taxonomy

import "errors"

// LoadESCO reads the official ESCO CSV export (Dutch) from dir.
func LoadESCO(dir string) (*Taxonomy, error) {
	return nil, errors.New("taxonomy: LoadESCO: not yet implemented")
}
