// Checks what the MCP Inspector CLI printed for one command.
//
//   node e2e/inspector-check.mjs list <output.json> <names.txt>
//     tools/list (--strict --format json): exactly the tools in names.txt
//     (one per line, as --list-tools prints them) and no schema
//     portability finding at all, warnings included.
//   node e2e/inspector-check.mjs call <output.json> <JSON path> <expected>
//     tools/call (--format json): structuredContent at the dotted path
//     equals expected (compared as JSON).
import { readFileSync } from "node:fs";

const [mode, file, ...rest] = process.argv.slice(2);
const out = JSON.parse(readFileSync(file, "utf8"));
const problems = [];

if (mode === "list") {
  const want = readFileSync(rest[0], "utf8").split("\n").map((l) => l.trim().split(/\s+/)[0]).filter(Boolean).sort();
  const got = (out.result?.tools ?? []).map((t) => t.name).sort();
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    problems.push(`tools/list gave ${got.length} tools [${got.join(", ")}], --list-tools ${want.length} [${want.join(", ")}]`);
  }
  for (const { toolName, findings } of out.schemaFindings ?? []) {
    for (const f of findings) problems.push(`${f.severity} in ${toolName} ${f.schema}${f.path ? "." + f.path : ""}: ${f.issue}`);
  }
  if (problems.length === 0) console.log(`  ok   ${got.length} tools, as --list-tools prints; no schema portability finding`);
} else if (mode === "call") {
  const [path, expected] = rest;
  let v = out.result?.structuredContent;
  for (const k of path.split(".")) v = v?.[k];
  if (JSON.stringify(v) !== expected) problems.push(`structuredContent.${path} is ${JSON.stringify(v)}, want ${expected}`);
  else console.log(`  ok   structuredContent.${path} = ${expected}`);
} else {
  problems.push(`unknown mode ${mode}`);
}
for (const p of problems) console.log(`  FAIL ${p}`);
process.exit(problems.length ? 1 : 0);
