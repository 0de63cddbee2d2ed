// End-to-end check of the built dingtalk-mcp binary with the official MCP
// TypeScript SDK client, over stdio, Streamable HTTP and legacy HTTP+SSE,
// each against a fresh --sandbox server (the seeded demo organisation).
//
// Usage: node e2e/scenario.mjs path/to/dingtalk-mcp
//
// For every transport it checks the tool list (exactly what the binary
// registers: the 39 tools of the contract and the six that post in group
// chats and read and write documents; no $ref, the annotations and the
// Confirm guard), runs one realistic scenario through every toolset, and,
// with a second client that declares the elicitation capability, answers
// the server's confirmation question with decline, cancel and accept.
// Assertions are on structuredContent, which the SDK also validates against
// each tool's outputSchema. A step whose tool is not registered fails with
// a message saying so. Exit status 0 only when every check passed.

import { spawn, execFileSync } from "node:child_process";
import { createInterface } from "node:readline";
import { isDeepStrictEqual } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";

const BIN = process.argv[2];
if (!BIN) {
  console.error("usage: node e2e/scenario.mjs path/to/dingtalk-mcp");
  process.exit(2);
}

// The tools' contract: name → [toolset, effect, idempotent, guarded].
const CONTRACT = {
  create_chat: ["chat", "W", false, true],
  get_chat_info: ["chat", "R", true, false],
  create_user: ["contacts", "W", false, true],
  get_user: ["contacts", "R", true, false],
  get_user_count: ["contacts", "R", true, false],
  get_userid_by_unionid: ["contacts", "R", true, false],
  get_dept_users: ["contacts", "R", true, false],
  search_users: ["contacts", "R", true, false],
  get_dept_detail: ["contacts", "R", true, false],
  get_dept_list: ["contacts", "R", true, false],
  search_departments: ["contacts", "R", true, false],
  create_doc: ["wiki", "W", false, true],
  batch_get_nodes: ["wiki", "R", true, false],
  get_node_by_link: ["wiki", "R", true, false],
  get_node_list: ["wiki", "R", true, false],
  get_workspace_node: ["wiki", "R", true, false],
  create_workspace: ["wiki", "W", false, true],
  batch_get_workspaces: ["wiki", "R", true, false],
  get_workspace: ["wiki", "R", true, false],
  get_workspaces: ["wiki", "R", true, false],
  create_worksheet: ["sheet", "W", false, true],
  delete_worksheet: ["sheet", "W", true, true],
  get_worksheet: ["sheet", "R", true, false],
  get_worksheets: ["sheet", "R", true, false],
  delete_columns: ["sheet", "W", false, true],
  set_columns_visibility: ["sheet", "W", true, false],
  insert_columns_before: ["sheet", "W", false, true],
  delete_rows: ["sheet", "W", false, true],
  set_rows_visibility: ["sheet", "W", true, false],
  insert_rows_before: ["sheet", "W", false, true],
  append_rows: ["sheet", "W", false, true],
  insert_rows_before_with_data: ["sheet", "W", false, true],
  get_range_data: ["sheet", "R", true, false],
  update_range_data: ["sheet", "W", true, true],
  clear_range_content: ["sheet", "W", true, true],
  clear_range_data: ["sheet", "W", true, true],
  send_work_notice: ["message", "W", false, true],
  get_message_status: ["message", "R", true, false],
  recall_message: ["message", "W", true, true],
};

// The tools beyond the contract, in its style: group posts by the app's
// robot, and document content.
const BEYOND = {
  send_chat_message: ["chat", "W", false, true],
  get_chat_message_status: ["chat", "R", true, false],
  recall_chat_message: ["chat", "W", true, true],
  get_doc_content: ["wiki", "R", true, false],
  append_doc_content: ["wiki", "W", false, true],
  overwrite_doc_content: ["wiki", "W", true, true],
};
const DECLARED = { ...CONTRACT, ...BEYOND };

// Seeded sandbox data (dingtalk/sandbox/directory.go).
const BOSS = { userid: "manager4220", name: "王芳", mobile: "13800000001" };
const SALES = ["zhangwei", "lina"];
const ALL_STAFF_GROUP = "cidSbXq7Lk2vN9pR4tW8yZ1aGg=="; // the app's robot is in it
const KNOWLEDGE_BASE = "MJ0pDSKMV9dO20E4"; // 产品知识库
const TOKEN = "e2e-secret-token";
const ENVELOPE = ["StatusCode", "ErrorMessage", "Summary", "Hint", "Retryable", "OriginalStatusCode", "ErrorCode", "RequestId"];

