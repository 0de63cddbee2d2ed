package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
	"github.com/dingtalk-mcp/dingtalk-mcp/ledger"
	"github.com/dingtalk-mcp/dingtalk-mcp/mcpserver"
	"github.com/dingtalk-mcp/dingtalk-mcp/tools"
)

// config is the server's configuration: flags first, then the environment.
type config struct {
	AppKey, AppSecret string
	AgentID           int64
	OperatorID        string
	APIBaseURL        string
	OAPIBaseURL       string
	LoginBaseURL      string
	Sandbox           bool
	RedisURL          string
	Transport         string
	Addr              string
	HTTPToken         string
	ReadOnly          bool
	Toolsets, Tools   []string
	LogLevel          slog.Level
	ShutdownGrace     time.Duration
	// Lang is the language of the server's texts and of the errors below;
	// over HTTP, the default of requests that ask for none.
	Lang               i18n.Lang
	Version, ListTools bool
	DedupeWindow       time.Duration
	AuditLog           string
	StateDir           string

	// AllowUnauthenticated lets HTTP serve a non-loopback address
	// without authentication, for deployments that authenticate in front.
	AllowUnauthenticated bool

	// Auth is "dingtalk" when each person signs in with DingTalk, at
	// PublicURL. Admins and the members of AdminDepts may call the
	// directory writes; AllowOtherOperators lets a person name another
	// OperatorId.
	Auth                string
	PublicURL           string
	Admins              []string
	AdminDepts          []int64
	AllowOtherOperators bool
}

// defaultAddr is the HTTP listen address unless --addr says otherwise:
// loopback, so that nothing outside the host reaches an unprotected server.
const defaultAddr = "127.0.0.1:8080"

// errHelp is returned when --help was asked for: not a failure.
var errHelp = flag.ErrHelp

// setting ties a flag to its environment variable.
type setting struct {
	flag, env, usage string
}

var settings = []setting{
	{"app-key", "DINGTALK_APP_KEY", "the app's Client ID (AppKey)"},
	{"app-secret", "DINGTALK_APP_SECRET", "the app's Client Secret (AppSecret); prefer the environment variable"},
	{"agent-id", "DINGTALK_AGENT_ID", "default AgentId of the work notice tools"},
	{"operator-id", "DINGTALK_OPERATOR_ID", "default OperatorId (unionId or userId) of the knowledge base and sheet tools"},
	{"api-base-url", "DINGTALK_API_BASE_URL", "base URL of DingTalk's new API (default https://api.dingtalk.com)"},
	{"oapi-base-url", "DINGTALK_OAPI_BASE_URL", "base URL of DingTalk's legacy API (default https://oapi.dingtalk.com)"},
	{"login-base-url", "DINGTALK_LOGIN_BASE_URL", "with --auth dingtalk: base URL of DingTalk's sign-in page (default https://login.dingtalk.com)"},
	{"http-token", "DINGTALK_MCP_HTTP_TOKEN", "with --transport http: require 'Authorization: Bearer <token>' on every MCP request"},
	{"auth", "DINGTALK_MCP_AUTH", "with --transport http: 'dingtalk' makes each person sign in with their own DingTalk account (OAuth), and calls act as them"},
	{"public-url", "DINGTALK_MCP_PUBLIC_URL", "with --auth dingtalk: the address clients reach the server at, e.g. https://mcp.example.com (default http://<--addr> on a loopback address)"},
	{"admins", "DINGTALK_MCP_ADMINS", "with --auth dingtalk: comma-separated userIds, or dept:<id> for a department's members, who may call create_user"},
	{"redis-url", "DINGTALK_MCP_REDIS_URL", "run as one replica of a fleet: share the app token, DingTalk's rate budget and the server's state through this Redis (redis://[:password@]host:port[/db], rediss:// for TLS)"},
	{"lang", "DINGTALK_MCP_LANG", "the language of every text the server writes, and of this help: en or zh (default en); over HTTP a request may pick its own with ?lang= or Accept-Language"},
	{"addr", "DINGTALK_MCP_ADDR", "with --transport http: the address to listen on (default 127.0.0.1:8080)"},
}

