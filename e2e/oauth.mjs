// End-to-end check of DingTalk sign-in (--auth dingtalk) with the official
// MCP TypeScript SDK client's OAuth support, headless, against the built
// binary in --sandbox mode.
//
// Usage: node e2e/oauth.mjs path/to/dingtalk-mcp
//
// The SDK client discovers the server's protected resource and
// authorization server metadata from the 401, registers itself (RFC 7591),
// and sends the browser to /authorize with PKCE S256. A headless browser
// (fetch, with the cookie the server sets) follows the redirect to the
// sandbox's DingTalk sign-in page, submits the demo member's consent, and
// hands the code back to the SDK, which redeems it. The client then calls
// tools over Streamable HTTP as that member, refreshes its tokens, and
// shows that the old refresh token is refused and revokes the sign-in.
// Exit status 0 only when every check passed.

import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { auth, UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { startServer } from "./server.mjs";
import { browse } from "./browser.mjs";

const BIN = process.argv[2];
if (!BIN) {
  console.error("usage: node e2e/oauth.mjs path/to/dingtalk-mcp");
  process.exit(2);
}
const MEMBER = { userid: "lina", name: "李娜" };
// The client's redirect URI. Nothing listens there: the headless browser
// stops at the redirect and reads the code from it.
const REDIRECT = "http://127.0.0.1:1/oauth/callback";

let passed = 0;
const failures = [];
function ok(cond, what, detail) {
  if (cond) {
    passed++;
    console.log(`  ok   ${what}`);
  } else {
    failures.push(what);
    console.log(`  FAIL ${what}` + (detail === undefined ? "" : ` — got ${JSON.stringify(detail)?.slice(0, 400)}`));
  }
  return cond;
}
class Abort extends Error {}
function must(cond, what, detail) {
  if (!ok(cond, what, detail)) throw new Abort(what);
}

// provider is the SDK's OAuthClientProvider, in memory: what a desktop
// client keeps on disk.
class MemoryProvider {
  constructor() {
    this.saved = {};
    this.authorizationUrl = undefined;
    this.sentState = undefined;
  }
  get redirectUrl() {
    return REDIRECT;
  }
  get clientMetadata() {
    return { client_name: "dingtalk-mcp e2e", redirect_uris: [REDIRECT], grant_types: ["authorization_code", "refresh_token"], response_types: ["code"], token_endpoint_auth_method: "none" };
  }
  state() {
    this.sentState = "e2e-" + Math.random().toString(36).slice(2);
    return this.sentState;
  }
  clientInformation() {
    return this.saved.client;
  }
  saveClientInformation(info) {
    this.saved.client = info;
  }
  tokens() {
    return this.saved.tokens;
  }
  saveTokens(tokens) {
    this.saved.tokens = tokens;
  }
  redirectToAuthorization(url) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(v) {
    this.saved.verifier = v;
  }
  codeVerifier() {
    return this.saved.verifier;
  }
}

async function callTool(client, name, args) {
  const res = await client.callTool({ name, arguments: args });
  return res.structuredContent ?? {};
}

async function main() {
  const srv = await startServer(BIN, ["--sandbox", "--transport", "http", "--addr", "127.0.0.1:0", "--auth", "dingtalk"]);
  const mcpURL = new URL(srv.base + "/mcp");
  console.log(`server at ${srv.base}`);
  try {
    const provider = new MemoryProvider();
    console.log("- discovery, registration and the authorization request");
    let transport = new StreamableHTTPClientTransport(mcpURL, { authProvider: provider });
    let client = new Client({ name: "oauth-e2e", version: "1.0.0" });
    let unauthorized = false;
    try {
      await client.connect(transport);
    } catch (e) {
      unauthorized = e instanceof UnauthorizedError;
      if (!unauthorized) throw e;
    }
    must(unauthorized, "connecting without a token needs authorization");
    must(provider.saved.client?.client_id, "the SDK registered a client (RFC 7591)", provider.saved.client);
    const authz = provider.authorizationUrl;
    must(authz, "the SDK asked to open the authorization URL");
    ok(authz.origin === srv.base && authz.pathname === "/authorize", "… at the server's /authorize, found through the metadata", authz.href);
    ok(authz.searchParams.get("code_challenge_method") === "S256" && authz.searchParams.get("code_challenge")?.length === 43, "… with PKCE S256", authz.search);
    ok(authz.searchParams.get("resource") === mcpURL.href, "… and the resource indicator of /mcp", authz.searchParams.get("resource"));

    console.log("- the demo member's consent, headless");
    const back = await browse(authz, MEMBER.userid, { ok, must });
    must(back.href.startsWith(REDIRECT), "the browser comes back to the client's redirect URI", back.href);
    ok(back.searchParams.get("state") === provider.sentState, "… with the client's state", back.search);
    ok(back.searchParams.get("iss") === srv.base, "… and the issuer (RFC 9207)", back.searchParams.get("iss"));
    const code = back.searchParams.get("code");
    must(code, "… and a code");

    console.log("- token");
    await transport.finishAuth(code);
    const first = provider.saved.tokens;
    must(first?.access_token && first?.refresh_token, "the SDK redeemed the code for access and refresh tokens", first && Object.keys(first));
    ok(first.token_type === "Bearer" && first.expires_in > 0, "… a Bearer token with a lifetime", first);

    console.log("- tools over Streamable HTTP as the member");
    transport = new StreamableHTTPClientTransport(mcpURL, { authProvider: provider });
    client = new Client({ name: "oauth-e2e", version: "1.0.0" });
    await client.connect(transport);
    const me = await callTool(client, "get_user", { UserId: MEMBER.userid });
    const unionId = me.UserData?.unionid;
    must(me.StatusCode === 200 && unionId, "get_user finds the member's unionId", me);
    ok(me.Summary.startsWith(`Asked by ${MEMBER.name} (${MEMBER.userid}): `), "the Summary names who asked", me.Summary);
    const preview = await callTool(client, "create_workspace", { Name: "e2e notes" });
    ok(preview.StatusCode === -1 && preview.Hint.includes(`owned by operator ${unionId}`), "a wiki write acts with the member's unionId as operator", preview.Hint);
    const other = await callTool(client, "get_workspaces", { OperatorId: "manager4220" });
    ok(other.StatusCode === 403 && other.Hint.includes("--allow-other-operators"), "an OperatorId naming someone else is refused (403 with a Hint)", other);
    const mine = await callTool(client, "get_workspaces", {});
    ok(mine.StatusCode === 200 && mine.Summary.startsWith(`As ${MEMBER.name} (${MEMBER.userid}): `), "get_workspaces runs as the member", mine.Summary);
    await client.close();

    console.log("- refresh");
    const result = await auth(provider, { serverUrl: mcpURL });
    const second = provider.saved.tokens;
    ok(result === "AUTHORIZED" && second.access_token !== first.access_token && second.refresh_token !== first.refresh_token, "the SDK refreshed: new access and refresh tokens", result);
    transport = new StreamableHTTPClientTransport(mcpURL, { authProvider: provider });
    client = new Client({ name: "oauth-e2e", version: "1.0.0" });
    await client.connect(transport);
    const again = await callTool(client, "get_user", { UserId: MEMBER.userid });
    ok(again.StatusCode === 200, "the refreshed token works", again.StatusCode);
    await client.close();

    console.log("- a reused refresh token revokes the sign-in");
    const reuse = await fetch(srv.base + "/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: first.refresh_token, client_id: provider.saved.client.client_id }),
    });
    const reuseBody = await reuse.json();
    ok(reuse.status === 400 && reuseBody.error === "invalid_grant", "the old refresh token is refused (invalid_grant)", reuseBody);
    const after = await fetch(srv.base + "/mcp", { method: "POST", headers: { authorization: `Bearer ${second.access_token}`, "content-type": "application/json", accept: "application/json, text/event-stream" }, body: "{}" });
    ok(after.status === 401 && /resource_metadata="/.test(after.headers.get("www-authenticate") ?? ""), "… and the newest access token now gets 401 with resource_metadata", after.status);

    const logs = srv.log.join("\n");
    ok(![first.access_token, first.refresh_token, second.access_token, second.refresh_token, code].some((s) => logs.includes(s)), "no token or code appears in the server's log");
    ok(logs.includes(`person="${MEMBER.name} (${MEMBER.userid})"`), "the server's log names the person", undefined);
  } catch (e) {
    if (!(e instanceof Abort)) {
      failures.push(String(e?.stack ?? e));
      console.log(`  FAIL ${e?.stack ?? e}`);
    }
  } finally {
    srv.proc.kill("SIGTERM");
  }
  console.log(`\n${passed} passed, ${failures.length} failed`);
  process.exit(failures.length ? 1 : 0);
}

main();
