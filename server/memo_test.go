package server_test

import (
	"context"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/proto"

	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	"github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1/configuratorv1connect"
	"github.com/ctoplan/ctoplan/server"
)

func withMemo(n int) startOpt { return func(o *server.Options) { o.PropagateMemo = n } }

func status(t *testing.T, res *configuratorv1.PropagateResponse, char, value string) string {
	t.Helper()
	for _, cd := range res.GetChars() {
		if cd.GetChar() != char {
			continue
		}
		for name, vs := range map[string][]string{"selected": cd.GetSelected(), "forced": cd.GetForced(), "possible": cd.GetPossible(), "excluded": cd.GetExcluded()} {
			if slices.Contains(vs, value) {
				return name
			}
		}
	}
	t.Fatalf("no %s=%s in %v", char, value, res)
	return ""
}

// TestPropagateMemoNewVersion: an answer remembered for one version of a
// model is never served for the next.
func TestPropagateMemoNewVersion(t *testing.T) {
	e := start(t, withMemo(64))
	c := e.configurator(protocols[1])
	putTiny(t, c)
	triplex := &configuratorv1.PropagateRequest{Model: "tiny", Picks: []*configuratorv1.Pick{pick("mast", "triplex")}}
	for range 2 { // the second answer comes from the memo
		res, err := c.Propagate(context.Background(), connect.NewRequest(triplex))
		if err != nil {
			t.Fatal(err)
		}
		if s := status(t, res.Msg, "capacity", "t15"); s != "excluded" {
			t.Fatalf("v1, mast=triplex: capacity t15 %s, want excluded", s)
		}
	}
	v2 := strings.Replace(strings.Replace(tinyModel, `version "1"`, `version "2"`, 1), "mast = triplex -> capacity = t25", "mast = triplex -> lift_height >= 2500", 1)
	if _, err := c.PutModel(context.Background(), connect.NewRequest(&configuratorv1.PutModelRequest{Filename: "tiny.ctm", Source: v2})); err != nil {
		t.Fatal(err)
	}
	res, err := c.Propagate(context.Background(), connect.NewRequest(triplex))
	if err != nil {
		t.Fatal(err)
	}
	if s := status(t, res.Msg, "capacity", "t15"); s != "possible" {
		t.Errorf("v2, mast=triplex: capacity t15 %s, want possible (a v1 answer was served)", s)
	}
	if s := status(t, res.Msg, "lift_height", "2000"); s != "excluded" {
		t.Errorf("v2, mast=triplex: lift_height 2000 %s, want excluded", s)
	}
}

// TestPropagateMemoSameAnswers walks random configurations of the forklift
// model on a server with a small memo (so that it evicts) and one without,
// asking each pick set again in another order: the answers must be equal.
func TestPropagateMemoSameAnswers(t *testing.T) {
	src, err := os.ReadFile(forkliftModel)
	if err != nil {
		t.Fatalf("forklift model (the demo data is part of the repository): %v", err)
	}
	var clients []configuratorv1connect.ConfiguratorServiceClient
	for _, n := range []int{8, 0} {
		e := start(t, withMemo(n))
		c := e.configurator(protocols[1])
		if _, err := c.PutModel(context.Background(), connect.NewRequest(&configuratorv1.PutModelRequest{Filename: "forklift.ctm", Source: string(src)})); err != nil {
			t.Fatal(err)
		}
		clients = append(clients, c)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	trucks := 4
	if testing.Short() {
		trucks = 1
	}
	calls := 0
	for range trucks {
		var picks []*configuratorv1.Pick
		for {
			var res [2]*configuratorv1.PropagateResponse
			for i, c := range clients {
				r, err := c.Propagate(context.Background(), connect.NewRequest(&configuratorv1.PropagateRequest{Model: "forklift", Picks: picks}))
				if err != nil {
					t.Fatal(err)
				}
				res[i] = r.Msg
			}
			calls++
			if !proto.Equal(res[0], res[1]) {
				t.Fatalf("picks %v: memo answer differs from the engine's:\n%v\n%v", picks, res[0], res[1])
			}
			// Again, shuffled: the memo answers.
			shuffled := slices.Clone(picks)
			rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
			r, err := clients[0].Propagate(context.Background(), connect.NewRequest(&configuratorv1.PropagateRequest{Model: "forklift", Picks: shuffled}))
			if err != nil {
				t.Fatal(err)
			}
			if !proto.Equal(r.Msg, res[1]) {
				t.Fatalf("picks %v asked in another order: the memo's answer differs", shuffled)
			}
			p := randomPossible(rng, res[1])
			if p == nil {
				break
			}
			picks = append(picks, p)
		}
	}
	t.Logf("%d pick sets compared", calls)
}

// randomPossible picks a random possible value, or nil when none is left
// (the configuration is complete).
func randomPossible(rng *rand.Rand, res *configuratorv1.PropagateResponse) *configuratorv1.Pick {
	n := 0
	for _, cd := range res.GetChars() {
		n += len(cd.GetPossible())
	}
	if n == 0 {
		return nil
	}
	k := rng.IntN(n)
	for _, cd := range res.GetChars() {
		if k < len(cd.GetPossible()) {
			return pick(cd.GetChar(), cd.GetPossible()[k])
		}
		k -= len(cd.GetPossible())
	}
	return nil
}
