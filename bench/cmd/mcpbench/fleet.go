package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/dingtalk-mcp/dingtalk-mcp/bench"
	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
	"github.com/dingtalk-mcp/dingtalk-mcp/fleet"
)

// fleetCost measures what sharing state through Redis costs, in one run
// against a redis-server of its own: the p50 Redis adds to a call, the
// Redis commands a call makes for the token and the rate budget, and the
// throughput of three replicas against one with the limiter off.
func fleetCost(o *options) error {
	url, stop, err := startRedisServer()
	if err != nil {
		return err
	}
	defer stop()
	ctx := context.Background()
	args := json.RawMessage(`{"UserId":"` + sandbox.SeedManagerID + `"}`)
	call := func(sessions []*bench.Session) func(context.Context, int) error {
		return func(ctx context.Context, w int) error {
			_, err := sessions[w].CallTool(ctx, "get_user", args)
			return err
		}
	}

	// Latency: one session, calls one after another, so that p50 is the
	// cost of a call and not of queueing. The fleet's limits are far above
	// what one session sends: its limiter runs in Redis on every call but
	// never makes one wait.
	alone, err := bench.StartStack(bench.StackOptions{Upstream: bench.Memory})
	if err != nil {
		return err
	}
	defer alone.Close()
	replica, err := bench.StartStack(bench.StackOptions{Upstream: bench.Memory, RedisURL: url,
		FleetLimits: fleet.Limits{PerAPI: 1_000_000, Total: 1_000_000}})
	if err != nil {
		return err
	}
	defer replica.Close()
	aloneS, err := sessions(ctx, []*bench.Stack{alone}, 1)
	if err != nil {
		return err
	}
	replicaS, err := sessions(ctx, []*bench.Stack{replica}, 1)
	if err != nil {
		return err
	}
	// Warm both, the token included, before counting Redis's commands.
	for _, s := range []*bench.Session{aloneS[0], replicaS[0]} {
		if _, err := s.CallTool(ctx, "get_user", args); err != nil {
			return err
		}
	}
	trips := replica.Fleet.RoundTrips()
	rate0, token0, store0 := trips.Rate.Load(), trips.Token.Load(), trips.Store.Load()
	single := bench.Run(ctx, "one server, no Redis", 1, o.warm, o.window, call(aloneS))
	shared := bench.Run(ctx, "one replica on Redis", 1, o.warm, o.window, call(replicaS))
	// Every call of the run, warm-up and all, went through the fleet.
	calls := float64(max(shared.Calls+countWarm(shared, o), 1))
	fmt.Printf("## The fleet on Redis (%s window after %s warm-up; the sandbox in memory; a redis-server on loopback)\n\n", o.window, o.warm)
	fmt.Println("`get_user` over Streamable HTTP, one session, calls one after another: a server alone, and a replica")
	fmt.Println("whose rate budget and token live in Redis (limits set far above the load, so the limiter is asked on")
	fmt.Println("every call and never waits).")
	fmt.Println()
	fmt.Println("| server | calls | p50 | p99 | errors |")
	fmt.Println("|---|---:|---:|---:|---:|")
	for _, r := range []bench.Result{single, shared} {
		fmt.Printf("| %s | %d | %s | %s | %d |\n", r.Name, r.Calls, us(r.P50), us(r.P99), r.Errors)
	}
	fmt.Printf("\nRedis adds **%s** to a call's p50 (%.2fx of the server alone).\n\n", us(shared.P50-single.P50), float64(shared.P50)/float64(single.P50))
	fmt.Println("Requests to Redis per call, counted by the replica:")
	fmt.Println()
	fmt.Println("| for | per call |")
	fmt.Println("|---|---:|")
	fmt.Printf("| rate budget (one GCRA script for the API's budget and the total together) | %.2f |\n", float64(trips.Rate.Load()-rate0)/calls)
	fmt.Printf("| the app's token (only when the replica's copy is missing, stale or refused) | %.2f |\n", float64(trips.Token.Load()-token0)/calls)
	fmt.Printf("| the store (a read call keeps nothing) | %.2f |\n", float64(trips.Store.Load()-store0)/calls)

	// Throughput with the limiter off: what the replicas can serve, not
	// what DingTalk allows. 64 sessions on one replica, then spread over
	// three.
	fmt.Println()
	off := fleet.Limits{}
	one, err := bench.StartStack(bench.StackOptions{Upstream: bench.Memory, RedisURL: url, FleetLimits: off})
	if err != nil {
		return err
	}
	defer one.Close()
	three := []*bench.Stack{one}
	for range 2 {
		st, err := bench.StartStack(bench.StackOptions{UpstreamOf: one, RedisURL: url, FleetLimits: off})
		if err != nil {
			return err
		}
		defer st.Close()
		three = append(three, st)
	}
	const n = 64
	oneS, err := sessions(ctx, three[:1], n)
	if err != nil {
		return err
	}
	threeS, err := sessions(ctx, three, n)
	if err != nil {
		return err
	}
	r1 := bench.Run(ctx, "1 replica", n, o.warm, o.window, call(oneS))
	r3 := bench.Run(ctx, "3 replicas", n, o.warm, o.window, call(threeS))
	fmt.Printf("Throughput with the limiter off, %d sessions spread round robin over the replicas (all in this process, on this machine's cores):\n\n", n)
	fmt.Println("| fleet | calls/s | p50 | p99 | errors |")
	fmt.Println("|---|---:|---:|---:|---:|")
	for _, r := range []bench.Result{r1, r3} {
		fmt.Printf("| %s | %.0f | %s | %s | %d |\n", r.Name, r.PerSecond(), us(r.P50), us(r.P99), r.Errors)
		if r.FirstError != "" {
			fmt.Printf("|  | first error: %s |  |  |  |\n", strings.ReplaceAll(r.FirstError, "|", "/"))
		}
	}
	fmt.Printf("\n3 replicas serve **%.2fx** the calls of 1.\n\n", r3.PerSecond()/r1.PerSecond())
	return nil
}

// countWarm estimates the calls made in a run's warm-up from its rate.
func countWarm(r bench.Result, o *options) int {
	return int(r.PerSecond() * o.warm.Seconds())
}

// sessions opens n sessions spread round robin over stacks.
func sessions(ctx context.Context, stacks []*bench.Stack, n int) ([]*bench.Session, error) {
	hc := bench.NewHTTPClient()
	out := make([]*bench.Session, n)
	for i := range out {
		s, err := bench.OpenSession(ctx, hc, stacks[i%len(stacks)].MCPURL)
		if err != nil {
			return nil, err
		}
		out[i] = s
	}
	return out, nil
}

// startRedisServer runs redis-server on a free loopback port.
func startRedisServer() (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command("redis-server", "--bind", "127.0.0.1", "--port", strconv.Itoa(port), "--save", "", "--appendonly", "no")
	if err := cmd.Start(); err != nil {
		return "", nil, fmt.Errorf("start redis-server (apt-get install redis-server): %w", err)
	}
	stop := func() { cmd.Process.Kill(); cmd.Wait() }
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	for deadline := time.Now().Add(10 * time.Second); ; {
		if rdb.Ping(context.Background()).Err() == nil {
			break
		}
		if time.Now().After(deadline) {
			stop()
			return "", nil, fmt.Errorf("redis-server did not answer on %s", addr)
		}
		time.Sleep(20 * time.Millisecond)
	}
	rdb.Close()
	return "redis://" + addr, stop, nil
}
