"use strict";
// Which package carries the dingtalk-mcp binary for which platform. Each
// is an optional dependency of this package whose "os" and "cpu" fields
// let npm install only the one that fits the machine.
const fs = require("node:fs");
const path = require("node:path");

/** Platform package by `${process.platform}-${process.arch}`. */
const PACKAGES = {
  "darwin-arm64": "@dingtalk-mcp/dingtalk-mcp-darwin-arm64",
  "darwin-x64": "@dingtalk-mcp/dingtalk-mcp-darwin-x64",
  "linux-arm64": "@dingtalk-mcp/dingtalk-mcp-linux-arm64",
  "linux-x64": "@dingtalk-mcp/dingtalk-mcp-linux-x64",
  "win32-arm64": "@dingtalk-mcp/dingtalk-mcp-win32-arm64",
  "win32-x64": "@dingtalk-mcp/dingtalk-mcp-win32-x64",
};

/**
 * Finds the binary for a platform and architecture.
 * @param {string} platform like process.platform
 * @param {string} arch like process.arch
 * @param {(id: string) => string} resolve like require.resolve
 * @returns {{path: string} | {error: string}} the binary, or one line that
 *   says what is wrong and which platforms have a binary
 */
function resolveBinary(platform, arch, resolve = require.resolve) {
  const key = `${platform}-${arch}`;
  const known = `binaries exist for ${Object.keys(PACKAGES).join(", ")}`;
  const pkg = PACKAGES[key];
  if (!pkg) {
    return { error: `no binary for ${key}; ${known}` };
  }
  let dir;
  try {
    dir = path.dirname(resolve(`${pkg}/package.json`));
  } catch {
    return { error: `${pkg}, the binary for ${key}, is not installed (were optional dependencies omitted?); ${known}` };
  }
  const file = path.join(dir, "bin", platform === "win32" ? "dingtalk-mcp.exe" : "dingtalk-mcp");
  if (!fs.existsSync(file)) {
    return { error: `${pkg} has no ${path.join("bin", path.basename(file))}; reinstall @dingtalk-mcp/dingtalk-mcp; ${known}` };
  }
  return { path: file };
}

module.exports = { PACKAGES, resolveBinary };
