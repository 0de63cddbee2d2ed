package bench

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// Command is a server binary with its arguments and extra environment.
type Command struct {
	Name string
	Path string
	Args []string
	Env  []string
}

// initializeRequest is what a client sends first over stdio.
const initializeRequest = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"` + ProtocolVersion + `","capabilities":{},"clientInfo":{"name":"mcpbench","version":"1"}}}` + "\n"

// StdioServer is a server process spoken to over stdio.
type StdioServer struct {
	// Started is when the process was spawned.
	Started time.Time

	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout *bufio.Reader
	nextID int
}

// Spawn starts c with the initialize request already written to its
// standard input, as a client does, and returns the time from spawn to the
// first line of its answer together with the running server.
func Spawn(c Command) (time.Duration, *StdioServer, error) {
	cmd := exec.Command(c.Path, c.Args...)
	cmd.Env = append(os.Environ(), c.Env...)
	cmd.Stderr = io.Discard
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return 0, nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return 0, nil, err
	}
	s := &StdioServer{cmd: cmd, stdin: stdin, stdout: bufio.NewReaderSize(stdout, 1<<20), nextID: 1}
	t0 := time.Now()
	s.Started = t0
	if err := cmd.Start(); err != nil {
		return 0, nil, err
	}
	// The pipe buffers the request until the server reads it, as it would
	// for a client that writes immediately after spawning.
	if _, err := io.WriteString(stdin, initializeRequest); err != nil {
		s.Close()
		return 0, nil, err
	}
	line, err := s.stdout.ReadBytes('\n')
	elapsed := time.Since(t0)
	if err != nil {
		s.Close()
		return 0, nil, fmt.Errorf("%s: no initialize response: %w", c.Name, err)
	}
	if !bytes.Contains(line, []byte(`"result"`)) {
		s.Close()
		return 0, nil, fmt.Errorf("%s: initialize failed: %s", c.Name, truncate(line, 300))
	}
	if _, err := io.WriteString(stdin, `{"jsonrpc":"2.0","method":"notifications/initialized"}`+"\n"); err != nil {
		s.Close()
		return 0, nil, err
	}
	return elapsed, s, nil
}

// Request sends one request and returns its result, skipping any
// notification the server sends meanwhile.
func (s *StdioServer) Request(method string, params any) (json.RawMessage, error) {
	s.nextID++
	b, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": s.nextID, "method": method, "params": params})
	if err != nil {
		return nil, err
	}
	if _, err := s.stdin.Write(append(b, '\n')); err != nil {
		return nil, err
	}
	for {
		line, err := s.stdout.ReadBytes('\n')
		if err != nil {
			return nil, err
		}
		var r rpcResponse
		if json.Unmarshal(line, &r) != nil || r.ID == nil || *r.ID != int64(s.nextID) {
			continue
		}
		if r.Error != nil {
			return nil, fmt.Errorf("%s: JSON-RPC error %d: %s", method, r.Error.Code, r.Error.Message)
		}
		return r.Result, nil
	}
}

// PID is the server's process id.
func (s *StdioServer) PID() int { return s.cmd.Process.Pid }

// Close ends the session the way a client does, by closing standard input,
// and kills the server if it has not exited a second later. It returns the
// CPU time (user and system) the process used in its whole life: unlike
// wall time, it hardly changes when other processes load the machine.
func (s *StdioServer) Close() time.Duration {
	s.stdin.Close()
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Second):
		s.cmd.Process.Kill()
		<-done
	}
	if ps := s.cmd.ProcessState; ps != nil {
		return ps.UserTime() + ps.SystemTime()
	}
	return 0
}

// RSS is a process's resident set, in bytes: now and at its peak.
type RSS struct{ Now, Peak int64 }

// ReadRSS reads pid's VmRSS and VmHWM from /proc (Linux).
func ReadRSS(pid int) (RSS, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return RSS{}, err
	}
	var m RSS
	for line := range strings.Lines(string(b)) {
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		f := strings.Fields(val)
		if len(f) != 2 || f[1] != "kB" {
			continue
		}
		n, _ := strconv.ParseInt(f[0], 10, 64)
		switch key {
		case "VmRSS":
			m.Now = n << 10
		case "VmHWM":
			m.Peak = n << 10
		}
	}
	if m.Now == 0 {
		return m, errors.New("no VmRSS in /proc status")
	}
	return m, nil
}
