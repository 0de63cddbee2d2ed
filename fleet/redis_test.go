package fleet

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/dingtalk-mcp/dingtalk-mcp/fleet/redistest"
)

// open opens a fleet on r, closed when the test ends.
func open(t *testing.T, r *redistest.Server, namespace string, limits Limits) *Fleet {
	t.Helper()
	f, err := Open(context.Background(), r.URL(), namespace, limits)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// fakeOldRedis answers as Redis 5 does: no HELLO, INFO with its version.
func fakeOldRedis(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go serveOldRedis(c)
		}
	}()
	return ln.Addr().String()
}

func serveOldRedis(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	for {
		cmd, err := readCommand(r)
		if err != nil {
			return
		}
		switch strings.ToUpper(cmd[0]) {
		case "HELLO":
			fmt.Fprintf(c, "-ERR unknown command 'HELLO'\r\n")
		case "INFO":
			body := "# Server\r\nredis_version:5.0.14\r\n"
			fmt.Fprintf(c, "$%d\r\n%s\r\n", len(body), body)
		case "PING":
			fmt.Fprintf(c, "+PONG\r\n")
		default:
			fmt.Fprintf(c, "+OK\r\n")
		}
	}
}

// readCommand reads one RESP array of bulk strings.
func readCommand(r *bufio.Reader) ([]string, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	var n int
	if _, err := fmt.Sscanf(line, "*%d", &n); err != nil {
		return nil, err
	}
	out := make([]string, 0, n)
	for range n {
		if _, err := r.ReadString('\n'); err != nil { // $len
			return nil, err
		}
		arg, err := r.ReadString('\n')
		if err != nil {
			return nil, err
		}
		out = append(out, strings.TrimRight(arg, "\r\n"))
	}
	return out, nil
}

// BenchmarkWait is what the rate budget costs a call that need not wait:
// one script on a loopback redis-server for both of its limits.
func BenchmarkWait(b *testing.B) {
	r := redistest.Start(b)
	f, err := Open(context.Background(), r.URL(), "bench", Limits{PerAPI: 1 << 30, Total: 1 << 30})
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	ctx := context.Background()
	for b.Loop() {
		if err := f.Wait(ctx, "POST /topapi/v2/user/get"); err != nil {
			b.Fatal(err)
		}
	}
}
