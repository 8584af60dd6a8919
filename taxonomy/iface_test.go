//go:build matcher

package taxonomy

import "github.com/werkmatch/werkmatch/matcher"

// Built with -tags matcher: checks that *Taxonomy implements
// matcher.Taxonomy and that built-in branches are matcher's names. Kept
// behind a tag so this package's tests do not depend on the state of the
// matcher package during development.
var _ matcher.Taxonomy = (*Taxonomy)(nil)

var _ = func() bool { branchNames = matcher.Branches; return true }()
