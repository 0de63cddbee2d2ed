// The Chinese server (--lang zh, or ?lang=zh over HTTP) as the official MCP
// TypeScript SDK client sees it: the instructions, every tool's title and
// description, the prompts and one prompt's text, and the confirmation
// question the client shows the person before a work notice goes out are
// Chinese; over HTTP one server speaks both languages, each session the one
// it asked for.
//
// Usage: node e2e/zh.mjs path/to/dingtalk-mcp
// Exit status 0 only when every check passed.

import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { startServer } from "./server.mjs";

const BIN = process.argv[2];
if (!BIN) {
  console.error("usage: node e2e/zh.mjs path/to/dingtalk-mcp");
  process.exit(2);
}
const TOKEN = "e2e-zh-token";
const failures = [];

function ok(cond, what, detail) {
  if (cond) {
    console.log(`  ok   ${what}`);
  } else {
    failures.push(what);
    console.log(`  FAIL ${what}${detail === undefined ? "" : ": " + JSON.stringify(detail).slice(0, 400)}`);
  }
}

// notChinese says what keeps text from being Chinese, as the server's own
// tests judge it (i18n.NotChinese): no Han character, or a run of English
// words that are not identifiers (userId, Confirm=true, WORKBOOK, A1:C3).
function notChinese(text) {
  if (!/\p{Script=Han}/u.test(text)) return "no Chinese character";
  const words = text.replace(/[A-Za-z][\w.\-]*/g, (w) =>
    /^[A-Za-z]+[A-Z_0-9.\-][\w.\-]*$/.test(w) || w === w.toUpperCase() || w[0] === w[0].toUpperCase() ? "·" : w);
  const m = /(?:^|[^\w.:/@!#=+\-$%'])([a-z][a-z']+(?:[ ]+[a-z][a-z']+)+)(?:$|[^\w.:/@!#=+\-$%'(])/.exec(words);
  return m ? `the English words "${m[1]}"` : "";
}

function checkChinese(what, text) {
  const why = notChinese(text ?? "");
  ok(why === "", `${what} is Chinese`, why ? `${why}: ${text}` : undefined);
}

async function connect(transport, elicit) {
  const client = new Client({ name: "dingtalk-mcp-e2e-zh", version: "1.0.0" }, { capabilities: elicit ? { elicitation: {} } : {} });
  if (elicit) {
    client.setRequestHandler(ElicitRequestSchema, async (req) => {
      elicit.asked.push(req.params);
      return { action: "decline" };
    });
  }
  await client.connect(transport);
  return client;
}

function startHTTP() {
  return startServer(BIN, ["--sandbox", "--transport", "http", "--addr", "127.0.0.1:0", "--http-token", TOKEN]);
}

async function stdio() {
  console.log("== stdio, --lang zh");
  const elicit = { asked: [] };
  const client = await connect(new StdioClientTransport({ command: BIN, args: ["--sandbox", "--lang", "zh"], stderr: "ignore" }), elicit);
  try {
    checkChinese("the instructions", client.getInstructions());
    const { tools } = await client.listTools();
    ok(tools.length >= 45, `tools/list has the ${tools.length} tools`);
    for (const t of tools) {
      checkChinese(`${t.name}: title`, t.title);
      checkChinese(`${t.name}: description`, t.description);
      for (const [p, s] of Object.entries(t.inputSchema.properties ?? {})) {
        if (s.description) checkChinese(`${t.name}.${p}: description`, s.description);
      }
    }
    const { prompts } = await client.listPrompts();
    ok(prompts.length >= 7, `prompts/list has the ${prompts.length} prompts`);
    for (const p of prompts) {
      checkChinese(`prompt ${p.name}: description`, p.description);
      for (const a of p.arguments ?? []) checkChinese(`prompt ${p.name}.${a.name}: description`, a.description);
    }
    const got = await client.getPrompt({ name: "find_colleague", arguments: { name: "李娜" } });
    checkChinese("prompts/get find_colleague: description", got.description);
    const text = got.messages?.[0]?.content?.text ?? "";
    ok(text.startsWith("# 查找同事") && text.includes("`search_users`") && text.includes('`QueryWord="李娜"`'),
      "prompts/get find_colleague: Chinese steps naming the tools and the value as given", text.slice(0, 300));
    const refused = await client.getPrompt({ name: "find_colleague", arguments: { name: "李娜", dept: "销售部" } }).then(() => null, (e) => e);
    ok(String(refused?.message).includes("未知参数"), "prompts/get with an unknown argument is refused in Chinese", String(refused?.message));
    const res = await client.callTool({ name: "send_work_notice", arguments: { UserIds: ["lina"], MsgType: "text", Content: "周五例会改到下午三点" } });
    ok(elicit.asked.length === 1, "send_work_notice without Confirm asks the person");
    const message = elicit.asked[0]?.message ?? "";
    checkChinese("the elicitation message", message);
    ok(message.includes("lina") && message.includes("周五例会改到下午三点"), "the elicitation message names the recipient and the content as given", message);
    const sc = res.structuredContent ?? {};
    ok(sc.StatusCode === -1, "declined: StatusCode -1, nothing sent", sc);
    checkChinese("the declined call's ErrorMessage", sc.ErrorMessage);
    checkChinese("the declined call's Hint", sc.Hint);
    const found = (await client.callTool({ name: "get_user", arguments: { UserId: "lina" } })).structuredContent ?? {};
    ok(found.StatusCode === 200, "get_user succeeds", found);
    checkChinese("get_user's Summary", found.Summary);
    const bothIds = (await client.callTool({ name: "get_user", arguments: { UserId: "lina", Mobile: "13800000001" } })).structuredContent ?? {};
    ok(bothIds.StatusCode === -1, "get_user with both UserId and Mobile is refused", bothIds);
    checkChinese("the refusal's ErrorMessage", bothIds.ErrorMessage);
  } finally {
    await client.close();
  }
}

async function http() {
  console.log("== Streamable HTTP, one server, both languages (--lang en)");
  const srv = await startHTTP();
  const headers = { Authorization: `Bearer ${TOKEN}` };
  try {
    for (const [what, url, extra, wantZh] of [
      ["?lang=zh", "/mcp?lang=zh", {}, true],
      ["Accept-Language: zh-CN", "/mcp", { "Accept-Language": "zh-CN,zh;q=0.9" }, true],
      ["no language asked for: --lang", "/mcp", {}, false],
    ]) {
      const client = await connect(new StreamableHTTPClientTransport(new URL(srv.base + url), { requestInit: { headers: { ...headers, ...extra } } }));
      try {
        const { tools } = await client.listTools();
        const getUser = tools.find((t) => t.name === "get_user");
        ok(getUser?.title === (wantZh ? "获取员工" : "Get user"), `${what}: get_user's title is ${wantZh ? "Chinese" : "English"}`, getUser?.title);
        if (wantZh) checkChinese(`${what}: the instructions`, client.getInstructions());
        const { prompts } = await client.listPrompts();
        const fc = prompts.find((p) => p.name === "find_colleague");
        ok(fc?.title === (wantZh ? "查找同事" : "Find a colleague"), `${what}: find_colleague's title is ${wantZh ? "Chinese" : "English"}`, fc);
      } finally {
        await client.close();
      }
    }
    const res = await fetch(srv.base + "/mcp?lang=fr", { method: "POST", headers: { ...headers, "Content-Type": "application/json" }, body: "{}" });
    const body = await res.text();
    ok(res.status === 400 && body.includes("en, zh"), "?lang=fr is refused with 400, listing the languages", `${res.status} ${body}`);
  } finally {
    srv.proc.kill("SIGTERM");
  }
}

try {
  await stdio();
  await http();
} catch (e) {
  failures.push(String(e?.stack ?? e));
  console.log("  FAIL", e);
}
if (failures.length > 0) {
  console.log(`zh: ${failures.length} check(s) failed`);
  process.exit(1);
}
console.log("zh: all passed");
