package engine

import "github.com/go-air/gini"

// The never-solved base solver is copied for every query until the
// propagation with nothing picked is known; from then on c.strong (that
// propagation's solver, holding the dead values as units) is copied
// instead. That first propagation therefore takes c.base itself rather
// than a copy: the copy was 9% of the forklift's cold propagation and most
// of its allocations (renault-medium: 0.53 of 0.69 MB). Whoever needs the
// base afterwards (a query while the model has no valid configuration, a
// second first propagation racing the first, fresh) gets it rebuilt from
// the clauses, once.

// takeBase returns c.base for the caller to solve in place, or a solver
// built anew from the clauses when it is taken already.
func (c *Compiled) takeBase() *gini.Gini {
	c.mu.Lock()
	defer c.mu.Unlock()
	if g := c.base; g != nil {
		c.base = nil
		return g
	}
	return c.searchGini()
}

// baseLocked returns the never-solved base solver, rebuilding it when
// takeBase handed it out. c.mu is held.
func (c *Compiled) baseLocked() *gini.Gini {
	if c.base == nil {
		c.base = c.searchGini()
	}
	return c.base
}