// helpLang is the language of the help and of the errors met before the
// flags are read: the last --lang (or -lang) among args, else
// DINGTALK_MCP_LANG, else English. A --lang that names no language is
// passed over here, for the parse to refuse.
func helpLang(args []string, getenv func(string) string) i18n.Lang {
	v := getenv("DINGTALK_MCP_LANG")
	for i, a := range args {
		if a == "--" {
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if name != "lang" || !strings.HasPrefix(a, "-") {
			continue
		}
		if !hasValue {
			if i+1 == len(args) {
				break // no value: the parse refuses it, in the environment's language
			}
			value = args[i+1]
		}
		if _, err := i18n.Parse(value); err == nil && strings.TrimSpace(value) != "" {
			v = value
		}
	}
	l, err := i18n.Parse(v)
	if err != nil {
		return i18n.En
	}
	return l
}

// parseFlags parses args with fs, whose help it prints in l with header
// above the flags: on -h or --help, and after the error of a flag that
// does not parse. The flag package's own messages are English; they are
// not printed but returned in l (flagError).
func parseFlags(fs *flag.FlagSet, args []string, l i18n.Lang, header string) error {
	out := fs.Output()
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := fs.Parse(args)
	fs.SetOutput(out)
	if err == nil {
		return nil
	}
	if !errors.Is(err, flag.ErrHelp) {
		err = reportedError{flagError(l, err)}
		fmt.Fprintf(out, "%s\n\n", err)
	}
	fmt.Fprint(out, header)
	printDefaults(out, l, fs)
	return err
}

// parseConfig reads args and env into a config. A missing or malformed
// setting is an error naming the variable or flag to set.
func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (*config, error) {
	h := helpLang(args, getenv)
	fs := flag.NewFlagSet("dingtalk-mcp", flag.ContinueOnError)
	fs.SetOutput(stderr)
	values := map[string]*string{}
	for _, s := range settings {
		values[s.flag] = fs.String(s.flag, "", h.Text(s.usage)+h.Textf(" (env %s)", s.env))
	}
	c := &config{}
	fs.BoolVar(&c.Sandbox, "sandbox", false, h.Text("serve against the built-in DingTalk emulator with a demo organisation; needs no credentials"))
	fs.StringVar(&c.Transport, "transport", "stdio", h.Text("stdio, or http (Streamable HTTP at /mcp and HTTP+SSE at /sse on one listener)"))
	fs.BoolVar(&c.AllowUnauthenticated, "allow-unauthenticated", false, h.Text("with --transport http: serve a non-loopback --addr without --http-token, when a proxy in front authenticates every request"))
	fs.BoolVar(&c.AllowOtherOperators, "allow-other-operators", false, h.Text("with --auth dingtalk: let a signed-in person pass an OperatorId naming someone else (refused by default)"))
	fs.BoolVar(&c.ReadOnly, "read-only", false, h.Text("register only tools that change nothing (wins over --toolsets and --tools)"))
	toolsets := fs.String("toolsets", "", h.Text("comma-separated toolsets to register: chat, contacts, wiki, sheet, message (default all)"))
	toolNames := fs.String("tools", "", h.Text("comma-separated tool names to register (default all)"))
	logLevel := fs.String("log-level", "info", h.Text("debug, info, warn or error; logs go to stderr"))
	shutdownGrace := fs.String("shutdown-grace", defaultShutdownGrace.String(), h.Text("at the end of stdin or a signal, how long the calls in flight may run before they are cancelled, e.g. 30s"))
	fs.DurationVar(&c.DedupeWindow, "dedupe-window", ledger.DefaultWindow, h.Text("refuse a write identical to one made this recently without an IdempotencyKey; 0 turns this off"))
	fs.StringVar(&c.AuditLog, "audit-log", "", h.Text("append one JSON line per write attempt to this file (rotated at 100 MB), or - for stderr"))
	fs.StringVar(&c.StateDir, "state-dir", "", h.Text("keep the record of writes (idempotency keys, recent writes) in a file in this directory, so it survives a restart; default in memory"))
	fs.BoolVar(&c.Version, "version", false, h.Text("print the version and exit"))
	fs.BoolVar(&c.ListTools, "list-tools", false, h.Text("print the tools that would be registered and exit"))
	if err := parseFlags(fs, args, h, h.Text("dingtalk-mcp: an MCP server for DingTalk.\n\nUsage:\n  dingtalk-mcp [flags]\n  dingtalk-mcp sandbox [flags]   serve the DingTalk emulator on its own (see sandbox --help)\n\nEvery flag that names an env variable may be set through it; the flag wins.\n\nFlags:\n")); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, errors.New(h.Textf("unexpected argument %q; see --help", fs.Arg(0)))
	}
	get := func(name string) (string, string) {
		for _, s := range settings {
			if s.flag == name {
				if v := strings.TrimSpace(*values[name]); v != "" {
					return v, "--" + name
				}
				return strings.TrimSpace(getenv(s.env)), s.env
			}
		}
		panic("unknown setting " + name)
	}
	// The language comes first: the errors below are in it.
	c.Lang = i18n.En
	if v, s := get("lang"); v != "" {
		l, err := i18n.Parse(v)
		if err != nil {
			return nil, errors.New(h.Textf("%s must be one of %s, got %q", s, i18n.List(), v))
		}
		c.Lang = l
	}
	l := c.Lang
	var src string
	c.AppKey, _ = get("app-key")
	c.AppSecret, _ = get("app-secret")
	c.OperatorID, _ = get("operator-id")
	c.HTTPToken, _ = get("http-token")
	var addrSource string
	if c.Addr, addrSource = get("addr"); c.Addr == "" {
		c.Addr, addrSource = defaultAddr, "--addr"
	}
	if err := c.parseSignIn(get); err != nil {
		return nil, err
	}
	if v, s := get("agent-id"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return nil, errors.New(l.Textf("%s must be the app's numeric AgentId, got %q", s, v))
		}
		c.AgentID = n
	}
	for _, name := range []string{"api-base-url", "oapi-base-url", "login-base-url"} {
		v, s := get(name)
		if v == "" {
			continue
		}
		if u, err := url.Parse(v); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, errors.New(l.Textf("%s must be an http(s) URL such as https://api.dingtalk.com, got %q", s, v))
		}
		switch name {
		case "api-base-url":
			c.APIBaseURL = v
		case "oapi-base-url":
			c.OAPIBaseURL = v
		default:
			c.LoginBaseURL = v
		}
	}
	c.RedisURL, _ = get("redis-url")
	c.Toolsets, c.Tools = splitComma(*toolsets), splitComma(*toolNames)
	if err := c.LogLevel.UnmarshalText([]byte(*logLevel)); err != nil {
		return nil, errors.New(l.Textf("--log-level must be debug, info, warn or error, got %q", *logLevel))
	}
	grace, err := time.ParseDuration(*shutdownGrace)
	if err != nil || grace < 0 {
		return nil, errors.New(l.Textf("--shutdown-grace must be a duration of 0 or more such as 10s or 1m30s, got %q", *shutdownGrace))
	}
	c.ShutdownGrace = grace
	if c.DedupeWindow < 0 {
		return nil, errors.New(l.Textf("--dedupe-window must be a duration such as 10m, or 0 to turn it off, got %s", c.DedupeWindow))
	}
	if c.Transport != "stdio" && c.Transport != "http" {
		return nil, errors.New(l.Textf("--transport must be stdio or http, got %q", c.Transport))
	}
	if c.Version || c.ListTools {
		return c, nil
	}
	if err := c.checkHTTPExposure(addrSource); err != nil {
		return nil, err
	}
	if c.Sandbox {
		return c, nil
	}
	switch {
	case c.AppKey == "" && c.AppSecret == "":
		src = l.Text("no DingTalk credentials: set DINGTALK_APP_KEY and DINGTALK_APP_SECRET (or --app-key/--app-secret), or run with --sandbox to try the built-in emulator")
	case c.AppKey == "":
		src = l.Text("DINGTALK_APP_KEY is not set (the app's Client ID); set it or pass --app-key")
	case c.AppSecret == "":
		src = l.Text("DINGTALK_APP_SECRET is not set (the app's Client Secret); set it or pass --app-secret")
	}
	if src != "" {
		return nil, errors.New(src)
	}
	return c, nil
}

