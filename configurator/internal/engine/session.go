package engine

import (
	"context"
	"slices"

	"github.com/ctoplan/ctoplan/internal/cfgtune"
)

// maxSessionModels bounds the witnesses a session keeps.
const maxSessionModels = 256

// Session is one user's incremental configuration: a list of picks and the
// domains after them. It keeps every configuration the solver found as a
// witness, so after one more pick the values those witnesses still support
// need no solver call. A Session is not safe for concurrent use; the
// [Compiled] it comes from is.
type Session struct {
	c      *Compiled
	picks  []Pick
	models []bitset
	dom    *Domains
}

// NewSession starts a session with nothing picked.
func (c *Compiled) NewSession() *Session { return &Session{c: c} }

// Picks returns the current picks.
func (s *Session) Picks() []Pick { return slices.Clone(s.picks) }

// Domains returns the domains after the current picks (nil before the
// first query).
func (s *Session) Domains() *Domains { return s.dom }

// Pick adds p, replacing earlier picks of the same characteristic (of the
// same value, for a multi-valued one), and propagates. When the new picks
// cannot stand together the returned domains say why (Valid false, with a
// minimal conflict) and the session keeps its previous picks.
func (s *Session) Pick(ctx context.Context, p Pick) (*Domains, error) {
	multi := false
	if ci, ok := s.c.byName[p.Char]; ok {
		multi = s.c.chars[ci].c.Kind == Multi
	}
	next := make([]Pick, 0, len(s.picks)+1)
	for _, q := range s.picks {
		if q.Char == p.Char && (!multi || q.Value == p.Value) {
			continue
		}
		next = append(next, q)
	}
	return s.Set(ctx, append(next, p))
}

// Unpick removes the picks of char (only those of value, when value is not
// empty) and propagates.
func (s *Session) Unpick(ctx context.Context, char, value string) (*Domains, error) {
	next := make([]Pick, 0, len(s.picks))
	for _, q := range s.picks {
		if q.Char == char && (value == "" || q.Value == value) {
			continue
		}
		next = append(next, q)
	}
	return s.Set(ctx, next)
}

// Set replaces all picks and propagates; like [Session.Pick] it keeps the
// previous picks when the new ones are invalid.
func (s *Session) Set(ctx context.Context, picks []Pick) (*Domains, error) {
	ps, err := s.c.resolvePicks(picks)
	if err != nil {
		return nil, err
	}
	var d *Domains
	if s.c.opts.knobs.Method == cfgtune.Naive {
		d, err = s.c.propagateNaive(ctx, picks, ps)
	} else {
		var found []bitset
		d, found, err = s.c.propagate(ctx, picks, ps, s.models)
		s.models = append(s.models, found...)
		if n := len(s.models); n > maxSessionModels {
			s.models = append(s.models[:0], s.models[n-maxSessionModels:]...)
		}
	}
	if err != nil {
		return nil, err
	}
	if d.Valid {
		s.picks = slices.Clone(picks)
		s.dom = d
	}
	return d, nil
}
