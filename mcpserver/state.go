package mcpserver

import (
	"log/slog"
	"os"
	"time"

	"github.com/dingtalk-mcp/dingtalk-mcp/audit"
	"github.com/dingtalk-mcp/dingtalk-mcp/ledger"
	"github.com/dingtalk-mcp/dingtalk-mcp/store"
)

// StateFile is the file under Config.StateDir that holds the server's
// state: the ledger of writes and the recent writes among it.
const StateFile = "state.db"

// auditFlushTimeout bounds how long Close waits for queued audit lines.
const auditFlushTimeout = 2 * time.Second

// openRecord opens the record of writes, kept in st: the ledger that keeps
// writes from being made twice, and the audit log. close flushes the log.
func openRecord(cfg Config, st store.Store, logger *slog.Logger) (*ledger.Ledger, *audit.Log, func(), error) {
	var sink *audit.Sink
	if cfg.AuditLog != "" {
		stderr := cfg.Stderr
		if stderr == nil {
			stderr = os.Stderr
		}
		var err error
		if sink, err = audit.Open(cfg.AuditLog, stderr, logger); err != nil {
			return nil, nil, nil, err
		}
	}
	log := audit.New(sink, st, logger)
	closeLog := func() {
		if err := log.Close(auditFlushTimeout); err != nil {
			logger.Error("audit log: closing", "err", err)
		}
	}
	window := cfg.DedupeWindow
	switch {
	case window == 0:
		window = ledger.DefaultWindow
	case window < 0:
		window = 0
	}
	return ledger.New(st, ledger.WithWindow(window)), log, closeLog, nil
}
