// Prints the server configuration ({command, args, env}) that a desktop
// client derives from an unpacked MCPB bundle's manifest for this platform,
// with the user's settings substituted, using the MCPB package's own
// getMcpConfigForManifest.
//
//   node .ci/mcpb-config.mjs <unpacked bundle dir> '<user_config JSON>'
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const [dir, userConfigJSON] = process.argv.slice(2);
const require = createRequire(new URL("../packaging/tools/", import.meta.url));
const { getMcpConfigForManifest } = await import(require.resolve("@anthropic-ai/mcpb"));
const manifest = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8"));
const config = await getMcpConfigForManifest({
  manifest,
  extensionPath: path.resolve(dir),
  systemDirs: {},
  userConfig: JSON.parse(userConfigJSON),
  pathSeparator: path.sep,
});
if (!config) {
  console.error("the manifest gives no server configuration for these settings");
  process.exit(1);
}
console.log(JSON.stringify(config));