// ---------------------------------------------------------------- checks

let passed = 0;
const failures = [];
let section = "";

function ok(cond, what, detail) {
  if (cond) {
    passed++;
    console.log(`  ok   ${what}`);
  } else {
    const msg = `${section}: ${what}` + (detail === undefined ? "" : ` — got ${show(detail)}`);
    failures.push(msg);
    console.log(`  FAIL ${what}` + (detail === undefined ? "" : ` — got ${show(detail)}`));
  }
  return cond;
}

function eq(got, want, what) {
  return ok(isDeepStrictEqual(got, want), `${what} = ${show(want)}`, isDeepStrictEqual(got, want) ? undefined : got);
}

function show(v) {
  const s = v === undefined ? "undefined" : JSON.stringify(v);
  return s.length > 400 ? s.slice(0, 400) + "…" : s;
}

// Abort is thrown by must(): the rest of the flow depends on this value.
class Abort extends Error {}

function must(cond, what, detail) {
  if (!ok(cond, what, detail)) throw new Abort(what);
}

// flow runs a sequence of dependent steps; the first hard failure stops it
// and is reported, and the other flows still run.
async function flow(name, fn) {
  console.log(`- ${name}`);
  try {
    await fn();
  } catch (e) {
    if (!(e instanceof Abort)) {
      failures.push(`${section}: ${name}: ${e.message ?? e}`);
      console.log(`  FAIL ${name}: ${e.message ?? e}`);
    }
    console.log(`  (rest of "${name}" skipped)`);
  }
}

// ---------------------------------------------------------------- servers

// registeredTools asks the binary which tools it registers.
function registeredTools(extra = []) {
  const out = execFileSync(BIN, ["--sandbox", "--list-tools", ...extra], { encoding: "utf8" });
  return out.split("\n").map((l) => l.trim().split(/\s+/)[0]).filter(Boolean).sort();
}

// startHTTP starts "--transport http" on a free port and resolves with
// its base URL once the server logs where it listens.
function startHTTP(token) {
  const args = ["--sandbox", "--transport", "http", "--addr", "127.0.0.1:0"];
  if (token) args.push("--http-token", token);
  const proc = spawn(BIN, args, { stdio: ["ignore", "ignore", "pipe"] });
  const log = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("HTTP server did not start in 15s:\n" + log.join("\n"))), 15000);
    proc.on("exit", (code) => reject(new Error(`HTTP server exited with ${code}:\n` + log.join("\n"))));
    createInterface({ input: proc.stderr }).on("line", (line) => {
      log.push(line);
      const m = /serving MCP over HTTP.* url=(http:\/\/\S+)\/mcp/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve({ base: m[1], proc, log });
      }
    });
  });
}

function stopHTTP(srv) {
  if (srv && srv.proc.exitCode === null) srv.proc.kill("SIGTERM");
}

// ---------------------------------------------------------------- client

// connect opens an SDK client over the given transport kind. With
// elicit, it declares the elicitation capability and answers each
// elicitation/create with the next action of elicit.answers.
async function connect(kind, target, elicit) {
  const client = new Client(
    { name: "dingtalk-mcp-e2e", version: "1.0.0" },
    { capabilities: elicit ? { elicitation: {} } : {} },
  );
  if (elicit) {
    client.setRequestHandler(ElicitRequestSchema, async (req) => {
      elicit.asked.push(req.params);
      const action = elicit.answers.shift() ?? "decline";
      return action === "accept" ? { action, content: { confirm: true } } : { action };
    });
  }
  let transport;
  const headers = { Authorization: `Bearer ${TOKEN}` };
  if (kind === "stdio") {
    transport = new StdioClientTransport({ command: BIN, args: ["--sandbox"], stderr: "pipe" });
    const log = [];
    transport.stderr?.on("data", (d) => log.push(String(d)));
    client.serverLog = log;
  } else if (kind === "http") {
    transport = new StreamableHTTPClientTransport(new URL(target + "/mcp"), { requestInit: { headers } });
  } else {
    transport = new SSEClientTransport(new URL(target + "/sse"), { requestInit: { headers } });
  }
  await client.connect(transport);
  const tools = (await client.listTools()).tools; // also caches the output schemas the SDK validates results with
  client.toolNames = new Set(tools.map((t) => t.name));
  client.tools = tools;
  return client;
}

