// Drives generated JavaScript clients for tests/e2e/test_js_client.py.
//
//   node scenarios.mjs < request.json
//
// The request is {"scenario": name, "clients": {app: path of js/index.js}, "urls": {app: url},
// "args": {...}}. The scenario's observations are printed as one JSON line on stdout; the
// Python test compares them with gradio_client. Inputs may hold {"$file": path, "as": kind}
// markers, turned here into a local path, Blob (with or without a MIME type), File,
// Uint8Array or ArrayBuffer. Errors are reported as data ({"error": ...}) so that one
// failing call does not hide the others.

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { inspect } from "node:util";

const MIME = { wav: "audio/wav", png: "image/png", txt: "text/plain" };
const request = JSON.parse(readFileSync(0, "utf-8"));
const modules = {};

async function load(app) {
  modules[app] ??= await import(pathToFileURL(request.clients[app]).href);
  return modules[app];
}

async function client(app, options = {}) {
  const mod = await load(app);
  return new mod.Client(options);
}

/** Replaces {"$file": path, "as": kind} markers by what the client takes. */
function decode(value) {
  if (Array.isArray(value)) return value.map(decode);
  if (value === null || typeof value !== "object") return value;
  if (typeof value.$file === "string") {
    const path = value.$file;
    const name = path.split("/").pop();
    switch (value.as) {
      case "path":
        return path;
      case "blob":
        return new Blob([readFileSync(path)]);
      case "typedblob":
        return new Blob([readFileSync(path)], { type: MIME[name.split(".").pop()] });
      case "file":
        return new File([readFileSync(path)], name);
      case "bytes":
        return new Uint8Array(readFileSync(path));
      case "arraybuffer": {
        const bytes = readFileSync(path);
        return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      }
      default:
        throw new Error(`unknown file kind ${value.as}`);
    }
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v)]));
}

/** An error as data: its class, the classes it is an instance of, its fields. */
async function describe(err, app) {
  const mod = app ? await load(app) : {};
  const kinds = [
    "GradioClientError",
    "GradioError",
    "HTTPStatusError",
    "AuthenticationError",
    "GradioConnectionError",
    "GradioTimeoutError",
    "JobCancelledError",
    "ValidationError",
  ].filter((k) => typeof mod[k] === "function" && err instanceof mod[k]);
  if (err instanceof TypeError) kinds.push("TypeError");
  return {
    error: err?.constructor?.name ?? String(err),
    name: err?.name ?? null,
    message: err?.message ?? String(err),
    kinds,
    title: err?.title ?? null,
    status: err?.status ?? null,
    errors: err?.errors ?? null,
  };
}

/** {ok: value} or {error...}, plus how long it took in seconds. */
async function outcome(app, promise) {
  const started = performance.now();
  try {
    const ok = await promise;
    return { ok: ok === undefined ? null : ok, seconds: (performance.now() - started) / 1000 };
  } catch (err) {
    return { ...(await describe(err, app)), seconds: (performance.now() - started) / 1000 };
  }
}

async function blobInfo(blob) {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  return {
    isBlob: blob instanceof Blob,
    size: bytes.length,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    text: new TextDecoder().decode(bytes),
  };
}

