package fleet

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// realRedis is a redis-server of its own for one test, on a loopback
// port, gone when the test ends. Without the binary the test is skipped,
// unless DINGTALK_MCP_REQUIRE_REDIS is set (as CI sets it), where that is
// a failure.
type realRedis struct {
	t    *testing.T
	port int
	cmd  *exec.Cmd
}

func startRedis(t *testing.T, extraArgs ...string) *realRedis {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("DINGTALK_MCP_REQUIRE_REDIS") != "" {
			t.Fatal("redis-server is not installed (apt-get install redis-server)")
		}
		t.Skip("redis-server is not installed; CI runs this test")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	r := &realRedis{t: t, port: port}
	r.start(bin, extraArgs...)
	t.Cleanup(r.stop)
	return r
}

func (r *realRedis) start(bin string, extraArgs ...string) {
	args := append([]string{"--bind", "127.0.0.1", "--port", fmt.Sprint(r.port), "--save", "", "--appendonly", "no", "--daemonize", "no"}, extraArgs...)
	r.cmd = exec.Command(bin, args...)
	if err := r.cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.Dial("tcp", r.addr()); err == nil {
			c.Close()
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	r.t.Fatalf("redis-server did not listen on %s", r.addr())
}

func (r *realRedis) stop() {
	if r.cmd != nil && r.cmd.Process != nil {
		r.cmd.Process.Kill()
		r.cmd.Wait()
		r.cmd = nil
	}
}

// restart kills the server and starts a new, empty one on the same port.
func (r *realRedis) restart() {
	r.stop()
	bin, _ := exec.LookPath("redis-server")
	r.start(bin)
}

func (r *realRedis) addr() string { return fmt.Sprintf("127.0.0.1:%d", r.port) }
func (r *realRedis) url() string  { return "redis://" + r.addr() }

func (r *realRedis) open(t *testing.T, namespace string, limits Limits) *Fleet {
	t.Helper()
	f, err := Open(context.Background(), r.url(), namespace, limits)
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