// call runs a tool and returns its structuredContent, after the checks
// every result must pass: the envelope is present, isError matches
// StatusCode, and the text content mirrors the structured result.
async function call(client, name, args, { expectError = false } = {}) {
  if (!client.toolNames.has(name)) {
    throw new Error(`tool ${name} is not registered by the server (yet): this step cannot run`);
  }
  const res = await client.callTool({ name, arguments: args });
  const sc = res.structuredContent;
  const label = `${name}(${show(args).slice(0, 120)})`;
  must(sc && typeof sc === "object", `${label} returns structuredContent`, res);
  const missing = ENVELOPE.filter((k) => !(k in sc));
  ok(missing.length === 0, `${name}: result has every envelope field`, missing.length ? missing : undefined);
  const isErr = res.isError === true;
  if (expectError) {
    ok(isErr && sc.StatusCode !== 200, `${name}: fails (isError, StatusCode ${sc.StatusCode})`, isErr ? undefined : sc);
    ok(sc.ErrorMessage !== "" && sc.Summary === "", `${name}: failure has ErrorMessage and no Summary`, sc.ErrorMessage !== "" && sc.Summary === "" ? undefined : sc);
    ok(sc.Hint !== "", `${name}: failure has a Hint`, sc.Hint !== "" ? undefined : sc);
  } else {
    must(!isErr && sc.StatusCode === 200, `${name}: succeeds (StatusCode 200)`, isErr || sc.StatusCode !== 200 ? sc : undefined);
    ok(sc.Summary !== "" && sc.ErrorMessage === "", `${name}: success has a Summary and no ErrorMessage`, sc.Summary !== "" && sc.ErrorMessage === "" ? undefined : sc);
  }
  const text = (res.content ?? []).find((c) => c.type === "text");
  let mirrored;
  try {
    mirrored = text && JSON.parse(text.text);
  } catch {
    mirrored = undefined;
  }
  ok(isDeepStrictEqual(mirrored, sc), `${name}: text content mirrors structuredContent`, isDeepStrictEqual(mirrored, sc) ? undefined : text?.text?.slice(0, 200));
  return sc;
}

// ---------------------------------------------------------------- checks on tools/list

function hasRef(v) {
  if (Array.isArray(v)) return v.some(hasRef);
  if (v && typeof v === "object") {
    return Object.entries(v).some(([k, x]) => k === "$ref" || k === "$defs" || k === "definitions" || hasRef(x));
  }
  return false;
}

function checkToolList(client, expected) {
  const names = client.tools.map((t) => t.name).sort();
  eq(names, expected, `tools/list is exactly the ${expected.length} tools --list-tools prints`);
  const missing = Object.keys(CONTRACT).filter((n) => !client.toolNames.has(n));
  ok(missing.length === 0, `all ${Object.keys(CONTRACT).length} contract tools are registered`, missing.length ? `missing ${missing.length}: ${missing.join(", ")}` : undefined);
  const beyond = Object.keys(BEYOND).filter((n) => !client.toolNames.has(n));
  ok(beyond.length === 0, `the ${Object.keys(BEYOND).length} group-message and document tools are registered`, beyond.length ? `missing: ${beyond.join(", ")}` : undefined);
  const extra = names.filter((n) => !(n in DECLARED));
  ok(extra.length === 0, "no tool outside the contract and the tools beyond it", extra.length ? extra : undefined);
  const bad = [];
  for (const t of client.tools) {
    const problems = [];
    if (hasRef(t.inputSchema) || hasRef(t.outputSchema)) problems.push("$ref/$defs in a schema");
    if (t.inputSchema?.type !== "object") problems.push("inputSchema is not an object schema");
    if (t.outputSchema?.type !== "object") problems.push("no object outputSchema");
    for (const k of ENVELOPE) if (!t.outputSchema?.properties?.[k]) problems.push(`outputSchema lacks ${k}`);
    if (!t.title || !t.description) problems.push("no title or description");
    const a = t.annotations ?? {};
    for (const k of ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"]) {
      if (typeof a[k] !== "boolean") problems.push(`annotation ${k} not set`);
    }
    for (const [p, s] of Object.entries(t.inputSchema?.properties ?? {})) {
      if (!s.description) problems.push(`input ${p} has no description`);
    }
    const c = DECLARED[t.name];
    if (c) {
      const [, effect, idem, guarded] = c;
      if (a.readOnlyHint !== (effect === "R")) problems.push(`readOnlyHint should be ${effect === "R"}`);
      if (a.idempotentHint !== idem) problems.push(`idempotentHint should be ${idem}`);
      if (Boolean(t.inputSchema?.properties?.Confirm) !== guarded) problems.push(guarded ? "guarded but has no Confirm input" : "has a Confirm input but is not guarded");
    }
    if (problems.length) bad.push(`${t.name}: ${problems.join("; ")}`);
  }
  ok(bad.length === 0, `every tool: no $ref, object input/output schemas with the envelope, title, described inputs, 4 annotations matching the contract`, bad.length ? bad : undefined);
}

