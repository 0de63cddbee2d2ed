#!/usr/bin/env node
// A stand-in for the web browser that an MCP client opens for OAuth
// (give its path as $BROWSER): it signs the sandbox member
// $DINGTALK_SIGNIN_USER (default lina) in, headless, and delivers the code
// to the client's loopback callback. Used with clients that open a
// browser themselves, such as the MCP Inspector CLI.

import { browse } from "./browser.mjs";

const fail = (what, detail) => {
  console.error(`consent-browser: ${what}` + (detail === undefined ? "" : `: ${JSON.stringify(detail)}`));
  process.exit(1);
};
const check = { ok: (cond) => cond, must: (cond, what, detail) => cond || fail(what, detail) };
const back = await browse(new URL(process.argv[2]), process.env.DINGTALK_SIGNIN_USER || "lina", check);
const res = await fetch(back, { redirect: "manual" });
if (res.status >= 400) fail("the client's callback refused the code", res.status);
