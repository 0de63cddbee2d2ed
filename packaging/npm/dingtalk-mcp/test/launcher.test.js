"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { PACKAGES, resolveBinary } = require("../lib/platforms.js");

const root = path.join(__dirname, "..");
const launcher = path.join(root, "bin", "dingtalk-mcp.js");
const allPlatforms = "binaries exist for darwin-arm64, darwin-x64, linux-arm64, linux-x64, win32-arm64, win32-x64";

// runLauncher runs the launcher as `node` would, believing it runs on
// fakePlatform; it looks for platform packages in its own node_modules.
function runLauncher(fakePlatform, cwd = root) {
  return spawnSync(process.execPath, ["--require", path.join(__dirname, "fake-platform.cjs"), launcher, "--version"], {
    cwd,
    env: { ...process.env, FAKE_PLATFORM: fakePlatform },
    encoding: "utf8",
    timeout: 30_000,
  });
}

test("an unsupported platform exits non-zero with one line naming the platforms that exist", () => {
  for (const platform of ["freebsd-x64", "linux-ia32", "aix-ppc64"]) {
    const r = runLauncher(platform);
    assert.notEqual(r.status, 0, platform);
    assert.equal(r.stdout, "");
    assert.equal(r.stderr, `dingtalk-mcp: no binary for ${platform}; ${allPlatforms}\n`);
  }
});

test("a supported platform whose package is missing exits non-zero with one line", () => {
  const r = runLauncher("linux-arm64");
  assert.notEqual(r.status, 0);
  assert.equal(r.stdout, "");
  assert.equal(
    r.stderr,
    `dingtalk-mcp: @dingtalk-mcp/dingtalk-mcp-linux-arm64, the binary for linux-arm64, is not installed (were optional dependencies omitted?); ${allPlatforms}\n`,
  );
});

test("a platform package without its binary is reported, not run", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "launcher-"));
  try {
    const pkgDir = path.join(dir, "node_modules", "@dingtalk-mcp", "dingtalk-mcp-linux-x64");
    fs.mkdirSync(pkgDir, { recursive: true });
    fs.writeFileSync(path.join(pkgDir, "package.json"), "{}");
    const resolve = (id) => require.resolve(id, { paths: [dir] });
    const got = resolveBinary("linux", "x64", resolve);
    assert.equal(got.error, `@dingtalk-mcp/dingtalk-mcp-linux-x64 has no ${path.join("bin", "dingtalk-mcp")}; reinstall @dingtalk-mcp/dingtalk-mcp; ${allPlatforms}`);

    fs.mkdirSync(path.join(pkgDir, "bin"));
    fs.writeFileSync(path.join(pkgDir, "bin", "dingtalk-mcp"), "");
    assert.deepEqual(resolveBinary("linux", "x64", resolve), { path: path.join(pkgDir, "bin", "dingtalk-mcp") });
    // Windows binaries carry .exe.
    assert.match(resolveBinary("win32", "x64", resolve).error, /has no bin.dingtalk-mcp\.exe|is not installed/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the platform table, the optional dependencies and the platform packages agree", () => {
  const main = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  assert.deepEqual(Object.keys(main.optionalDependencies).sort(), Object.values(PACKAGES).sort());
  for (const [key, name] of Object.entries(PACKAGES)) {
    const [platform, arch] = key.split("-");
    const dir = path.join(root, "..", name.replace("@dingtalk-mcp/", ""));
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    assert.equal(pkg.name, name);
    assert.deepEqual([pkg.os, pkg.cpu], [[platform], [arch]], name);
    assert.equal(main.optionalDependencies[name], main.version, `${name} must be pinned to ${main.version}`);
    assert.equal(pkg.version, main.version, name);
  }
});
