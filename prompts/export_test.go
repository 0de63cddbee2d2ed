package prompts

// Names returns the names of every prompt the package offers, for the
// tests that go through all of them.
func Names() []string {
	names := make([]string, len(all))
	for i, p := range all {
		names[i] = p.Name
	}
	return names
}