// parseSignIn reads --auth and the settings that go with it.
func (c *config) parseSignIn(get func(string) (string, string)) error {
	l := c.Lang
	auth, authSrc := get("auth")
	admins, adminsSrc := get("admins")
	publicURL, publicSrc := get("public-url")
	switch {
	case auth == "":
		for _, set := range []struct{ v, src string }{{admins, adminsSrc}, {publicURL, publicSrc}} {
			if set.v != "" {
				return errors.New(l.Textf("%s applies only with --auth dingtalk", set.src))
			}
		}
		if c.AllowOtherOperators {
			return errors.New(l.Text("--allow-other-operators applies only with --auth dingtalk"))
		}
		return nil
	case auth != "dingtalk":
		return errors.New(l.Textf("%s must be dingtalk (each person signs in with DingTalk), got %q", authSrc, auth))
	case c.Transport != "http":
		return errors.New(l.Textf("%s dingtalk needs --transport http: over stdio the server acts with the credentials in its environment", authSrc))
	case c.HTTPToken != "":
		return errors.New(l.Textf("%s dingtalk and --http-token exclude each other: with sign-in, each person has their own token", authSrc))
	}
	c.Auth = auth
	if publicURL != "" {
		u, err := url.Parse(publicURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
			return errors.New(l.Textf("%s must be the server's address such as https://mcp.example.com (no path), got %q", publicSrc, publicURL))
		}
		if u.Scheme == "http" && !isLoopback(u.Hostname()) {
			return errors.New(l.Textf("%s must use https unless it is a loopback address: OAuth tokens travel over it, got %q", publicSrc, publicURL))
		}
		c.PublicURL = strings.TrimRight(publicURL, "/")
	} else if host, _, err := net.SplitHostPort(c.Addr); err == nil && !isLoopback(host) {
		return errors.New(l.Textf("--auth dingtalk on the non-loopback address %s needs --public-url: the https address clients reach the server at", c.Addr))
	}
	for _, a := range splitComma(admins) {
		if d, ok := strings.CutPrefix(a, "dept:"); ok {
			id, err := strconv.ParseInt(d, 10, 64)
			if err != nil || id <= 0 {
				return errors.New(l.Textf("%s: %q must be dept: and a numeric department id, e.g. dept:3", adminsSrc, a))
			}
			c.AdminDepts = append(c.AdminDepts, id)
			continue
		}
		c.Admins = append(c.Admins, a)
	}
	return nil
}

