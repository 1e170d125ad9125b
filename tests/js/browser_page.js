// Runs in headless chromium (tests/js/browser.mjs), in a page served from another origin
// than the apps: it imports the generated ES module and calls live Gradio apps. The page's
// URL hash holds {"app": url, "login": url, "auth": [user, password]}. What each scenario
// saw goes to window.__results; the assertions live in tests/e2e/test_browser.py.

import { AuthenticationError, Client, GradioError, JobCancelledError } from "./client/index.js";

const params = JSON.parse(decodeURIComponent(location.hash.slice(1)));
const results = {};

function describe(err) {
  const kinds = { AuthenticationError, GradioError, JobCancelledError };
  return {
    error: err?.constructor?.name ?? String(err),
    message: String(err?.message ?? err),
    kinds: Object.keys(kinds).filter((k) => err instanceof kinds[k]),
  };
}

async function run(name, scenario) {
  try {
    results[name] = { value: await scenario() };
  } catch (err) {
    results[name] = describe(err);
  }
}

await run("text", async () => {
  const client = new Client({ baseUrl: params.app });
  try {
    return await client.who({ name: "browser" });
  } finally {
    client.close();
  }
});

await run("files", async () => {
  const client = new Client({ baseUrl: params.app });
  try {
    const [many, one] = await client.fileIo({
      files: [new File(["from a File"], "a.txt", { type: "text/plain" }), new Uint8Array([104, 105])],
      file: new Blob(["from a Blob"], { type: "text/plain" }),
    });
    const text = async (file) => (await client.download(file)).text();
    return {
      many: await Promise.all(many.map(text)),
      names: many.map((f) => f.orig_name),
      one: await text(one),
    };
  } finally {
    client.close();
  }
});

await run("stream", async () => {
  const client = new Client({ baseUrl: params.app });
  try {
    const seen = [];
    for await (const partial of await client.submitSpell({ text: "abc" })) seen.push(partial);
    return seen;
  } finally {
    client.close();
  }
});

await run("abort", async () => {
  const client = new Client({ baseUrl: params.app });
  const controller = new AbortController();
  const seen = [];
  const started = Date.now();
  try {
    for await (const i of await client.submitIterate({}, { signal: controller.signal })) {
      seen.push(i);
      controller.abort();
    }
    return { seen, finished: true };
  } catch (err) {
    return { seen, ...describe(err), ms: Date.now() - started };
  } finally {
    client.close();
  }
});

await run("app_error", async () => {
  const client = new Client({ baseUrl: params.app });
  try {
    return await client.count({ n: 10 });
  } finally {
    client.close();
  }
});

await run("session", async () => {
  const client = new Client({ baseUrl: params.app });
  await client.remember({ text: "browser first" });
  const second = await client.remember({ text: "browser second" });
  const hash = client.sessionHash;
  client.close();
  return { second, hash };
});

// a browser keeps one cookie jar per origin: the calls without a login go first
await run("login_missing", async () => {
  const client = new Client({ baseUrl: params.login });
  return client.who({ name: "nobody" });
});

await run("login_wrong", async () => {
  const client = new Client({ baseUrl: params.login, auth: [params.auth[0], "wrong"] });
  return client.who({ name: "nobody" });
});

await run("login", async () => {
  const client = new Client({ baseUrl: params.login, auth: params.auth });
  try {
    const text = await client.who({ name: "login" });
    const [, one] = await client.fileIo({ files: [], file: new Blob(["behind a login"]) });
    return { text, download: await (await client.download(one)).text() };
  } finally {
    client.close();
  }
});

window.__results = results;
