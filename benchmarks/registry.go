package benchmarks

import "sync"

var registry = sync.OnceValue(func() []*Case {
	var cs []*Case
	cs = append(cs, configuratorCases()...)
	cs = append(cs, willemsCases()...)
	cs = append(cs, resolveCases()...)
	cs = append(cs, storyCases()...)
	cs = append(cs, mrpCases()...)
	return cs
})

// Cases returns the registry of headline cases, in the order they run.
// Do not modify them.
func Cases() []*Case { return registry() }
