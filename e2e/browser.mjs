// A headless browser for DingTalk sign-in (--auth dingtalk --sandbox),
// shared by the e2e scripts: it follows the server's /authorize to the
// sandbox's DingTalk sign-in page, consents as a demo member, and follows
// the callback back to the client, keeping the cookies the server sets.

// browse plays the person's browser from the authorization URL to the
// redirect back to the client, consenting as userid on DingTalk's page.
export async function browse(authorizationUrl, userid, { ok, must }) {
  const cookies = new Map();
  const get = async (url, init = {}) => {
    const headers = { ...(init.headers ?? {}) };
    const jar = [...cookies.entries()].map(([k, v]) => `${k}=${v}`).join("; ");
    if (jar) headers.cookie = jar;
    const res = await fetch(url, { ...init, headers, redirect: "manual" });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const [k, v] = pair.split("=");
      if (/max-age=-1|max-age=0/i.test(c)) cookies.delete(k);
      else cookies.set(k, v);
    }
    return res;
  };
  let res = await get(authorizationUrl);
  must(res.status === 302, "/authorize sends the browser on (302)", res.status);
  const page = new URL(res.headers.get("location"));
  must(page.pathname === "/oauth2/auth", "… to DingTalk's sign-in page /oauth2/auth", page.href);
  ok(page.searchParams.get("authCode") === null && page.searchParams.get("client_id") === "dingsandboxappkey", "… with the DingTalk app's client_id, not the MCP client's", page.search);
  res = await get(page);
  const html = await res.text();
  must(res.status === 200 && html.includes(`value="${userid}"`), `the sign-in page offers ${userid}`, res.status);
  const form = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    form.set(m[1], m[2].replaceAll("&amp;", "&").replaceAll("&#43;", "+"));
  }
  form.set("userid", userid);
  form.set("decision", "allow");
  res = await get(new URL(page.pathname, page), { method: "POST", body: form, headers: { "content-type": "application/x-www-form-urlencoded" } });
  must(res.status === 302, "consent redirects back (302)", res.status);
  const callback = new URL(res.headers.get("location"));
  must(callback.pathname === "/callback" && callback.searchParams.get("authCode"), "… to the server's /callback with DingTalk's authCode", callback.href);
  res = await get(callback);
  must(res.status === 302, "/callback redirects to the client (302)", res.status);
  return new URL(res.headers.get("location"));
}