// ---------------------------------------------------------------- the scenario

async function scenario(client, tag) {
  await flow("contacts: find a user", async () => {
    const found = await call(client, "search_users", { QueryWord: BOSS.name });
    must(Array.isArray(found.SearchResult?.list) && found.SearchResult.list.includes(BOSS.userid), `search_users finds ${BOSS.userid}`, found.SearchResult);
    const byId = await call(client, "get_user", { UserId: BOSS.userid });
    eq(byId.UserData?.name, BOSS.name, "get_user UserData.name");
    eq(byId.UserData?.mobile, BOSS.mobile, "get_user UserData.mobile");
    ok(typeof byId.UserData?.unionid === "string" && byId.UserData.unionid !== "", "get_user gives a unionid", byId.UserData?.unionid);
    const byMobile = await call(client, "get_user", { Mobile: BOSS.mobile });
    eq(byMobile.UserData?.userid, BOSS.userid, "get_user by Mobile UserData.userid");
    const nobody = await call(client, "get_user", { UserId: "no-such-user-e2e" }, { expectError: true });
    eq(nobody.StatusCode, 404, "get_user of an unknown userId StatusCode");
    ok(/search_users/.test(nobody.Hint), "its Hint names search_users", nobody.Hint);
    const bad = await call(client, "search_users", { QueryWord: BOSS.name, Size: 500 }, { expectError: true });
    eq(bad.StatusCode, -1, "search_users with Size 500 StatusCode");
    ok(/Size/.test(bad.ErrorMessage), "its ErrorMessage names Size", bad.ErrorMessage);
    eq(bad.OriginalStatusCode, 0, "bad input never reached DingTalk: OriginalStatusCode");
  });

  await flow("message: send a work notice, read its status, recall it", async () => {
    const notice = { UserIds: SALES, MsgType: "text", Content: `季度销售会议 周五 15:00 (${tag})` };
    const preview = await call(client, "send_work_notice", notice, { expectError: true });
    eq(preview.StatusCode, -1, "send_work_notice without Confirm: StatusCode (preview)");
    ok(/Confirm/.test(preview.ErrorMessage) && /nothing was sent/i.test(preview.ErrorMessage), "preview says Confirm is needed and nothing was sent", preview.ErrorMessage);
    ok(/Confirm=true/.test(preview.Hint) && preview.Hint.includes(SALES[0]), "preview Hint describes the notice and how to confirm", preview.Hint);
    eq(preview.MessageData, undefined, "preview: no MessageData (no task created)");
    eq(preview.Retryable, false, "preview Retryable");

    const sent = await call(client, "send_work_notice", { ...notice, Confirm: true });
    const task = sent.MessageData?.task_id;
    must(Number.isInteger(task) && task > 0, "send_work_notice with Confirm returns MessageData.task_id", sent.MessageData);
    eq(sent.MessageData.recipients, SALES, "MessageData.recipients");
    // The sandbox numbers tasks consecutively from a fixed start, so if
    // the preview had created a task it would be task-1.
    const before = await call(client, "get_message_status", { TaskId: task - 1 }, { expectError: true });
    ok(before.StatusCode !== 200, "the preview created no task (task_id-1 does not exist)", before.StatusCode);

    const status = await call(client, "get_message_status", { TaskId: task });
    const s = status.MessageStatus ?? {};
    const reached = [...(s.read_user_id_list ?? []), ...(s.unread_user_id_list ?? [])].sort();
    eq(reached, [...SALES].sort(), "get_message_status: read+unread recipients");

    const recallPreview = await call(client, "recall_message", { MsgTaskId: task }, { expectError: true });
    eq(recallPreview.StatusCode, -1, "recall_message without Confirm: StatusCode (preview)");
    const recalled = await call(client, "recall_message", { MsgTaskId: task, Confirm: true });
    eq(recalled.RecallResult, true, "recall_message RecallResult");
  });

  await flow("wiki + sheet: create a workspace and a WORKBOOK, append rows, read them back", async () => {
    const wsName = `E2E 销售看板 ${tag}`;
    const wsPreview = await call(client, "create_workspace", { Name: wsName }, { expectError: true });
    eq(wsPreview.StatusCode, -1, "create_workspace without Confirm: StatusCode (preview)");
    const ws = await call(client, "create_workspace", { Name: wsName, Description: "end-to-end test", Confirm: true });
    const wsId = ws.WorkspaceData?.workspaceId;
    must(typeof wsId === "string" && wsId !== "", "create_workspace returns WorkspaceData.workspaceId", ws.WorkspaceData);
    eq(ws.WorkspaceData.name, wsName, "WorkspaceData.name");
    const got = await call(client, "get_workspace", { WorkspaceId: wsId });
    eq(got.WorkspaceData?.name, wsName, "get_workspace WorkspaceData.name");

    const doc = await call(client, "create_doc", { WorkspaceId: wsId, Name: "Q3 pipeline", DocType: "WORKBOOK", Confirm: true });
    const workbook = doc.WorkbookId;
    must(typeof workbook === "string" && workbook !== "", "create_doc WORKBOOK returns WorkbookId", doc);
    eq(doc.DocData?.dentryUuid, workbook, "WorkbookId is DocData.dentryUuid");
    eq(doc.DocData?.workspaceId, wsId, "DocData.workspaceId");
    const listed = await call(client, "get_node_list", { WorkspaceId: wsId });
    const node = (listed.NodeList ?? []).find((n) => n.nodeId === workbook);
    ok(node !== undefined && node.extension === "axls", "get_node_list of the new workspace shows the workbook (extension axls)", listed.NodeList);

    const sheets = await call(client, "get_worksheets", { WorkbookId: workbook });
    must(Array.isArray(sheets.SheetList) && sheets.SheetList.length === 1, "a new workbook has one sheet", sheets.SheetList);
    eq(sheets.SheetCount, 1, "get_worksheets SheetCount");
    const sheet = sheets.SheetList[0].id;
    must(typeof sheet === "string" && sheet !== "", "SheetList[0].id", sheets.SheetList[0]);

    const rows = [["客户", "阶段", "金额"], ["杭州云栖", "报价", "120000"]];
    const appendPreview = await call(client, "append_rows", { WorkbookId: workbook, SheetId: sheet, RangeAddress: "A:C", Values: rows }, { expectError: true });
    eq(appendPreview.StatusCode, -1, "append_rows without Confirm: StatusCode (preview)");
    const a1 = await call(client, "append_rows", { WorkbookId: workbook, SheetId: sheet, RangeAddress: "A:C", Values: rows, Confirm: true });
    eq(a1.AppendResult?.appendedRange, "A1:C2", "append_rows to an empty sheet: appendedRange");
    eq(a1.AppendResult?.appendedRows, 2, "appendedRows");
    // Values as a JSON string of a 2D array, as agents often send it.
    const more = [["上海浦江", "签约", "86000"]];
    const a2 = await call(client, "append_rows", { WorkbookId: workbook, SheetId: sheet, RangeAddress: "a:c", Values: JSON.stringify(more), Confirm: true });
    eq(a2.AppendResult?.appendedRange, "A3:C3", "second append_rows (Values as JSON text) lands below: appendedRange");

    const read = await call(client, "get_range_data", { WorkbookId: workbook, SheetId: sheet, RangeAddress: "A1:C3" });
    eq(read.RangeData?.values, [...rows, ...more], "get_range_data A1:C3 RangeData.values");
    const ragged = await call(client, "append_rows", { WorkbookId: workbook, SheetId: sheet, RangeAddress: "A:C", Values: [["only", "two"]], Confirm: true }, { expectError: true });
    eq(ragged.StatusCode, -1, "append_rows with a row narrower than A:C: StatusCode");
  });

  await flow("chat: create a group chat and read its info", async () => {
    const name = `E2E 项目群 ${tag}`.slice(0, 20);
    const chatArgs = { Name: name, Owner: BOSS.userid, UserIds: SALES.join(",") };
    const preview = await call(client, "create_chat", chatArgs, { expectError: true });
    eq(preview.StatusCode, -1, "create_chat without Confirm: StatusCode (preview)");
    const chat = await call(client, "create_chat", { ...chatArgs, Confirm: true });
    const c = chat.ChatData ?? {};
    must(typeof c.chatid === "string" && c.chatid.startsWith("chat"), "create_chat returns ChatData.chatid", c);
    must(typeof c.openConversationId === "string" && c.openConversationId.startsWith("cid"), "create_chat returns ChatData.openConversationId", c);
    // By chatid DingTalk answers with the full record (name, owner, members).
    const byChatId = await call(client, "get_chat_info", { ChatId: c.chatid });
    eq(byChatId.ChatInfo?.name, name, "get_chat_info(chatid) ChatInfo.name");
    eq(byChatId.ChatInfo?.owner, BOSS.userid, "get_chat_info(chatid) ChatInfo.owner");
    eq([...(byChatId.ChatInfo?.useridlist ?? [])].sort(), [BOSS.userid, ...SALES].sort(), "get_chat_info(chatid) ChatInfo.useridlist (the owner is a member)");
    // By openConversationId it answers with the base info (title, memberCount).
    const byCid = await call(client, "get_chat_info", { ChatId: c.openConversationId });
    eq(byCid.ChatInfo?.title, name, "get_chat_info(openConversationId) ChatInfo.title");
    eq(byCid.ChatInfo?.memberCount, 3, "get_chat_info(openConversationId) ChatInfo.memberCount");
    const unknown = await call(client, "get_chat_info", { ChatId: "chat00000000000000000000000000e2e0" }, { expectError: true });
    ok([400, 404].includes(unknown.StatusCode), "get_chat_info of an unknown chatid fails as not found / rejected", unknown.StatusCode);
    // A new group has no robot: create_chat says so, and a post says how to add it.
    ok(/robot is not in it/.test(chat.Summary), "create_chat Summary says the app's robot is not in the new group", chat.Summary);
    const post = await call(client, "send_chat_message", { ChatId: c.openConversationId, MsgType: "text", Content: "hello", Confirm: true }, { expectError: true });
    eq(post.StatusCode, 404, "send_chat_message to a group without the robot: StatusCode");
    ok(/not in this group/.test(post.Hint) && /添加机器人/.test(post.Hint), "its Hint says how to add the robot", post.Hint);
  });

  await flow("chat: post in a group as the robot, read its status, recall it", async () => {
    const msg = { ChatId: ALL_STAFF_GROUP, MsgType: "markdown", Content: `## 演示改到下午 3 点\n地点不变 (${tag})` };
    const preview = await call(client, "send_chat_message", msg, { expectError: true });
    eq(preview.StatusCode, -1, "send_chat_message without Confirm: StatusCode (preview)");
    ok(/Confirm=true/.test(preview.Hint) && preview.Hint.includes(ALL_STAFF_GROUP), "preview Hint names the group and how to confirm", preview.Hint);
    const sent = await call(client, "send_chat_message", { ...msg, Confirm: true });
    const key = sent.ChatMessage?.ProcessQueryKey;
    must(typeof key === "string" && key !== "", "send_chat_message returns ChatMessage.ProcessQueryKey", sent.ChatMessage);
    const status = await call(client, "get_chat_message_status", { ChatId: ALL_STAFF_GROUP, ProcessQueryKey: key });
    eq(status.ReadStatus?.sendStatus, "SUCCESS", "get_chat_message_status ReadStatus.sendStatus");
    ok(Array.isArray(status.ReadStatus?.readUserIds), "ReadStatus.readUserIds is a list", status.ReadStatus);
    const tooBig = await call(client, "send_chat_message", { ...msg, Content: "\u0001".repeat(2600), Confirm: true }, { expectError: true });
    eq(tooBig.StatusCode, -1, "a message over DingTalk's 15000 bytes: StatusCode");
    ok(/15000/.test(tooBig.ErrorMessage), "its ErrorMessage names the limit", tooBig.ErrorMessage);
    const recalled = await call(client, "recall_chat_message", { ChatId: ALL_STAFF_GROUP, ProcessQueryKeys: [key], Confirm: true });
    eq(recalled.Recalled, [key], "recall_chat_message Recalled");
    const after = await call(client, "get_chat_message_status", { ChatId: ALL_STAFF_GROUP, ProcessQueryKey: key });
    eq(after.ReadStatus?.sendStatus, "RECALLED", "after recall: ReadStatus.sendStatus");
  });

  await flow("wiki: write a document's content and read it back", async () => {
    const doc = await call(client, "create_doc", { WorkspaceId: KNOWLEDGE_BASE, Name: `E2E 会议纪要 ${tag}`, DocType: "DOC", Confirm: true });
    const id = doc.NodeId;
    must(typeof id === "string" && id !== "", "create_doc DOC returns NodeId", doc);
    const minutes = "# 周会纪要\n\n## 决定\n\n1. 演示改到下午 3 点\n2. 下周发布";
    const preview = await call(client, "overwrite_doc_content", { NodeId: id, Markdown: minutes }, { expectError: true });
    eq(preview.StatusCode, -1, "overwrite_doc_content without Confirm: StatusCode (preview)");
    ok(/the document is empty now/.test(preview.Hint), "the preview says how much it would replace", preview.Hint);
    await call(client, "overwrite_doc_content", { NodeId: id, Markdown: minutes, Confirm: true });
    await call(client, "append_doc_content", { DocUrl: `https://alidocs.dingtalk.com/i/nodes/${id}`, Markdown: "## 待办\n\n- 发群通知", Confirm: true });
    const read = await call(client, "get_doc_content", { NodeId: id });
    eq(read.Markdown, minutes + "\n\n## 待办\n\n- 发群通知", "get_doc_content Markdown");
    const cut = await call(client, "get_doc_content", { NodeId: id, MaxChars: 200, StartBlock: 1 });
    ok(cut.Markdown.startsWith("## 决定"), "get_doc_content from StartBlock 1", cut.Markdown);
    const long = await call(client, "append_doc_content", { NodeId: id, Markdown: "字".repeat(50001), Confirm: true }, { expectError: true });
    eq(long.StatusCode, -1, "Markdown over DingTalk's 50000 characters: StatusCode");
    ok(/50000/.test(long.ErrorMessage), "its ErrorMessage names the limit", long.ErrorMessage);
  });
}

