package engine

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"

	"github.com/ctoplan/ctoplan/internal/typo"
)

// fullPicks turns a full configuration into one pick per value (for a
// multi-valued characteristic also an excluding pick for every value left
// out), checking its shape.
func (c *Compiled) fullPicks(cfg Configuration) ([]Pick, error) {
	for name := range cfg {
		if _, ok := c.byName[name]; !ok {
			return nil, fmt.Errorf("%w: unknown characteristic %s", ErrBadPick, typo.Quote(name))
		}
	}
	var picks []Pick
	for ci := range c.chars {
		cc := &c.chars[ci]
		ch := cc.c
		vals, ok := cfg[ch.Name]
		if !ok && ch.Kind != Multi && !(ch.Kind == Single && ch.Optional) {
			return nil, fmt.Errorf("%w: no value for %s", ErrBadPick, ch.Name)
		}
		if ch.Kind == Multi {
			in := map[int]bool{}
			for _, v := range vals {
				k, ok := c.valueIndex(cc, v)
				if !ok {
					return nil, fmt.Errorf("%w: %s", ErrBadPick, badValue(cc, v))
				}
				if in[k] {
					return nil, fmt.Errorf("%w: value %q given twice for %s", ErrBadPick, v, ch.Name)
				}
				in[k] = true
			}
			for k := 0; k < cc.n; k++ {
				picks = append(picks, Pick{Char: ch.Name, Value: c.slots[cc.first+k].name, Exclude: !in[k]})
			}
			continue
		}
		switch {
		case len(vals) == 0 && ch.Kind == Single && ch.Optional:
			picks = append(picks, Pick{Char: ch.Name, Value: ""})
		case len(vals) == 1:
			k, ok := c.valueIndex(cc, vals[0])
			if !ok || (ch.Kind == Single && vals[0] == "" && !ch.Optional) {
				return nil, fmt.Errorf("%w: %s", ErrBadPick, badValue(cc, vals[0]))
			}
			picks = append(picks, Pick{Char: ch.Name, Value: c.slots[cc.first+k].name})
		default:
			return nil, fmt.Errorf("%w: %s takes one value, got %d", ErrBadPick, ch.Name, len(vals))
		}
	}
	return picks, nil
}

// ValidateConfiguration returns nil when cfg is a full valid configuration
// of the model. A configuration of the wrong shape gives an error wrapping
// [ErrBadPick]; a full one that breaks rules a [*ConflictError] (wrapping
// [ErrInvalidConfiguration]) with a minimal conflict.
func (c *Compiled) ValidateConfiguration(ctx context.Context, cfg Configuration) error {
	picks, err := c.fullPicks(cfg)
	if err != nil {
		return err
	}
	res, err := c.Check(ctx, picks)
	if err != nil {
		return err
	}
	if !res.Valid {
		return &ConflictError{Conflict: res.Conflict}
	}
	return nil
}

// Key returns the canonical key of the full configuration cfg: the hex
// SHA-256 of an encoding of the model's name and version and of every
// characteristic with its values in a canonical order (characteristics by
// name, values sorted). The order of map entries and of values does not
// matter. Key checks the shape of cfg (as [Compiled.ValidateConfiguration]
// does) but not its rules: an unknown value, or an int value not spelled
// as Domain spells it ("04" or "+4" for "4"), is an error wrapping
// [ErrBadPick] that names the canonical spelling.
func (c *Compiled) Key(cfg Configuration) (string, error) {
	picks, err := c.fullPicks(cfg)
	if err != nil {
		return "", err
	}
	byChar := map[string][]string{}
	for _, p := range picks {
		if !p.Exclude {
			byChar[p.Char] = append(byChar[p.Char], p.Value)
		}
	}
	names := make([]string, 0, len(c.chars))
	for ci := range c.chars {
		names = append(names, c.chars[ci].c.Name)
	}
	sort.Strings(names)
	h := sha256.New()
	var buf []byte
	str := func(s string) {
		buf = binary.AppendUvarint(buf[:0], uint64(len(s)))
		h.Write(buf)
		h.Write([]byte(s))
	}
	str("ctoplan-configuration-key-v1")
	str(c.model.Name)
	str(c.model.Version)
	for _, name := range names {
		vals := slices.Clone(byChar[name])
		if len(vals) == 1 && vals[0] == "" {
			vals = nil
		}
		sort.Strings(vals)
		str(name)
		buf = binary.AppendUvarint(buf[:0], uint64(len(vals)))
		h.Write(buf)
		for _, v := range vals {
			str(v)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
