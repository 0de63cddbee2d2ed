// Session-based load on a fleet of dingtalk-mcp replicas behind a load
// balancer, with the official MCP TypeScript SDK client over Streamable
// HTTP (protocol 2025-11-25: each session is bound to the replica that
// opened it, through its Mcp-Session-Id).
//
// Usage: node e2e/fleet-load.mjs URL TOKEN SECONDS SESSIONS PREFIX
//
// Each session calls read tools in a loop and, every fifth call, sends a
// work notice whose text and IdempotencyKey are unique (PREFIX-s<session>-<n>).
// A call that fails in a way worth retrying (the replica went away, the
// session was lost, or a Retryable result) is retried with the same
// arguments on a fresh session, so a write is never sent twice by design of
// the server, not luck. A write whose reservation stays "in progress" for
// HELD_MS is one a replica held when it died: it is reported as held, with
// when it began, and not retried further (the server answers it as
// uncertain once the reservation goes stale). Prints one JSON line: counts,
// the writes that succeeded, the held ones, and every call that finally
// failed.

import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [URL_, TOKEN, SECONDS, SESSIONS, PREFIX] = process.argv.slice(2);
if (!PREFIX) {
  console.error("usage: node e2e/fleet-load.mjs URL TOKEN SECONDS SESSIONS PREFIX");
  process.exit(2);
}
const deadline = Date.now() + Number(SECONDS) * 1000;
const summary = { calls: 0, ok: 0, retries: 0, failed: [], writes: [], held: [] };
const HELD_MS = 10000;

async function connect() {
  const client = new Client({ name: "fleet-load", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(URL_), {
    requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
  });
  await client.connect(transport);
  return client;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// call runs one logical call until it succeeds or has failed for good.
async function call(session, name, args) {
  summary.calls++;
  const began = Date.now();
  let last = "";
  for (let attempt = 0; attempt < 40; attempt++) {
    if (attempt > 0) {
      summary.retries++;
      await sleep(250);
    }
    try {
      if (!session.client) session.client = await connect();
      const res = await session.client.callTool({ name, arguments: args }, undefined, { timeout: 30000 });
      const out = res.structuredContent ?? {};
      if (out.StatusCode === 200) {
        summary.ok++;
        return out;
      }
      last = `${out.StatusCode} ${out.ErrorMessage}`;
      if (!out.Retryable) break;
      if (/has not finished/.test(out.ErrorMessage ?? "") && Date.now() - began > HELD_MS) {
        summary.held.push({ key: args.IdempotencyKey, began });
        return null;
      }
    } catch (err) {
      // The replica went away or forgot the session: open a new one.
      last = String(err?.message ?? err);
      console.error(`${new Date().toISOString()} ${name} attempt ${attempt}: ${last}`);
      try { await session.client?.close(); } catch {}
      session.client = null;
    }
  }
  summary.failed.push({ name, args, last });
  return null;
}

async function run(id) {
  const session = { client: null };
  for (let n = 0; Date.now() < deadline; n++) {
    if (n % 5 === 4) {
      const key = `${PREFIX}-s${id}-${n}`;
      const out = await call(session, "send_work_notice", {
        UserIds: "zhangwei", MsgType: "text", Content: key, IdempotencyKey: key, Confirm: true,
      });
      if (out) summary.writes.push(key);
      continue;
    }
    const reads = [
      ["get_user", { UserId: "manager4220" }],
      ["get_dept_list", { DeptId: 1 }],
      ["search_users", { QueryWord: "li" }],
      ["get_user_count", {}],
    ];
    const [name, args] = reads[n % reads.length];
    await call(session, name, args);
  }
  try { await session.client?.close(); } catch {}
}

await Promise.all(Array.from({ length: Number(SESSIONS) }, (_, i) => run(i)));
console.log(JSON.stringify(summary));