// elicitationScenario: the client declared elicitation, so a guarded write
// without Confirm asks the human; decline and cancel send nothing. Over the
// legacy SSE transport mcp-go cannot send server-to-client requests, so
// there the server must fall back to the preview and still send nothing.
async function elicitationScenario(client, elicit, tag, canElicit) {
  const title = canElicit ? "elicitation: decline, cancel and accept a work notice" : "elicitation declared over SSE: the server falls back to the preview";
  await flow(title, async () => {
    const base = { UserIds: [SALES[1]], MsgType: "text" };
    const first = await call(client, "send_work_notice", { ...base, Content: `提醒 A (${tag})`, Confirm: true });
    const t1 = first.MessageData?.task_id;
    must(Number.isInteger(t1), "with Confirm=true it is sent without asking", first.MessageData);
    eq(elicit.asked.length, 0, "no elicitation when Confirm=true");

    const noTaskAfter = async (why) => {
      const next = await call(client, "get_message_status", { TaskId: t1 + 1 }, { expectError: true });
      ok(next.StatusCode !== 200, `${why}: no task was created (task_id ${t1}+1 does not exist)`, next.StatusCode);
    };

    if (!canElicit) {
      elicit.answers.push("accept");
      const r = await call(client, "send_work_notice", { ...base, Content: `提醒 B (${tag})` }, { expectError: true });
      eq(elicit.asked.length, 0, "the server did not try to elicit over SSE");
      eq(r.StatusCode, -1, "without Confirm: StatusCode (preview)");
      ok(/Confirm must be true/.test(r.ErrorMessage), "the preview says Confirm must be true", r.ErrorMessage);
      eq(r.MessageData, undefined, "preview: no MessageData, no task id");
      await noTaskAfter("preview");
      return;
    }

    for (const action of ["decline", "cancel"]) {
      elicit.answers.push(action);
      const r = await call(client, "send_work_notice", { ...base, Content: `提醒 B (${tag})` }, { expectError: true });
      const q = elicit.asked.at(-1);
      ok(q && /send a text work notice/.test(q.message) && q.message.includes(SALES[1]), `the server asked the human what it would send (${action})`, q?.message);
      ok(q?.requestedSchema?.properties?.confirm?.type === "boolean", "the question is a boolean confirm form", q?.requestedSchema);
      eq(r.StatusCode, -1, `${action}: StatusCode`);
      ok(/did not confirm/.test(r.ErrorMessage), `${action}: ErrorMessage says the user did not confirm`, r.ErrorMessage);
      eq(r.MessageData, undefined, `${action}: no MessageData, no task id`);
      await noTaskAfter(action);
    }
    eq(elicit.asked.length, 2, "asked once per unconfirmed call");

    elicit.answers.push("accept");
    const sent = await call(client, "send_work_notice", { ...base, Content: `提醒 C (${tag})` });
    eq(elicit.asked.length, 3, "accept: asked once");
    eq(sent.MessageData?.task_id, t1 + 1, "accept: sent, and it is the next task after the confirmed one");
    const status = await call(client, "get_message_status", { TaskId: t1 + 1 });
    const s = status.MessageStatus ?? {};
    eq([...(s.read_user_id_list ?? []), ...(s.unread_user_id_list ?? [])], [SALES[1]], "accepted notice reached its recipient");
  });
}