// serverConfig maps the configuration onto the server's.
func (c *config) serverConfig(version string, logger *slog.Logger, stderr io.Writer) mcpserver.Config {
	window := c.DedupeWindow
	if window == 0 {
		window = -1 // the flag's 0 turns the window off; the Config's 0 is the default
	}
	return mcpserver.Config{
		Version:      version,
		AppKey:       c.AppKey,
		AppSecret:    c.AppSecret,
		AgentID:      c.AgentID,
		OperatorID:   c.OperatorID,
		APIBaseURL:   c.APIBaseURL,
		OAPIBaseURL:  c.OAPIBaseURL,
		LoginBaseURL: c.LoginBaseURL,
		Sandbox:      c.Sandbox,
		RedisURL:     c.RedisURL,
		Lang:         c.Lang,
		Tools:        c.selection(),
		Logger:       logger,

		DedupeWindow: window,
		StateDir:     c.StateDir,
		AuditLog:     c.AuditLog,
		Stderr:       stderr,

		Policy: tools.Policy{AllowOtherOperators: c.AllowOtherOperators, Admins: c.Admins, AdminDepts: c.AdminDepts},
	}
}

// selection is the tools the configuration chooses.
func (c *config) selection() tools.Selection {
	return tools.Selection{ReadOnly: c.ReadOnly, Toolsets: c.Toolsets, Tools: c.Tools}
}

func splitComma(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// httpProtected reports whether every MCP request over HTTP must
// authenticate: with the shared bearer token, or as a person signed in
// with DingTalk.
func (c *config) httpProtected() bool {
	return c.HTTPToken != "" || c.Auth != ""
}

// checkHTTPExposure refuses to serve HTTP on an address outside loopback
// without authentication, unless the operator allowed it explicitly: such a
// server lets anyone who reaches the port act on the organisation. A
// container listens on all interfaces, so this is where it stops.
func (c *config) checkHTTPExposure(addrSource string) error {
	if c.Transport != "http" {
		return nil
	}
	host, _, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return errors.New(c.Lang.Textf("%s must be host:port, such as 127.0.0.1:8080 or 0.0.0.0:8080, got %q", addrSource, c.Addr))
	}
	if isLoopback(host) || c.httpProtected() || c.AllowUnauthenticated {
		return nil
	}
	return errors.New(c.Lang.Textf("%s %s is reachable from other hosts and no --http-token (DINGTALK_MCP_HTTP_TOKEN) is set: "+
		"set a token so that only clients holding it can act on your DingTalk organisation, "+
		"or pass --allow-unauthenticated if a proxy in front authenticates every request", addrSource, c.Addr))
}