/** A fetch that records each request (method, url, lower-cased headers) and passes it on. */
function recordingFetch(seen, inner = globalThis.fetch.bind(globalThis)) {
  return (url, init = {}) => {
    const headers = Object.fromEntries(new Headers(init.headers ?? {}).entries());
    seen.push({ method: init.method ?? "GET", url: String(url), headers });
    return inner(url, init);
  };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const scenarios = {
  /** Each [app, method, inputs] call on a fresh client. */
  async cases({ calls }) {
    const out = [];
    for (const [app, method, inputs] of calls) {
      const c = await client(app);
      out.push(await outcome(app, c[method](decode(inputs))));
    }
    return out;
  },

  /** Generator endpoints, read with `for await`, alone and two at once on one client. */
  async stream({ n, text }) {
    const c = await client("chat");
    const read = async (job) => {
      const seen = [];
      for await (const out of job) seen.push(out);
      return seen;
    };
    const job = await c.submitCountUp({ n });
    const seen = await read(job);
    const words = await read(await c.submitProgressWords({ text }));
    const [a, b] = await Promise.all([
      c.submitCountUp({ n }).then(read),
      c.submitProgressWords({ text }).then(read),
    ]);
    return {
      seen,
      result: await job.result(),
      outputs: job.outputs(),
      status: job.status(),
      done: job.done(),
      words,
      together: [a, b],
      plainCall: await c.countUp({ n }),
      plainJob: await read(await c.submitWithProgress({ steps: 1 })),
    };
  },

  /** gr.State follows one client across calls; resetSession starts over. */
  async state() {
    const c = await client("chat");
    const hash = c.sessionHash;
    const counts = [await c.increment(), await c.increment(), await c.increment()];
    const words = [await c.remember({ word: "a" }), await c.remember({ word: "b" })];
    c.resetSession();
    const afterReset = await c.increment();
    const other = await (await client("chat")).increment();
    const concurrent = await Promise.all([c.increment(), c.increment(), c.increment()]);
    // a job submitted before resetSession() finishes in its own session
    const d = await client("chat");
    const beforePending = await d.increment();
    const pending = await d.submitSlowEcho({ text: "hi" });
    d.resetSession();
    const pendingResult = await outcome("chat", pending.result());
    const afterPending = await d.increment();
    return {
      counts,
      words,
      afterReset,
      other,
      concurrent,
      hashChanged: c.sessionHash !== hash,
      beforePending,
      pendingResult,
      afterPending,
    };
  },

  /** The app's gr.Error reaches the caller as GradioError, through every way of waiting. */
  async errors({ calls }) {
    const out = [];
    for (const [method, submit, inputs] of calls) {
      const c = await client("basics");
      const direct = await outcome("basics", c[method](inputs));
      const job = await c[submit](inputs);
      const viaResult = await outcome("basics", job.result());
      const iterated = [];
      const viaIteration = await outcome(
        "basics",
        (async () => {
          for await (const o of job) iterated.push(o);
        })(),
      );
      out.push({ direct, viaResult, viaIteration, iterated, status: job.status() });
    }
    return out;
  },

  /** An AbortSignal cancels a running call, a queued job, and one aborted before the call. */
  async abort() {
    const wait = { timeout: 20_000 }; // a bug shows as a timeout, not as a hang
    const a = await client("chat");
    const running = new AbortController();
    setTimeout(() => running.abort(), 300);
    const abortedRunning = await outcome("chat", a.slowEcho({ text: "r" }, { ...wait, signal: running.signal }));
    const seen = [];
    const spied = await client("chat", { fetch: recordingFetch(seen) });
    const before = new AbortController();
    before.abort();
    const abortedBefore = await outcome("chat", spied.slowEcho({ text: "b" }, { signal: before.signal }));
    const requestsBefore = seen.length;
    // another session: the endpoint runs one job at a time, the second waits in the queue
    const c = await client("chat");
    const queued = new AbortController();
    const firstJob = await c.submitSlowEcho({ text: "first" }, wait); // reaches the queue first
    const first = outcome("chat", firstJob.result());
    const secondJob = await c.submitSlowEcho({ text: "second" }, { ...wait, signal: queued.signal });
    let stageBeforeAbort = secondJob.status().stage;
    for (let i = 0; i < 60 && stageBeforeAbort !== "queued"; i++) {
      await sleep(50);
      stageBeforeAbort = secondJob.status().stage;
    }
    queued.abort();
    const abortedQueued = await outcome("chat", secondJob.result());
    const firstResult = await first;
    const after = await outcome("chat", c.slowEcho({ text: "after" }, wait));
    return { abortedRunning, abortedBefore, requestsBefore, stageBeforeAbort, abortedQueued, firstResult, after };
  },

  /**
   * Aborting a running call, then calling the endpoint again on the same client while the
   * /cancel request is still answering (its answer held back by 800 ms): the server cancelled
   * only the first job, so the second must finish, and so must a third after it.
   */
  async cancelRace() {
    const wait = { timeout: 15_000 };
    const slowCancel = async (url, init) => {
      const response = await globalThis.fetch(url, init);
      if (String(url).endsWith("/cancel")) await sleep(800);
      return response;
    };
    const c = await client("chat", { fetch: slowCancel });
    const running = new AbortController();
    const aborted = outcome("chat", c.slowEcho({ text: "r" }, { ...wait, signal: running.signal }));
    await sleep(300);
    running.abort();
    await sleep(50);
    const next = await c.submitSlowEcho({ text: "next" }, wait);
    for (let i = 0; i < 40 && next.status().stage !== "processing"; i++) await sleep(20);
    const nextStage = next.status().stage;
    const nextResult = await outcome("chat", next.result());
    const later = await outcome("chat", c.slowEcho({ text: "later" }, wait));
    return { aborted: await aborted, nextStage, nextResult, later };
  },

  /** Per-call and per-client timeouts in milliseconds; null waits. */
  async timeouts() {
    const c = await client("chat");
    const perCall = await outcome("chat", c.slowEcho({ text: "x" }, { timeout: 300 }));
    const job = await c.submitSlowEcho({ text: "y" }, { timeout: 300 });
    const jobResult = await outcome("chat", job.result());
    const short = await client("chat", { timeout: 300 });
    const perClient = await outcome("chat", short.slowEcho({ text: "z" }));
    const overridden = await outcome("chat", short.slowEcho({ text: "w" }, { timeout: null }));
    const generous = await outcome("chat", c.slowEcho({ text: "v" }, { timeout: 10_000 }));
    // done after its deadline but before anyone asks: result() still gives it
    const late = await c.submitSlowEcho({ text: "late" }, { timeout: 1000 });
    for (let i = 0; i < 200 && !late.done(); i++) await sleep(50);
    const lateResult = await outcome("chat", late.result());
    return { perCall, jobResult, perClient, overridden, generous, lateResult };
  },

  /** Status while queued and while reporting progress; cancel() of a queued job. */
  async status() {
    const c = await client("chat");
    const job = await c.submitWithProgress({ steps: 5 });
    const seen = [];
    while (!job.done()) {
      seen.push(job.status());
      await sleep(40);
    }
    const result = await job.result();
    const first = await c.submitSlowEcho({ text: "a" });
    const second = await c.submitSlowEcho({ text: "b" });
    let queued = second.status();
    for (let i = 0; i < 60 && queued.stage !== "queued"; i++) {
      await sleep(50);
      queued = second.status();
    }
    const firstStage = first.status().stage;
    const cancelled = await second.cancel();
    const secondResult = await outcome("chat", second.result());
    const firstResult = await first.result();
    const cancelAfterDone = await first.cancel();
    // cancel() of a running job
    const running = await c.submitSlowEcho({ text: "running" });
    for (let i = 0; i < 60 && running.status().stage !== "processing"; i++) await sleep(50);
    const runningStage = running.status().stage;
    const cancelledRunning = await running.cancel();
    const runningResult = await outcome("chat", running.result());
    const afterCancel = await outcome("chat", c.slowEcho({ text: "after" }, { timeout: 20_000 }));
    return {
      seen,
      result,
      queued,
      firstStage,
      cancelled,
      secondResult,
      firstResult,
      cancelAfterDone,
      finalStage: first.status(),
      runningStage,
      cancelledRunning,
      runningResult,
      afterCancel,
    };
  },

  /** Many calls at once on one client. */
  async concurrent({ count }) {
    const c = await client("basics");
    const names = Array.from({ length: count }, (_, i) => `t${i}`);
    const greetings = await Promise.all(names.map((name) => c.greet({ name })));
    const mixed = await Promise.all([
      c.calculate({ a: 6, operation: "multiply", b: 7 }),
      c.pick({ single: "bird" }),
      c.class_({ self: "xyz" }),
      c.submit_({ text: "four" }),
    ]);
    return { greetings, mixed };
  },

  /** Every kind of file input, on image_info and files_count. */
  async files({ image, note }) {
    const c = await client("media");
    const results = {};
    for (const kind of ["path", "blob", "file", "bytes", "arraybuffer"]) {
      results[kind] = await outcome("media", c.imageInfo({ image: decode({ $file: image, as: kind }) }));
    }
    const returned = results.path.ok?.[0];
    results.returned = await outcome("media", c.imageInfo({ image: returned }));
    results.url = await outcome("media", c.imageInfo({ image: returned?.url }));
    results.missingPath = await outcome("media", c.imageInfo({ image: `${image}.absent` }));
    results.many = await outcome(
      "media",
      c.filesCount({ files: [decode({ $file: note, as: "path" }), decode({ $file: image, as: "file" })] }),
    );
    results.manyKinds = await outcome(
      "media",
      c.filesCount({
        files: ["blob", "bytes", "returned"].map((k) => (k === "returned" ? returned : decode({ $file: image, as: k }))),
      }),
    );
    return { results, returned };
  },

  /** download() of returned files, by FileData and by URL. */
  async download({ note, audio }) {
    const c = await client("media");
    const upper = await c.fileUpper({ file: note });
    const reversed = await c.audioReverse({ audio });
    return {
      upper,
      reversed,
      byFileData: await blobInfo(await c.download(upper)),
      byUrl: await blobInfo(await c.download(upper.url)),
      audio: await blobInfo(await c.download(reversed)),
      missing: await outcome("media", c.download({ ...upper, url: `${upper.url}.absent` })),
    };
  },

  /** Which headers reach the server: the client's, the call's, the token; not to other origins. */
  async headers({ image, foreignFile }) {
    const seen = [];
    const b = await client("basics", { token: "hf_secret", headers: { "x-a": "1" }, fetch: recordingFetch(seen) });
    const greetings = [await b.greet({ name: "Ada" }, { headers: { "x-ip-token": "zero" } }), await b.greet({ name: "Bo" })];
    const foreign = await blobInfo(await b.download(foreignFile));
    const mseen = [];
    const m = await client("media", { token: "hf_secret", fetch: recordingFetch(mseen) });
    const size = (await m.imageInfo({ image }, { headers: { "x-call": "2" } }))[1];
    process.env.HF_TOKEN = "hf_from_env";
    const eseen = [];
    const e = await client("basics", { fetch: recordingFetch(eseen) });
    await e.greet({ name: "Env" });
    const sseen = [];
    const s = await client("basics", { sendEnvToken: true, fetch: recordingFetch(sseen) });
    await s.greet({ name: "Sent" });
    const nseen = [];
    const n = await client("basics", { token: null, sendEnvToken: true, fetch: recordingFetch(nseen) });
    await n.greet({ name: "None" });
    delete process.env.HF_TOKEN;
    return { greetings, seen, foreign, size, mseen, eseen, sseen, nseen, text: String(b) };
  },

  /** Construction makes no request, even to a closed port; the first call then fails. */
  async construction({ closedUrl }) {
    const seen = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = recordingFetch(seen, realFetch);
    const mod = await load("basics");
    const c = new mod.Client({ baseUrl: closedUrl, token: "hf_hidden" });
    const d = new mod.Client();
    const hash = c.sessionHash;
    c.resetSession();
    const info = {
      text: String(c),
      inspected: inspect(c, { depth: 10, showHidden: true }),
      json: JSON.stringify(c) ?? null,
      baseUrl: c.baseUrl, defaultBaseUrl: d.baseUrl, hash };
    const requestsAfterConstruction = seen.length;
    const call = await outcome("basics", c.greet({ name: "Ada" }));
    globalThis.fetch = realFetch;
    return { ...info, requestsAfterConstruction, call, requestsAfterCall: seen.map((r) => r.url) };
  },

  /** Unknown and missing input names: TypeError before any request. */
  async inputs() {
    const seen = [];
    const c = await client("basics", { fetch: recordingFetch(seen) });
    const out = {
      unknown: await outcome("basics", c.greet({ name: "Ada", colour: "red" })),
      missing: await outcome("basics", c.greet({ intensity: 3 })),
      none: await outcome("basics", c.greet()),
      undefinedValue: await outcome("basics", c.greet({ name: undefined })),
      submitUnknown: await outcome("basics", c.submitGreet({ name: "Ada", Name: "x" })),
      pythonName: await outcome("basics", c.class_({ self_: "abc" })),
      noInputsGiven: await outcome("basics", c.close_({ extra: 1 })),
    };
    out.requests = seen.length;
    out.defaultsStillWork = await outcome("basics", c.calculate());
    return out;
  },

  /** `client.call("/name", inputs)`: any endpoint by its name; what does not fit is a TypeError. */
  async dynamic() {
    const c = await client("basics");
    return {
      call: await outcome("basics", c.call("/greet", { name: "Ada", intensity: 3 })),
      typed: await outcome("basics", c.greet({ name: "Ada", intensity: 3 })),
      noSlash: await outcome("basics", c.call("greet", { name: "Bo" })),
      several: await outcome("basics", c.call("/pick", { single: "dog" })),
      severalTyped: await outcome("basics", c.pick({ single: "dog" })),
      unknown: await outcome("basics", c.call("/nope", {})),
      badInput: await outcome("basics", c.call("/greet", { name: "x", nosuch: 1 })),
      missing: await outcome("basics", c.call("/greet")),
    };
  },

  /** The same calls through @gradio/client, the official JS client, and through ours. */
  async official({ calls }) {
    const { Client: Official } = await import("@gradio/client");
    const out = [];
    const connected = {};
    for (const [app, api, method, inputs] of calls) {
      const ours = await outcome(app, (await client(app))[method](inputs));
      let theirs;
      try {
        connected[app] ??= await Official.connect(request.urls[app]);
        theirs = { ok: (await connected[app].predict(`/${api}`, inputs)).data };
      } catch (err) {
        theirs = { error: String(err?.message ?? JSON.stringify(err)) };
      }
      out.push({ api, ours, theirs });
    }
    for (const c of Object.values(connected)) c.close?.();
    return out;
  },

  /**
   * Issue 13 on the space app (tests/e2e/test_space_clients.py): which headers carry which
   * token, the app's messages, error titles, validation, and a login app (`authUrls`).
   */
  async space({ authUrls, validator, files, names }) {
    // inputs by the app's own names, which 3.x takes from the labels
    const inp = (api, ...values) => Object.fromEntries(names[api].map((n, i) => [n, values[i]]));
    const heard = async (options) => (await client("space", options)).tokenHeaders();
    const tokens = { explicit: await heard({ token: "hf_canary_explicit" }) };
    process.env.HF_TOKEN = "hf_canary_env";
    tokens.env = await heard({});
    tokens.sendEnv = await heard({ sendEnvToken: true });
    tokens.noneWithSendEnv = await heard({ token: null, sendEnvToken: true });
    tokens.explicitWithEnv = await heard({ token: "hf_canary_explicit" });
    process.env.HF_ENDPOINT = request.urls.space; // the Hub's host counts as Hugging Face's
    tokens.hubHost = await heard({});
    delete process.env.HF_ENDPOINT;
    delete process.env.HF_TOKEN;

    const c = await client("space");
    const heardMessages = [];
    const job = await c.submitNotify(inp("notify", "hi"), { onMessage: (m) => heardMessages.push(m) });
    const notify = { result: await job.result(), messages: job.messages, heard: heardMessages };
    const callMessages = [];
    await c.notify(inp("notify", "call"), { onMessage: (m) => callMessages.push(m) });
    const throwing = await outcome("space", c.notify(inp("notify", "t"), { onMessage: () => { throw new Error("mine"); } }));
    const titled = await outcome("space", c.failTitled(inp("fail_titled", "x")));
    const validation = validator
      ? {
          both: await outcome("space", c.signup(inp("signup", "", -1))),
          age: await outcome("space", c.signup(inp("signup", "bob", -1))),
          good: await outcome("space", c.signup(inp("signup", "bob", 3))),
        }
      : null;

    const authUrl = authUrls.space;
    const noLogin = await outcome("space", (await client("space", { baseUrl: authUrl })).notify(inp("notify", "x")));
    const badLogin = await outcome(
      "space",
      (await client("space", { baseUrl: authUrl, auth: ["u", "wrong"] })).notify(inp("notify", "x")),
    );
    const seen = [];
    let expire = false; // the next request goes without the login cookie, as once it expired
    const expiring = (url, init = {}) => {
      if (expire && !String(url).endsWith("/login")) {
        expire = false;
        const headers = new Headers(init.headers ?? {});
        headers.delete("cookie");
        init = { ...init, headers: Object.fromEntries(headers.entries()) };
      }
      return recordingFetch(seen)(url, init);
    };
    const a = await client("space", { baseUrl: authUrl, auth: ["u", "p"], fetch: expiring });
    const loginMessages = [];
    const first = await a.notify(inp("notify", "in"), { onMessage: (m) => loginMessages.push(m) });
    const loginsBefore = seen.filter((r) => r.url.endsWith("/login")).length;
    expire = true;
    const again = await a.notify(inp("notify", "again"));
    const login = {
      first,
      again,
      messages: loginMessages,
      loginsBefore,
      logins: seen.filter((r) => r.url.endsWith("/login")).length,
      text: String(a),
    };
    let withFiles = null;
    if (files) {
      const m = await client("media", { baseUrl: authUrls.media, auth: ["u", "p"] });
      const upper = await m.fileUpper({ file: files.note });
      const anonymous = (await fetch(upper.url)).status;
      const downloaded = await blobInfo(await m.download(upper));
      const chat = await client("chat", { baseUrl: authUrls.chat, auth: ["u", "p"] });
      const slow = await chat.submitSlowEcho({ text: "slow" });
      while (slow.status().stage !== "processing" && !slow.done()) await sleep(20);
      const cancelled = await slow.cancel();
      const after = await outcome("chat", slow.result());
      withFiles = { upper: upper.orig_name, anonymous, downloaded, cancelled, after };
    }
    return { tokens, notify, callMessages, throwing, titled, validation, noLogin, badLogin, login, withFiles };
  },

  /**
   * The runtime's host rule and its mapping of 422 and 401, with a fake fetch for the faults
   * a live app does not produce on demand (a login that expires, a refused session).
   */
  async faults({ hfHome }) {
    const rt = await import(pathToFileURL(request.clients.basics.replace(/index\.js$/, "_runtime.js")).href);
    const urls = [
      "https://a-b.hf.space", "https://A-B.HF.SPACE./x", "https://huggingface.co/spaces/a/b",
      "https://hf.space", "https://evilhf.space", "https://hf.space.evil.com",
      "https://huggingface.co.evil.com", "http://127.0.0.1:7860",
    ];
    const hosts = Object.fromEntries(urls.map((u) => [u, rt.isHfHost(u)]));
    process.env.HF_ENDPOINT = "https://hub.internal:8443/";
    const hub = [
      rt.isHfHost("https://HUB.internal:8443/api"),
      rt.isHfHost("https://hub.internal/api"),
      rt.isHfHost("https://other.internal:8443"),
    ];
    process.env.HF_ENDPOINT = "https://hub.internal";
    hub.push(rt.isHfHost("https://hub.internal:443/x"), rt.isHfHost("http://hub.internal:8443"));
    delete process.env.HF_ENDPOINT;
    process.env.HF_TOKEN = "hf_env";
    const tokens = {
      local: rt.appToken("http://127.0.0.1", undefined),
      localSent: rt.appToken("http://127.0.0.1", undefined, true),
      space: rt.appToken("https://a-b.hf.space", undefined),
      none: rt.appToken("https://a-b.hf.space", null),
      empty: rt.appToken("https://a-b.hf.space", ""),
      explicit: rt.appToken("http://127.0.0.1", "hf_x"),
    };
    delete process.env.HF_TOKEN;
    // the token `hf auth login` saved in $HF_HOME/token (hfHome holds one), where HF_TOKEN goes
    const home = process.env.HF_HOME;
    process.env.HF_HOME = hfHome;
    const saved = {
      saved: rt.savedToken(),
      space: rt.appToken("https://a-b.hf.space", undefined),
      local: rt.appToken("http://127.0.0.1", undefined),
      localSent: rt.appToken("http://127.0.0.1", undefined, true),
    };
    process.env.HF_TOKEN = "hf_env";
    saved.envWins = rt.appToken("https://a-b.hf.space", undefined);
    delete process.env.HF_TOKEN;
    process.env.HF_HOME = home;

    const base = "http://fake.test";
    const sse = (...msgs) => new Response(msgs.map((m) => `data: ${JSON.stringify(m)}\n\n`).join(""));
    const done = (id) => sse({ msg: "process_completed", event_id: id, success: true, output: { data: ["ok"] } });
    const fake = (answer) => {
      const seen = [];
      const fetch = async (url, init = {}) => {
        const headers = Object.fromEntries(new Headers(init.headers ?? {}).entries());
        const body = init.body instanceof URLSearchParams ? String(init.body) : null;
        seen.push({ url: String(url), method: init.method ?? "GET", headers, body });
        return answer(String(url), seen);
      };
      return [seen, fetch];
    };
    const json = (status, value, headers = {}) =>
      new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json", ...headers } });
    const NOT_AUTHENTICATED = { detail: { error: "Not authenticated", auth_message: null } };
    const run = async (answer, options = {}, calls = 1) => {
      const [seen, fetch] = fake(answer);
      const c = await client("basics", { baseUrl: base, fetch, ...options });
      const results = [];
      for (let i = 0; i < calls; i++) results.push(await outcome("basics", c.greet({ name: "x" })));
      return { results, seen };
    };
    const detail = [
      { __type__: "validate", is_valid: true, message: "", parameter_name: "name" },
      { __type__: "validate", is_valid: false, message: "too young", parameter_name: "age" },
      { __type__: "validate", is_valid: false, message: "no" },
    ];
    const validation = await run((url) => json(422, { detail }));
    const other422 = await run((url) => json(422, { detail: [{ loc: ["body"], msg: "bad" }] }));
    const noLogin = await run(() => json(401, NOT_AUTHENTICATED), { token: "hf_secret" });
    const privateSpace = await run(() => new Response("nope", { status: 401 }));
    let logins = 0;
    let calls = 0;
    const login = await run(
      (url) => {
        if (url.endsWith("/login")) {
          logins += 1;
          return json(200, { success: true }, { "set-cookie": `access-token-unsecure-1=t${logins}; Path=/; HttpOnly` });
        }
        if (url.includes("/queue/data")) return done(`e${calls}`);
        calls += 1;
        return calls === 2 ? json(401, NOT_AUTHENTICATED) : json(200, { event_id: `e${calls}` });
      },
      { auth: ["u", "pw"] },
      2,
    );
    const refused = await run(
      (url) => (url.endsWith("/login") ? json(200, { success: true }) : json(401, NOT_AUTHENTICATED)),
      { auth: ["u", "pw"] },
    );
    const wrong = await run(
      (url) => (url.endsWith("/login") ? json(400, { detail: "Incorrect credentials." }) : json(500, {})),
      { auth: ["u", "secret-pw"] },
    );
    return { hosts, hub, tokens, saved, validation, other422, noLogin, privateSpace, login, refused, wrong };
  },

  /**
   * Redirects, against two small servers: the app's, which redirects (302, 307) to the other
   * origin or to itself, and the other, which records what reached it. A login, a call, its
   * event stream and a download with a token, headers and a login cookie.
   */
  async redirects() {
    const http = await import("node:http");
    const other = [];
    const own = [];
    let phase = "";
    const listen = async (handler) => {
      const server = http.createServer(async (q, r) => {
        let body = "";
        for await (const chunk of q) body += chunk;
        handler(q, r, { phase, method: q.method, path: q.url, headers: q.headers, body });
      });
      await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
      return [server, `http://127.0.0.1:${server.address().port}`];
    };
    const done = { msg: "process_completed", event_id: "e1", success: true, output: { data: ["ok"] } };
    const serve = (r, path) => {
      if (path.includes("/call/")) return r.end(JSON.stringify({ event_id: "e1" }));
      if (path.includes("/queue/data")) return r.end(`data: ${JSON.stringify(done)}\n\n`);
      if (path.includes("/file=")) return r.end("hello");
      if (path.endsWith("/login")) {
        r.writeHead(200, { "set-cookie": "access-token-unsecure-1=c1; Path=/" });
        return r.end('{"success": true}');
      }
      r.writeHead(404);
      return r.end();
    };
    const [otherServer, otherUrl] = await listen((q, r, seen) => {
      other.push(seen);
      serve(r, q.url);
    });
    // /{mode}/...: "away" redirects to the other origin, "same" to /same/moved/... here
    const [appServer, appUrl] = await listen((q, r, seen) => {
      own.push(seen);
      const [, mode, ...rest] = q.url.split("/");
      const path = `/${rest.join("/")}`;
      if (path.startsWith("/moved/")) return serve(r, path);
      if (path === "/login" && mode !== "login307") return serve(r, path);
      const status = path.includes("/call/") || path === "/login" ? 307 : 302;
      r.writeHead(status, { location: mode === "same" ? `${appUrl}/same/moved${path}` : `${otherUrl}${path}` });
      return r.end();
    });
    const options = { token: "hf_canary", headers: { "x-mine": "1" }, auth: ["u", "pw"] };
    const run = async (mode) => {
      phase = mode;
      const c = await client("basics", { ...options, baseUrl: `${appUrl}/${mode}` });
      const call = await outcome("basics", c.greet({ name: "x" }));
      const file = await outcome("basics", c.download({ path: "x.txt", url: `${appUrl}/${mode}/gradio_api/file=x.txt` }).then(blobInfo));
      return { call, file };
    };
    const away = await run("away");
    const same = await run("same");
    phase = "login307";
    const c = await client("basics", { ...options, baseUrl: `${appUrl}/login307` });
    const login307 = await outcome("basics", c.greet({ name: "x" }));
    appServer.close();
    otherServer.close();

    // a browser answers redirect: "manual" with an opaque response, which hides the target
    const opaque = [];
    const browserFetch = async (url, init = {}) => {
      const headers = Object.fromEntries(new Headers(init.headers ?? {}).entries());
      opaque.push({ url: String(url), redirect: init.redirect, headers });
      if (init.redirect === "manual") return { type: "opaqueredirect", status: 0, ok: false, headers: new Headers(), body: null };
      return new Response(String(url).includes("/queue/data") ? `data: ${JSON.stringify(done)}\n\n` : '{"event_id": "e1"}');
    };
    const inBrowser = (more) => client("basics", { baseUrl: "http://browser.test", fetch: browserFetch, ...more });
    const browserCall = await outcome("basics", (await inBrowser({ token: "hf_canary", headers: { "x-mine": "1" } })).greet({ name: "x" }));
    const browserLogin = await outcome("basics", (await inBrowser({ auth: ["u", "pw"] })).greet({ name: "x" }));
    const browser = { call: browserCall, login: browserLogin, seen: opaque };
    return { away, same, login307, other, own, browser };
  },

  /** A client generated without /config finds the hidden State outputs on first use. */
  async offline() {
    const c = await client("offline");
    return { counts: [await c.increment(), await c.increment()], word: await c.remember({ word: "x" }) };
  },
};

const result = await scenarios[request.scenario](request.args ?? {});
process.stdout.write(JSON.stringify(result) + "\n");
process.exit(0);