// ---------------------------------------------------------------- main

async function runTransport(kind, expected) {
  section = kind;
  console.log(`\n== ${kind}`);
  let srv;
  const clients = [];
  try {
    let target;
    if (kind !== "stdio") {
      srv = await startHTTP(TOKEN);
      target = srv.base;
      if (kind === "http") await checkHTTPAuth(target);
    }
    const plain = await connect(kind, target);
    clients.push(plain);
    const v = plain.getServerVersion();
    eq(v?.name, "dingtalk-mcp", "serverInfo.name");
    ok(Boolean(plain.getServerCapabilities()?.tools), "server declares the tools capability");
    ok(/Confirm=true/.test(plain.getInstructions() ?? ""), "instructions explain the Confirm guard", plain.getInstructions());
    await flow("tools/list", async () => checkToolList(plain, expected));
    await scenario(plain, kind);

    const elicit = { answers: [], asked: [] };
    const asking = await connect(kind, target, elicit);
    clients.push(asking);
    await elicitationScenario(asking, elicit, kind, kind !== "sse");
  } catch (e) {
    failures.push(`${kind}: ${e.message ?? e}`);
    console.log(`  FAIL ${e.stack ?? e}`);
    const log = srv ? srv.log : (clients[0]?.serverLog ?? []).join("").split("\n");
    console.log("  server log (last lines):\n" + log.slice(-20).join("\n"));
  } finally {
    for (const c of clients) await c.close().catch(() => {});
    stopHTTP(srv);
  }
}

