// Starting the built binary over HTTP, shared by the e2e scripts.

import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

// startServer runs BIN with "--transport http" (in args) on a free port
// and resolves with its base URL once the server logs where it listens,
// the process, and the lines it logged so far (and keeps logging).
export function startServer(bin, args) {
  const proc = spawn(bin, args, { stdio: ["ignore", "ignore", "pipe"] });
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
