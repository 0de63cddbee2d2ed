// Drives one MCP server over stdio the way a client does, for the packaging
// checks: initialize, tools/list, and a tools/call of get_user against the
// sandbox's boss, each answer awaited before stdin is closed.
//
//   node .ci/mcp-stdio.mjs [--initialize-only] <expected version> -- <command> [args...]
//   node .ci/mcp-stdio.mjs [--initialize-only] <expected version> --config <server.json>
//
// --config reads the server's {command, args, env} from a file, as an MCP
// client's configuration holds it; env is added to this environment.
// Checks serverInfo (name dingtalk-mcp, the expected version), then, unless
// --initialize-only, that the tool list holds get_user and that the call
// returns the seeded user. Prints one line per check; exits 1 on the first
// failure, or after 60 s.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";

const argv = process.argv.slice(2);
const initializeOnly = argv[0] === "--initialize-only";
if (initializeOnly) argv.shift();
const [wantVersion, mode, ...rest] = argv;
let server;
if (mode === "--") server = { command: rest[0], args: rest.slice(1) };
else if (mode === "--config" && rest.length === 1) server = JSON.parse(readFileSync(rest[0], "utf8"));
if (!wantVersion || !server?.command) {
  console.error("usage: node .ci/mcp-stdio.mjs [--initialize-only] <expected version> (-- <command> [args...] | --config <file>)");
  process.exit(2);
}

const child = spawn(server.command, server.args ?? [], { stdio: ["pipe", "pipe", "inherit"], env: { ...process.env, ...server.env } });
const timer = setTimeout(() => fail("no answer within 60 s"), 60_000);
const waiting = new Map();
const stray = [];
createInterface({ input: child.stdout }).on("line", (line) => {
  let msg;
  try {
    msg = JSON.parse(line);
  } catch {
    fail(`stdout carried a line that is not JSON-RPC: ${line.slice(0, 200)}`);
  }
  if (waiting.has(msg.id)) {
    waiting.get(msg.id)(msg);
    waiting.delete(msg.id);
  } else stray.push(msg);
});
child.on("exit", (code, signal) => {
  if (waiting.size) fail(`the server exited (${signal ?? code}) before answering`);
});

let nextId = 1;
function request(method, params) {
  const id = nextId++;
  child.stdin.write(JSON.stringify({ jsonrpc: "2.0", id, method, params }) + "\n");
  return new Promise((resolve) => waiting.set(id, resolve));
}
function fail(why) {
  console.log(`  FAIL ${why}`);
  child.kill();
  process.exit(1);
}
function check(ok, what) {
  if (!ok) fail(what);
  console.log(`  ok   ${what}`);
}

const init = await request("initialize", {
  protocolVersion: "2025-06-18",
  capabilities: {},
  clientInfo: { name: "packaging-check", version: "1" },
});
const info = init.result?.serverInfo ?? {};
check(info.name === "dingtalk-mcp" && info.version === wantVersion, `initialize: serverInfo ${info.name} ${info.version} (want dingtalk-mcp ${wantVersion})`);
child.stdin.write(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }) + "\n");

if (!initializeOnly) {
  const list = await request("tools/list", {});
  const names = (list.result?.tools ?? []).map((t) => t.name);
  check(names.includes("get_user"), `tools/list: ${names.length} tools, get_user among them`);

  const call = await request("tools/call", { name: "get_user", arguments: { UserId: "manager4220" } });
  const sc = call.result?.structuredContent ?? {};
  check(sc.StatusCode === 200 && sc.UserData?.name === "王芳", `tools/call get_user: StatusCode ${sc.StatusCode}, name ${sc.UserData?.name} (want 200, 王芳)`);
}

clearTimeout(timer);
child.stdin.end();
child.on("exit", () => process.exit(0));