// checkHTTPAuth: with --http-token, /mcp and /sse refuse a request without
// the bearer token; /healthz stays open.
async function checkHTTPAuth(base) {
  const init = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "e2e", version: "1" } } };
  const post = (headers) => fetch(base + "/mcp", { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream", ...headers }, body: JSON.stringify(init) });
  eq((await post({})).status, 401, "POST /mcp without the bearer token: HTTP status");
  eq((await post({ Authorization: "Bearer wrong" })).status, 401, "POST /mcp with a wrong token: HTTP status");
  const sse = await fetch(base + "/sse", { headers: { Accept: "text/event-stream" } });
  eq(sse.status, 401, "GET /sse without the token: HTTP status");
  await sse.body?.cancel();
  const health = await fetch(base + "/healthz");
  eq([health.status, await health.json()], [200, { status: "ok" }], "GET /healthz");
}

async function readOnlyMode() {
  section = "read-only";
  console.log("\n== stdio --read-only");
  const expected = registeredTools(["--read-only"]);
  const client = new Client({ name: "dingtalk-mcp-e2e", version: "1.0.0" });
  try {
    await client.connect(new StdioClientTransport({ command: BIN, args: ["--sandbox", "--read-only"], stderr: "pipe" }));
    const tools = (await client.listTools()).tools;
    eq(tools.map((t) => t.name).sort(), expected, "--read-only: tools/list is what --read-only --list-tools prints");
    const wantRead = Object.keys(DECLARED).filter((n) => DECLARED[n][1] === "R").sort();
    eq(expected, wantRead, "--read-only registers exactly the read tools");
    const writable = tools.filter((t) => t.annotations?.readOnlyHint !== true).map((t) => t.name);
    eq(writable, [], "--read-only: every tool is readOnlyHint");
  } catch (e) {
    failures.push(`read-only: ${e.message ?? e}`);
    console.log(`  FAIL ${e.message ?? e}`);
  } finally {
    await client.close().catch(() => {});
  }
}

const expected = registeredTools();
console.log(`dingtalk-mcp registers ${expected.length} tools: ${expected.join(", ")}`);
for (const kind of ["stdio", "http", "sse"]) await runTransport(kind, expected);
await readOnlyMode();

console.log(`\n${passed} checks passed, ${failures.length} failed`);
if (failures.length) {
  console.log("Failures:");
  for (const f of failures) console.log("  - " + f);
  process.exit(1);
}
