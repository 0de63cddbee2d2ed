#!/usr/bin/env node
"use strict";
// Runs the dingtalk-mcp binary for this machine, from the platform package
// npm installed beside this one, with this process's arguments, standard
// streams and environment. Nothing is downloaded.
const { spawn } = require("node:child_process");
const { resolveBinary } = require("../lib/platforms.js");

const found = resolveBinary(process.platform, process.arch);
if (found.error) {
  process.stderr.write(`dingtalk-mcp: ${found.error}\n`);
  process.exit(1);
}

const child = spawn(found.path, process.argv.slice(2), { stdio: "inherit", windowsHide: true });
const signals = ["SIGINT", "SIGTERM", "SIGHUP"];
const forward = (signal) => child.kill(signal);
for (const signal of signals) process.on(signal, forward);

child.on("error", (err) => {
  process.stderr.write(`dingtalk-mcp: cannot start ${found.path}: ${err.message}\n`);
  process.exit(1);
});
child.on("exit", (code, signal) => {
  if (signal) {
    // End the way the server ended, so that a caller sees the same signal.
    for (const s of signals) process.off(s, forward);
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code ?? 1);
});
