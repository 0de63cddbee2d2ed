package mcpserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
	"github.com/dingtalk-mcp/dingtalk-mcp/fleet"
	"github.com/dingtalk-mcp/dingtalk-mcp/store"
)

// shared is the state a server keeps beyond one request: in memory, in
// the StateDir file, or, for one replica of a fleet, in the fleet's Redis
// together with the app's token and DingTalk's rate budget.
type shared struct {
	store  store.Store
	file   *store.File  // the StateDir file; nil without one
	fleet  *fleet.Fleet // nil outside a fleet
	cancel context.CancelFunc
}

// openShared opens the fleet's Redis when cfg names one.
func openShared(cfg Config, logger *slog.Logger) (*shared, error) {
	if cfg.RedisURL == "" {
		return openLocal(cfg)
	}
	if cfg.StateDir != "" {
		return nil, errors.New("--state-dir and --redis-url: a fleet keeps its state in Redis; drop --state-dir")
	}
	fleet.SetLogger(logger)
	// The keys of one DingTalk app are kept apart from another's that
	// shares the Redis.
	app := cfg.AppKey
	if cfg.Sandbox {
		app = sandbox.AppKey
	}
	limits := fleet.DefaultLimits
	if cfg.FleetLimits != nil {
		limits = *cfg.FleetLimits
	}
	f, err := fleet.Open(context.Background(), cfg.RedisURL, app, limits)
	if err != nil {
		return nil, err
	}
	logger.Info("fleet: sharing state through Redis", "per_api_qps", limits.PerAPI, "total_qps", limits.Total)
	return &shared{store: f.Store(), fleet: f, cancel: func() {}}, nil
}

// clientOptions make the DingTalk client use the fleet's token and budget.
func (s *shared) clientOptions() []dingtalk.Option {
	if s.fleet == nil {
		return nil
	}
	return []dingtalk.Option{dingtalk.WithLimiter(s.fleet), dingtalk.WithTokenCache(s.fleet)}
}

// watch makes c drop its token as soon as another replica finds it
// refused.
func (s *shared) watch(c *dingtalk.Client) {
	if s.fleet == nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.fleet.WatchTokens(ctx, c.ForgetToken)
}

// openLocal keeps the state of a single server: in the StateDir file,
// which is opened only then, or in memory.
func openLocal(cfg Config) (*shared, error) {
	if cfg.StateDir == "" {
		return &shared{store: store.NewMemory(), cancel: func() {}}, nil
	}
	f, err := store.OpenFile(filepath.Join(cfg.StateDir, StateFile))
	if err != nil {
		return nil, fmt.Errorf("--state-dir: %w", err)
	}
	return &shared{store: f, file: f, cancel: func() {}}, nil
}

func (s *shared) close() {
	s.cancel()
	if s.fleet != nil {
		s.fleet.Close()
	}
	if s.file != nil {
		s.file.Close()
	}
}
