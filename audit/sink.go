package audit

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"gopkg.in/natefinch/lumberjack.v2"
)

// Rotation of an audit log file: it is rotated when it reaches
// RotateMB megabytes, and KeepFiles rotated files are kept beside it.
const (
	RotateMB  = 100
	KeepFiles = 10
)

// queueLen bounds the lines waiting to be written: past it, lines are
// dropped (and counted) rather than making a call wait for the disk.
const queueLen = 4096

// reportEvery spaces out the reports of dropped lines and failed writes.
const reportEvery = 30 * time.Second

// Sink writes entries as JSON lines on its own goroutine. Write never
// blocks: when the queue is full, or the writer fails, lines are counted
// as lost and reported on the logger.
type Sink struct {
	w      io.Writer
	queue  chan []byte
	logger *slog.Logger
	done   chan struct{}
	closed sync.Once
	mu     sync.Mutex // guards the channel against Write after Close
	shut   bool

	closer io.Closer // the file Open made; nil for stderr or a caller's writer

	dropped atomic.Int64 // lines not queued: the queue was full
	failed  atomic.Int64 // lines the writer refused
}

// NewSink starts a sink writing to w.
func NewSink(w io.Writer, logger *slog.Logger) *Sink {
	s := &Sink{w: w, queue: make(chan []byte, queueLen), logger: logger, done: make(chan struct{})}
	go s.run()
	go s.reportLoop()
	return s
}

// Open returns the sink of --audit-log: "-" is stderr; any other value is
// a file, created with mode 0600 and rotated by size. The file is opened
// once here, so that a path that cannot be written stops the server at
// start-up rather than losing every line.
func Open(path string, stderr io.Writer, logger *slog.Logger) (*Sink, error) {
	if path == "-" {
		return NewSink(stderr, logger), nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("--audit-log: %w", err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("--audit-log: %w", err)
	}
	f.Close()
	lj := &lumberjack.Logger{Filename: path, MaxSize: RotateMB, MaxBackups: KeepFiles}
	s := NewSink(lj, logger)
	s.closer = lj
	return s, nil
}

// Write queues e as one line, or counts it as dropped.
func (s *Sink) Write(e *Entry) {
	b, err := json.Marshal(e)
	if err != nil {
		s.failed.Add(1)
		return
	}
	b = append(b, '\n')
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.shut {
		s.dropped.Add(1)
		return
	}
	select {
	case s.queue <- b:
	default:
		s.dropped.Add(1)
	}
}

func (s *Sink) run() {
	defer close(s.done)
	for b := range s.queue {
		if _, err := s.w.Write(b); err != nil {
			if s.failed.Add(1) == 1 {
				s.logger.Error("audit log: cannot write", "err", err)
			}
		}
	}
}

// reportLoop reports lost lines periodically, on a goroutine of its own
// so that a writer that hangs is reported too; Close reports the rest.
func (s *Sink) reportLoop() {
	t := time.NewTicker(reportEvery)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			s.report()
		case <-s.done:
			return
		}
	}
}

// report logs the lines lost since the last report.
func (s *Sink) report() {
	dropped, failed := s.dropped.Swap(0), s.failed.Swap(0)
	if dropped > 0 || failed > 0 {
		s.logger.Warn("audit log: lines lost", "dropped_queue_full", dropped, "write_failed", failed)
	}
}

// Close writes the lines queued, reports any lost, and closes the writer
// if it is a file. It waits at most until timeout.
func (s *Sink) Close(timeout time.Duration) error {
	s.closed.Do(func() {
		s.mu.Lock()
		s.shut = true
		close(s.queue)
		s.mu.Unlock()
	})
	select {
	case <-s.done:
	case <-time.After(timeout):
		return errors.New("audit log: lines still queued at close")
	}
	s.report()
	if s.closer != nil {
		return s.closer.Close()
	}
	return nil
}
