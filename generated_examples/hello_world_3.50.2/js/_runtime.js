// The protocol half of a generated gradio-codegen JavaScript client, copied verbatim into
// every generated package. It needs only the platform: fetch, FormData, Blob, AbortController
// and TextDecoder (Node 18+ and browsers). The typed surface lives in the generated index.js.
//
// Gradio 4.x-6.x ("queue"): a call posts positional data and the session id to
// {prefix}/call/{name}; results come from the session's one event stream,
// {prefix}/queue/data?session_hash=..., routed by event id. Gradio 3.x ("oneshot"): one
// POST /run/{name} per call, or per step of a generator. docs/protocols.md has the details.

export const DEFAULT_TIMEOUT = 300_000; // milliseconds per call
export const DEFAULT_RETRIES = 3; // for a call the server did not take: 429, 503, no connection
/** The longest event-stream message (and JSON answer) read, in characters: 64 Mi. */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 2 ** 20;
/** The largest file `download()` takes: 10 GiB. */
export const DEFAULT_MAX_DOWNLOAD_BYTES = 10 * 2 ** 30;
const MAX_BACKOFF = 10_000;
const STREAM_IDLE_LIMIT = 3; // event streams in a row that bring no job anything before jobs fail
const MAX_ORPHANS = 100; // unknown event ids whose messages are kept (they may come before their POST answers)
const MAX_ORPHAN_MESSAGES = 1024; // messages kept per unknown event id
const FILE_META = Object.freeze({ _type: "gradio.FileData" });
const MAX_REDIRECTS = 10;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Base of every error this client raises. */
export class GradioClientError extends Error {
  constructor(message) {
    super(message);
    this.name = new.target.name;
  }
}

/** The app raised an error; `message` is what it chose to show. */
export class GradioError extends GradioClientError {
  constructor(message, title = null) {
    super(message);
    this.title = title;
  }
}

/** The server answered a request with an error status. */
export class HTTPStatusError extends GradioClientError {
  constructor(status, message) {
    super(`HTTP ${status}: ${message}`);
    this.status = status;
  }
}

/**
 * 503 "Queue is full": the app's queue (`queue(max_size=...)`) had no room, still after the
 * retries; try again later.
 */
export class QueueFullError extends HTTPStatusError {}

/** 401 or 403: the app needs a login (`auth`), or its Space a token (`token`). */
export class AuthenticationError extends HTTPStatusError {}

/**
 * 422: the app's validator rejected the inputs before running; `errors` maps each failing
 * input, by the app's own name, to its message.
 */
export class ValidationError extends HTTPStatusError {
  constructor(errors) {
    const lines = Object.entries(errors).map(([name, text]) => `\n- ${name}: ${text}`).join("");
    super(422, `${Object.keys(errors).length} input(s) failed validation:${lines}`);
    this.errors = errors;
  }
}

/** The server could not be reached, or its event stream broke. */
export class GradioConnectionError extends GradioClientError {}

/** A call did not finish within its timeout. */
export class GradioTimeoutError extends GradioClientError {}

/** The job was cancelled, by `cancel()` or by its AbortSignal. */
export class JobCancelledError extends GradioClientError {}

/** The server answered what Gradio never sends: not JSON, no event id, a wrong shape. */
export class ProtocolError extends GradioClientError {}

/** The server sent more than a limit allows: a message, a file, buffered messages. */
export class LimitExceededError extends ProtocolError {}

/** The first output, for endpoints with one. */
export const first = (data) => (data.length ? data[0] : null);
/** All outputs, for endpoints with several. */
export const asTuple = (data) => data;
/** Nothing, for endpoints without outputs. */
export const nothing = () => undefined;

/**
 * A call's headers with `x-gradio-user: api`, which tells the app (gr.Request.headers) that
 * the call came from a client, as gradio_client and @gradio/client send it (Gradio's own page
 * sends `app`, its MCP server `mcp`). As in gradio_client a call's own headers cannot change
 * it; the client's `headers` option can (that is how Gradio's MCP server says `mcp`).
 */
function apiCallHeaders(callHeaders, clientHeaders) {
  const isUser = (k) => k.toLowerCase() === "x-gradio-user";
  const headers = Object.fromEntries(Object.entries(callHeaders).filter(([k]) => !isUser(k)));
  if (!Object.keys(clientHeaders).some(isUser)) headers["x-gradio-user"] = "api";
  return headers;
}

const isUrl = (value) => /^https?:\/\//i.test(value);
const isFileData = (value) =>
  value !== null && typeof value === "object" && typeof value.path === "string";
const isNode = () => typeof process !== "undefined" && !!process.versions?.node;

function env(name) {
  return isNode() ? process.env[name] || undefined : undefined;
}

/**
 * A Hugging Face host: a Space (`*.hf.space`), the Hub, or the host and port of `HF_ENDPOINT`.
 * Only these get HF_TOKEN from the environment unasked.
 */
export function isHfHost(url) {
  const app = new URL(url);
  const host = app.hostname.toLowerCase().replace(/\.$/, "");
  const endpoint = env("HF_ENDPOINT")?.trim();
  let hub = null;
  try {
    hub = endpoint ? new URL(endpoint) : null;
  } catch {
    hub = null;
  }
  // URL.port is "" for the scheme's default port, so https://h and https://h:443 are one
  const sameAsHub = hub !== null && host === hub.hostname.toLowerCase().replace(/\.$/, "") && app.port === hub.port;
  return host.endsWith(".hf.space") || host === "huggingface.co" || sameAsHub;
}

/**
 * The token an app at `url` gets: an explicit one always, HF_TOKEN only on Hugging Face's
 * hosts unless `sendEnvToken`; `token: null` or `""` sends none.
 */
export function appToken(url, token, sendEnvToken = false) {
  if (token !== undefined) return token || null;
  const fromEnv = env("HF_TOKEN") || savedToken();
  return fromEnv && (sendEnvToken || isHfHost(url)) ? fromEnv : null;
}

/**
 * The token `hf auth login` saved, as huggingface_hub finds it: `HF_TOKEN_PATH`, else
 * `$HF_HOME/token`, `HF_HOME` defaulting to `$XDG_CACHE_HOME/huggingface`, then
 * `~/.cache/huggingface`. Under Node 20.16+ only (`process.getBuiltinModule`); a browser has none.
 */
export function savedToken() {
  const builtin = isNode() ? process.getBuiltinModule : undefined;
  if (typeof builtin !== "function") return undefined;
  const fs = builtin("node:fs");
  const os = builtin("node:os");
  const path = builtin("node:path");
  const expand = (p) => (p === "~" || p.startsWith("~/") ? os.homedir() + p.slice(1) : p);
  const cache = env("XDG_CACHE_HOME") || path.join(os.homedir(), ".cache");
  const home = expand(env("HF_HOME") || path.join(cache, "huggingface"));
  const file = expand(env("HF_TOKEN_PATH") || path.join(home, "token"));
  try {
    return fs.readFileSync(file, "utf8").replace(/[\r\n]/g, "").trim() || undefined;
  } catch {
    return undefined;
  }
}

function randomHash() {
  const bytes = new Uint8Array(6);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

const MAGIC = [
  [[0x89, 0x50, 0x4e, 0x47], ".png"],
  [[0xff, 0xd8, 0xff], ".jpg"],
  [[0x47, 0x49, 0x46, 0x38], ".gif"],
  [[0x25, 0x50, 0x44, 0x46], ".pdf"],
  [[0x49, 0x44, 0x33], ".mp3"],
  [[0x4f, 0x67, 0x67, 0x53], ".ogg"],
  [[0x66, 0x4c, 0x61, 0x43], ".flac"],
];

/** A file suffix for raw bytes, so the app can tell an image or a sound by its name. */
function sniffSuffix(bytes) {
  const at = (offset, text) => [...text].every((c, i) => bytes[offset + i] === c.charCodeAt(0));
  if (at(0, "RIFF") && at(8, "WAVE")) return ".wav";
  if (at(0, "RIFF") && at(8, "WEBP")) return ".webp";
  if (at(4, "ftyp")) return ".mp4";
  const found = MAGIC.find(([magic]) => magic.every((b, i) => bytes[i] === b));
  return found ? found[1] : "";
}

/** Collects the files of one call so that a single request uploads them all. */
class Uploads {
  /** `legacy` (Gradio 3.x) sends files as {name, is_file} instead of FileData {path, meta}. */
  constructor(legacy = false) {
    this.legacy = legacy;
    this.key = legacy ? "name" : "path";
    this.files = []; // [name, Blob | path]
    this.slots = [];
    this.inline = []; // [holder, key, value]: 3.x images, sent as data URLs
  }

  slot(name, at) {
    const slot = this.legacy
      ? { data: null, is_file: true, orig_name: name }
      : { orig_name: name, meta: FILE_META };
    if (at !== undefined) slot[this.key] = at;
    return slot;
  }

  prepare(value, spec) {
    if (spec === null || spec === undefined || value === null || value === undefined) {
      return value;
    }
    if (spec === "file") return this.file(value);
    if (spec === "data_url") return this.dataUrl(value);
    const [kind, inner] = spec;
    if (kind === "list" && Array.isArray(value)) return value.map((v) => this.prepare(v, inner));
    if (kind === "tuple" && Array.isArray(value)) {
      return value.map((v, i) => this.prepare(v, inner[i]));
    }
    if (kind === "fields" && typeof value === "object") {
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, this.prepare(v, inner[k])]),
      );
    }
    if (kind === "values" && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.prepare(v, inner)]));
    }
    return value;
  }

  file(value) {
    if (isFileData(value)) {
      if (!this.legacy) return { ...value, meta: FILE_META };
      return this.slot(value.orig_name || value.path.split("/").pop(), value.path);
    }
    if (typeof value === "string" && isUrl(value)) {
      const name = value.split("?")[0].split("/").pop() || "file";
      return this.legacy ? this.slot(name, value) : { ...this.slot(name, value), url: value };
    }
    let name;
    let blob;
    if (typeof Blob !== "undefined" && value instanceof Blob) {
      name = typeof value.name === "string" && value.name ? value.name : "file";
      blob = value;
    } else if (value instanceof Uint8Array || value instanceof ArrayBuffer) {
      const bytes = value instanceof Uint8Array ? value : new Uint8Array(value);
      name = "file" + sniffSuffix(bytes.subarray(0, 16));
      blob = new Blob([bytes]);
    } else if (typeof value === "string") {
      if (!isNode()) throw new TypeError(`${value} is not an http(s) URL`);
      name = value.replace(/\\/g, "/").split("/").pop() || "file";
      blob = value; // a local path, read when the call is sent
    } else {
      throw new TypeError(`cannot send ${typeof value} as a file`);
    }
    const slot = this.slot(name);
    this.files.push([name, blob]);
    this.slots.push(slot);
    return slot;
  }

  /** A 3.x Image input: the file itself as a base64 data URL, filled in by `inlineAll`. */
  dataUrl(value) {
    if (isFileData(value)) return value.url || value.path;
    if (typeof value === "string" && (isUrl(value) || value.startsWith("data:"))) return value;
    const holder = { value };
    this.inline.push(holder);
    return holder;
  }

  /** Replaces each data-URL holder in `data` by its data URL. */
  async inlineAll(data) {
    const urls = new Map();
    for (const holder of this.inline) urls.set(holder, await toDataUrl(holder.value));
    const swap = (v) => {
      if (urls.has(v)) return urls.get(v);
      if (Array.isArray(v)) return v.map(swap);
      if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, swap(x)]));
      return v;
    };
    return urls.size ? swap(data) : data;
  }

  async form() {
    const form = new FormData();
    for (const [name, blob] of this.files) {
      const data = typeof blob === "string" ? await readLocal(blob) : blob;
      // an unnamed Blob gets a suffix from its bytes, so the app can tell what it holds
      const head = name === "file" ? new Uint8Array(await data.slice(0, 16).arrayBuffer()) : null;
      form.append("files", data, head ? name + sniffSuffix(head) : name);
    }
    return form;
  }

  fill(paths) {
    if (!Array.isArray(paths) || paths.length !== this.slots.length || !paths.every((p) => typeof p === "string")) {
      const got = Array.isArray(paths) ? `${paths.length} items` : JSON.stringify(paths)?.slice(0, 100);
      throw new ProtocolError(`upload answered ${got} for ${this.slots.length} files, not a list of paths`);
    }
    this.slots.forEach((slot, i) => {
      slot[this.key] = String(paths[i]);
    });
  }
}

const MIME = { ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp", ".bmp": "image/bmp" };

async function toDataUrl(value) {
  let blob;
  let name = "file";
  if (typeof Blob !== "undefined" && value instanceof Blob) blob = value;
  else if (value instanceof Uint8Array || value instanceof ArrayBuffer) blob = new Blob([value]);
  else if (typeof value === "string" && isNode()) {
    blob = await readLocal(value);
    name = value;
  } else throw new TypeError(`cannot send ${typeof value} as an image`);
  const bytes = new Uint8Array(await blob.arrayBuffer());
  const suffix = (name.match(/\.[A-Za-z0-9]+$/)?.[0] ?? sniffSuffix(bytes.subarray(0, 16))).toLowerCase();
  const mime = blob.type || MIME[suffix] || "application/octet-stream";
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:${mime};base64,${btoa(binary)}`;
}

async function readLocal(path) {
  const { readFile } = await import("node:fs/promises");
  try {
    return new Blob([await readFile(path)]);
  } catch (err) {
    throw new TypeError(`${path} is not a readable file (and not an http(s) URL): ${err.code ?? err}`);
  }
}

/** Components left out of the API: `skip_api` (4.x and later) or a 3.x `state`. */
function hiddenIds(config) {
  return new Set(
    (Array.isArray(config.components) ? config.components : [])
      .filter((c) => c && (c.skip_api || c.type === "state"))
      .map((c) => c.id),
  );
}

/** Wire positions of an endpoint's outputs that are not hidden (gr.State), per /config. */
export function visibleOutputs(config, apiName, index = null) {
  const found = dependency(config, apiName, index);
  if (!found) return null;
  const hidden = hiddenIds(config);
  const outputs = Array.isArray(found[1].outputs) ? found[1].outputs : [];
  return outputs.flatMap((c, i) => (hidden.has(c) ? [] : [i]));
}

/** Wire positions of an endpoint's hidden inputs, which the data carries as null. */
export function stateInputs(config, apiName, index = null) {
  const found = dependency(config, apiName, index);
  if (!found) return null;
  const hidden = hiddenIds(config);
  const inputs = Array.isArray(found[1].inputs) ? found[1].inputs : [];
  return inputs.flatMap((c, i) => (hidden.has(c) ? [i] : []));
}

function fnIndex(config, apiName) {
  const found = dependency(config, apiName);
  if (!found) return null;
  return Number.isInteger(found[1].id) ? found[1].id : found[0];
}

/** An endpoint's entry in /config; a 3.x one without an api_name is found by its fn index. */
function dependency(config, apiName, index = null) {
  const deps = Array.isArray(config?.dependencies) ? config.dependencies : [];
  if (index !== null) return index >= 0 && index < deps.length ? [index, deps[index]] : null;
  for (let i = 0; i < deps.length; i++) {
    if (deps[i] && String(deps[i].api_name).replace(/^\/+/, "") === apiName) return [i, deps[i]];
  }
  return null;
}

function originOf(url) {
  return new URL(url).origin;
}

/**
 * A response's body as text, at most `limit` characters (then LimitExceededError): a server
 * cannot make the client hold more than it asked for. `quiet`: what came before a read error.
 */
async function readText(response, limit, quiet = false) {
  if (response.body === null) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return text + decoder.decode();
      text += decoder.decode(value, { stream: true });
      if (text.length > limit) {
        if (quiet) return text.slice(0, limit);
        throw new LimitExceededError(`the answer of ${response.url || "the server"} is longer than ${limit} characters`);
      }
    }
  } catch (err) {
    if (quiet) return text;
    throw err;
  } finally {
    reader.cancel().catch(() => {});
  }
}

/** A response's JSON, read within `limit`; an answer that is not JSON is a ProtocolError. */
async function readJson(response, limit) {
  const text = await readText(response, limit);
  try {
    return JSON.parse(text);
  } catch {
    throw new ProtocolError(`${response.url || "the server"} answered what is not JSON: ${JSON.stringify(text.slice(0, 100))}`);
  }
}

async function raiseForStatus(response, loggedIn = false) {
  if (response.ok) return;
  const text = (await readText(response, 65_536, true)).trim().slice(0, 500) || response.statusText;
  if (response.status === 422) {
    const errors = validationErrors(text);
    if (Object.keys(errors).length) throw new ValidationError(errors);
  }
  if (response.status === 503 && text.includes("Queue is full")) {
    throw new QueueFullError(503, `${text}; the app's queue stayed full through the retries: try again later`);
  }
  if (response.status === 401 || response.status === 403) {
    // "Not authenticated" is Gradio's own word for a missing login
    const hint = !text.includes("Not authenticated")
      ? "this app needs a valid token: pass token or set HF_TOKEN"
      : loggedIn
        ? "the app refused the login session"
        : 'this app needs a login: pass { auth: ["user", "password"] } to the client';
    throw new AuthenticationError(response.status, `${text}; ${hint}`);
  }
  throw new HTTPStatusError(response.status, text);
}

/** The failing inputs of a 422 from `validator=`, named as gradio_client names them. */
function validationErrors(text) {
  let detail;
  try {
    detail = JSON.parse(text)?.detail;
  } catch {
    return {};
  }
  const errors = {};
  (Array.isArray(detail) ? detail : []).forEach((item, i) => {
    if (item && typeof item === "object" && item.__type__ === "validate" && item.is_valid === false) {
      errors[item.parameter_name ? String(item.parameter_name) : `parameter_${i}`] = String(item.message ?? "");
    }
  });
  return errors;
}

const LEVELS = ["info", "warning", "success", "error"];

/** A `log` message of the stream as what the app showed: level, text, title (5.x and later). */
function toMessage(msg) {
  const level = String(msg.level ?? "info").toLowerCase();
  return Object.freeze({
    level: LEVELS.includes(level) ? level : "info",
    text: String(msg.log ?? ""),
    title: msg.title ? String(msg.title) : null,
  });
}

/** The state of one job, fed by the session stream; no I/O. */
class JobState {
  constructor(apiName) {
    this.apiName = apiName;
    this.outputs = [];
    this.result = null;
    this.error = null;
    this.stage = "pending";
    this.rank = null;
    this.queueSize = null;
    this.eta = null;
    this.progress = [];
    this.cancelRequested = false;
    this.listeners = new Set();
    this.messages = [];
    this.onMessage = null;
    this.deadline = null; // the call's: a wait that reaches it ends the job
  }

  get done() {
    return this.result !== null || this.error !== null;
  }

  get running() {
    return this.stage === "processing" || this.stage === "iterating";
  }

  apply(msg) {
    const kind = msg.msg;
    const output = msg.output && typeof msg.output === "object" ? msg.output : {};
    const num = (v) => (typeof v === "number" ? v : null);
    if (kind === "log") {
      if (this.done) return;
      const message = toMessage(msg);
      this.messages.push(message);
      try {
        this.onMessage?.(message);
      } catch (err) {
        const error = new GradioClientError(`onMessage threw ${err}`);
        error.cause = err;
        this.fail(error);
        return;
      }
    } else if (kind === "estimation") {
      this.stage = "queued";
      this.rank = num(msg.rank);
      this.queueSize = num(msg.queue_size);
      this.eta = num(msg.rank_eta);
    } else if (kind === "process_starts") {
      this.stage = "processing";
      this.rank = null;
      this.queueSize = null;
      this.eta = num(msg.eta);
    } else if (kind === "progress") {
      const units = Array.isArray(msg.progress_data) ? msg.progress_data : [];
      this.progress = units.map((u) => ({
        index: num(u?.index),
        length: num(u?.length),
        unit: typeof u?.unit === "string" ? u.unit : null,
        progress: num(u?.progress),
        desc: typeof u?.desc === "string" ? u.desc : null,
      }));
    } else if (kind === "process_generating" && msg.success !== false) {
      this.outputs.push(Array.isArray(output.data) ? output.data : []);
      this.stage = "iterating";
    } else if (kind === "process_completed" || kind === "process_generating") {
      if (!msg.success) {
        // 5.x and later send an error's title (gr.Error(title=), ZeroGPU's quota errors)
        const title = output.title || msg.title ? String(output.title || msg.title) : null;
        const message = output.error
          ? String(output.error)
          : "the app raised an error (it does not show its message)";
        this.fail(new GradioError(message, title), "failed");
      } else if (this.cancelRequested && !("data" in output)) {
        this.fail(new JobCancelledError("the job was cancelled"), "cancelled");
      } else {
        this.result = Array.isArray(output.data) ? output.data : [];
        this.stage = "finished";
      }
    } else if (kind === "unexpected_error") {
      this.fail(new GradioError(String(msg.message || "unexpected error")), "failed");
    }
    this.notify();
  }

  fail(error, stage = "failed") {
    if (this.done) return;
    this.error = error;
    this.stage = stage;
    this.notify();
  }

  notify() {
    for (const listener of [...this.listeners]) listener();
  }

  /** Resolves when `ready()` holds, rejects at the deadline (ms since epoch, or null). */
  wait(ready, deadline) {
    if (ready()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      let timer = null;
      const listener = () => {
        if (!ready()) return;
        this.listeners.delete(listener);
        if (timer !== null) clearTimeout(timer);
        resolve();
      };
      this.listeners.add(listener);
      if (deadline !== null) {
        timer = setTimeout(() => {
          this.listeners.delete(listener);
          const error = new GradioTimeoutError("the call did not finish within its timeout");
          if (deadline === this.deadline) this.fail(error); // the call's own deadline: it ends
          reject(error);
        }, Math.max(0, deadline - Date.now()));
      }
    });
  }
}

/** One session: its event stream, read while jobs are pending, routed to them by event id. */
class Session {
  constructor(runtime) {
    this.runtime = runtime;
    this.hash = randomHash();
    this.jobs = new Map();
    this.orphans = new Map(); // messages that came before their POST answered: id -> [msg]
    this.gone = new Set(); // ids of jobs that ended here (timed out, cancelled): their messages are dropped
    this.reading = false;
    this.posting = 0; // calls being posted: their messages may come before their event id
    this.reader = null; // the AbortController of the stream being read
    this.cancelled = new Set(); // repr of cancelled event ids, as 4.x names them when it breaks
    this.brokenByCancel = false;
    this.heartbeat = null; // its AbortController, from the session's first call until end()
  }

  /** Opens the heartbeat, once (see Runtime._heartbeat). */
  keepAlive() {
    if (this.heartbeat !== null) return;
    this.heartbeat = new AbortController();
    this.runtime._heartbeat(this.hash, this.heartbeat.signal).catch(() => {});
  }

  /** Closes the heartbeat: the app then ends this session. */
  end() {
    this.heartbeat?.abort();
  }

  register(eventId, state) {
    this.jobs.set(eventId, state);
    // a job that ends here (its deadline, a cancel, the caller's signal) leaves the session
    state.listeners.add(() => {
      if (state.done && this.jobs.get(eventId) === state) this.forget(eventId);
    });
    for (const msg of this.orphans.get(eventId) ?? []) this.apply(eventId, msg);
    this.orphans.delete(eventId);
    this.ensureReader();
  }

  /** Drops a finished job; with none left, the stream is left too (nothing reads on). */
  forget(eventId) {
    this.jobs.delete(eventId);
    if (this.gone.size >= 1000) this.gone.delete(this.gone.values().next().value);
    this.gone.add(eventId);
    this.idle();
  }

  /** Stops reading when no job waits and no call is being posted. */
  idle() {
    if (!this.jobs.size && !this.posting) this.reader?.abort();
  }

  ensureReader() {
    if (this.reading || !this.jobs.size) return;
    this.reading = true;
    this.read().finally(() => {
      this.reading = false;
      this.ensureReader(); // a job may have come in as the reader was leaving
    });
  }

  apply(eventId, msg) {
    const state = this.jobs.get(eventId);
    if (!state) return;
    state.apply(msg);
    if (state.done) this.jobs.delete(eventId);
  }

  route(received) {
    const msg = this.runtime._received(received);
    const id = msg.event_id;
    if (msg.msg === "unexpected_error" && id == null && this.cancelled.has(msg.message)) {
      // 4.x: a cancelled job that still finished breaks the stream; the reader reopens it
      this.brokenByCancel = true;
      return false;
    }
    if (msg.msg === "unexpected_error" && id == null) {
      for (const state of this.jobs.values()) state.apply(msg);
      this.jobs.clear();
      return true;
    }
    if (typeof id === "string" && this.jobs.has(id)) {
      this.apply(id, msg);
      return true;
    }
    if (typeof id === "string" && !this.gone.has(id)) {
      if (!this.orphans.has(id) && this.orphans.size >= MAX_ORPHANS) {
        this.orphans.delete(this.orphans.keys().next().value);
      }
      const kept = this.orphans.get(id) ?? [];
      if (kept.length >= MAX_ORPHAN_MESSAGES) {
        throw new LimitExceededError(`the server sent more than ${MAX_ORPHAN_MESSAGES} messages for event ${JSON.stringify(id.slice(0, 100))}, which no call of this client started`);
      }
      kept.push(msg);
      this.orphans.set(id, kept);
    }
    return false;
  }

  failAll(error) {
    for (const state of this.jobs.values()) state.fail(error);
    this.jobs.clear();
  }

  /** Fails every job and stops reading: the client is closed. */
  close(error) {
    this.failAll(error);
    this.orphans.clear();
    this.reader?.abort();
  }

  /** The other running jobs of an endpoint: a cancel stops them too, as Gradio does. */
  runningSiblings(of) {
    return [...this.jobs].filter(
      ([, state]) => state !== of && state.apiName === of.apiName && state.running,
    );
  }

  /** Ends a job here, for a call no stream will report on (3.x) or one the server forgot. */
  drop(eventId, error, stage) {
    const state = this.jobs.get(eventId);
    this.jobs.delete(eventId);
    state?.fail(error, stage);
  }

  cancelSiblings(siblings) {
    for (const [id, state] of siblings) {
      state.fail(new JobCancelledError(`cancelled with another running /${state.apiName} job`), "cancelled");
      this.jobs.delete(id);
    }
  }

  /**
   * Reads the session's stream while jobs wait on it. A stream that brought no job anything
   * is opened again after a pause that doubles each time (a server that closes every stream
   * at once gets no flood of requests); after STREAM_IDLE_LIMIT streams in a row with no
   * message at all (`close_stream` aside), the jobs fail.
   */
  async read() {
    let idle = 0;
    let useless = 0;
    while (this.jobs.size) {
      if (idle >= STREAM_IDLE_LIMIT) {
        this.failAll(new GradioConnectionError("the server closed the event stream"));
        return;
      }
      if (useless) await new Promise((resolve) => setTimeout(resolve, Math.min(MAX_BACKOFF, 125 * 2 ** useless)));
      if (!this.jobs.size) return;
      let got = false;
      let useful = false;
      const controller = new AbortController();
      this.reader = controller;
      try {
        const url = this.runtime._url(`/queue/data?session_hash=${encodeURIComponent(this.hash)}`);
        const response = await this.runtime._fetch(url, { signal: controller.signal });
        await this.runtime._check(response);
        for await (const msg of sseMessages(response.body, this.runtime._maxMessageBytes)) {
          if (msg.msg === "close_stream") break;
          got = true;
          // read on until the server closes the stream: a client that leaves it makes
          // Gradio drop the session's events, a call being posted right now included
          if (this.route(msg)) useful = true;
        }
      } catch (err) {
        if (controller.signal.aborted && !this.jobs.size) return; // left on purpose
        if (this.brokenByCancel) this.brokenByCancel = false; // expected: read on
        else this.failAll(err instanceof GradioClientError ? err : new GradioConnectionError(`the event stream broke: ${err}`));
      } finally {
        controller.abort();
        if (this.reader === controller) this.reader = null;
      }
      idle = got ? 0 : idle + 1;
      useless = useful ? 0 : useless + 1;
    }
  }
}

/**
 * The JSON messages of a `queue/data` stream: each `data:` line is one (Gradio sends one per
 * event). Lines end by the event-stream rules, at "\r\n", "\n" or "\r", never at U+2028,
 * U+0085 or another character a JavaScript or Python line splitter takes. A line over
 * `limit` characters is a LimitExceededError, a message that is not JSON a ProtocolError.
 */
async function* sseMessages(body, limit = DEFAULT_MAX_MESSAGE_BYTES) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const ends = /\r\n|\r|\n/g;
  let line = ""; // the line so far, before the chunk being read
  let afterCr = false; // the last chunk ended in "\r": a "\n" opening the next one belongs to it
  const tooLong = () => new LimitExceededError(`the server sent an event-stream message over ${limit} characters`);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      // a last line without its line end is read as one, as the other clients do
      const text = done ? "\n" : decoder.decode(value, { stream: true });
      if (done && line === "") return;
      let at = afterCr && text.startsWith("\n") ? 1 : 0;
      afterCr = false;
      ends.lastIndex = at;
      for (let found = ends.exec(text); found !== null; found = ends.exec(text)) {
        if (found[0] === "\r" && found.index === text.length - 1) afterCr = true;
        const whole = line + text.slice(at, found.index);
        line = "";
        at = ends.lastIndex;
        if (whole.length > limit) throw tooLong();
        if (!whole.startsWith("data:")) continue;
        const data = whole.slice(5).trim();
        let message;
        try {
          message = JSON.parse(data);
        } catch {
          throw new ProtocolError(`the event stream sent what is not JSON: ${JSON.stringify(data.slice(0, 100))}`);
        }
        if (message && typeof message === "object" && !Array.isArray(message)) yield message;
      }
      if (done) return;
      line += text.slice(at);
      if (line.length > limit) throw tooLong();
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

/** A submitted call: `await job.result()`, `for await` over its outputs, `cancel()`. */
export class Job {
  constructor(runtime, session, spec, unpack, eventId, state, deadline) {
    this._runtime = runtime;
    this._session = session;
    this._spec = spec;
    this._unpack = unpack;
    this._state = state;
    this._deadline = deadline;
    this.eventId = eventId;
  }

  /** Where the job is: queue rank and size, ETA in seconds, progress units. */
  status() {
    const s = this._state;
    return {
      stage: s.stage,
      rank: s.rank,
      queueSize: s.queueSize,
      eta: s.eta,
      progress: s.progress,
      success: s.stage === "finished" ? true : s.error ? false : null,
    };
  }

  done() {
    return this._state.done;
  }

  /** What the app showed so far (gr.Info, gr.Warning, gr.Success), in order. */
  get messages() {
    return [...this._state.messages];
  }

  /** The intermediate outputs received so far (generator endpoints). */
  outputs() {
    return this._state.outputs.map((d) => this._out(d));
  }

  /** The final output; rejects with the app's GradioError, a timeout or a cancellation. */
  async result() {
    await this._state.wait(() => this._state.done, this._deadline);
    return this._final();
  }

  /** Each output as it arrives; for a plain function, just its result. */
  async *[Symbol.asyncIterator]() {
    const state = this._state;
    let seen = 0;
    for (;;) {
      await state.wait(() => state.done || state.outputs.length > seen, this._deadline);
      const done = state.done; // read first: outputs only grow before it is set
      const fresh = state.outputs.slice(seen);
      seen += fresh.length;
      for (const data of fresh) yield this._out(data);
      if (done) {
        const last = state.outputs[state.outputs.length - 1];
        const repeats = state.error === null && last !== undefined && sameJson(last, state.result);
        if (!repeats) yield this._final();
        return;
      }
    }
  }

  /**
   * Asks the server to stop the job; `result()` then rejects with JobCancelledError.
   * Gradio stops every running call of the endpoint in this session, so those fail too.
   */
  async cancel() {
    const state = this._state;
    if (state.done) return false;
    const running = state.running;
    const siblings = running ? this._session.runningSiblings(state) : [];
    state.cancelRequested = true;
    try {
      await this._runtime._cancel(this._spec, this._session.hash, this.eventId, !running);
    } catch (err) {
      state.cancelRequested = false;
      throw err;
    }
    if (this._runtime._oneshot) {
      this._session.drop(this.eventId, new JobCancelledError("the job was cancelled"), "cancelled");
    } else {
      this._session.cancelled.add(`'${this.eventId}'`);
      this._session.cancelSiblings(siblings);
    }
    return true;
  }

  _out(data) {
    const positions = this._runtime._positions(this._spec);
    const picked = positions === null ? data : positions.map((i) => (i < data.length ? data[i] : null));
    return this._unpack(picked);
  }

  _final() {
    if (this._state.error) throw this._state.error;
    return this._out(this._state.result);
  }
}

/** 3.x and 4.x show a gr.Error as its repr: 'Cannot divide by zero!'. */
const REPR_ESCAPES = { "\\": "\\", "'": "'", '"': '"', n: "\n", r: "\r", t: "\t" };

/** 3.x and 4.x show a gr.Error as its Python repr ('boom', "it's", 'a\'b'): the message itself. */
function unquote(text) {
  const quote = text[0];
  if (text.length < 2 || (quote !== "'" && quote !== '"') || text[text.length - 1] !== quote) {
    return text;
  }
  return text
    .slice(1, -1)
    .replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[^])/g, (whole, escape) =>
      escape.length > 1
        ? String.fromCodePoint(parseInt(escape.slice(1), 16))
        : (REPR_ESCAPES[escape] ?? whole),
    );
}

/** A server path in a URL: each segment escaped, the slashes kept. */
function quotePath(path) {
  return path.split("/").map(encodeURIComponent).join("/");
}

function sameJson(a, b) {
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false; // too deep to compare: it is given again
  }
}

/** Owns the session and the settings; the generated `Client` extends it. */
export class Runtime {
  #headers;
  #auth;
  #cookies = new Map(); // the login's cookies, for runtimes without a cookie jar (Node)
  #logins = 0; // logins made: a 401 after one means the cookie expired
  #loggingIn = null;

  constructor(options = {}, defaults) {
    const baseUrl = options.baseUrl || defaults.baseUrl;
    if (!baseUrl) throw new TypeError("this client was generated from a file: pass baseUrl");
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    this._origin = originOf(this.baseUrl);
    this._prefix = defaults.apiPrefix;
    this._oneshot = defaults.protocol === "oneshot";
    this._timeout = options.timeout === undefined ? DEFAULT_TIMEOUT : options.timeout;
    this._retries = options.retries ?? DEFAULT_RETRIES;
    this.#headers = { ...(options.headers ?? {}) };
    // to an app a token goes as x-hf-authorization: HF's proxy reads and strips it, so the
    // Space's own code never sees it; Authorization is for the Hub API alone
    const token = appToken(this.baseUrl, options.token, options.sendEnvToken === true);
    if (token) this.#headers["x-hf-authorization"] = `Bearer ${token}`;
    const auth = options.auth ?? null;
    if (auth !== null && !(Array.isArray(auth) && auth.length === 2 && auth.every((a) => typeof a === "string"))) {
      throw new TypeError('auth takes ["user", "password"]');
    }
    this.#auth = auth;
    this._fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
    this._maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this._session = null;
    this._appConfig = null;
    this._closing = new AbortController(); // aborts every request once the client is closed
  }

  /** The app keeps this client's gr.State under this id. */
  get sessionHash() {
    return this._current().hash;
  }

  /** Starts a new session: the app forgets this client's gr.State. */
  resetSession() {
    this._session?.end();
    this._session = null;
  }

  /**
   * Ends the client: pending jobs fail, its event stream and requests stop, later calls
   * reject, and the session ends (its heartbeat closes), so the app runs its `demo.unload`
   * handlers and frees its gr.State (calling `delete_callback`). Nothing of the client keeps
   * node running after it.
   */
  close() {
    if (this._closing.signal.aborted) return;
    this._closing.abort();
    this._session?.close(new GradioClientError("the client was closed"));
    this.resetSession();
  }

  /** `await using client = new Client()` closes it at the end of the block. */
  async [Symbol.asyncDispose ?? Symbol.for("Symbol.asyncDispose")]() {
    this.close();
  }

  /**
   * The session's heartbeat, `GET {prefix}/heartbeat/{hash}` (Gradio 4.25+), held open until
   * `signal` aborts: the app ends a session when its heartbeat closes. Under Node its socket is
   * unref'd, so an open heartbeat never keeps the process alive (the process's exit closes it);
   * in a browser the page's unload does. A version without the route answers 404: then nothing.
   */
  async _heartbeat(hash, signal) {
    const url = this._url(`/heartbeat/${encodeURIComponent(hash)}`);
    while (!signal.aborted) {
      const ok = isNode() ? await this._nodeHeartbeat(url, signal) : await this._browserHeartbeat(url, signal);
      if (!ok) return;
      // the server ended it: open it again in a second (a timer that keeps no process alive)
      await new Promise((resolve) => setTimeout(resolve, 1000).unref?.());
    }
  }

  /** The heartbeat by fetch (a browser): true when it ended without error. */
  async _browserHeartbeat(url, signal) {
    const response = await this._fetch(url, { signal });
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      return false;
    }
    const reader = response.body.getReader();
    while (!(await reader.read()).done);
    return true;
  }

  /** The heartbeat by node:http(s), its socket unref'd: true when it ended without error. */
  async _nodeHeartbeat(url, signal) {
    const { request } = await import(url.startsWith("https:") ? "node:https" : "node:http");
    const headers = { ...this.#headers, ...this._cookieHeader(), Accept: "text/event-stream" };
    return new Promise((resolve) => {
      const req = request(url, { headers, signal }, (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          resolve(false);
          return;
        }
        response.on("data", () => {});
        response.on("end", () => resolve(true));
        response.on("error", () => resolve(false));
      });
      req.on("socket", (socket) => socket.unref());
      req.on("error", () => resolve(false));
      req.end();
    });
  }

  toString() {
    return `${this.constructor.name}<${this.baseUrl}>`;
  }

  /**
   * Fetches a file the app returned (a FileData or a URL). Without `dest`, as a Blob. Under
   * Node, with `dest`, streamed to disk: into a folder (an existing one, or a path ending in
   * "/") it goes to a fresh subfolder of it, under the file's own name cleaned of paths and
   * control characters, so it never replaces a file; to any other path, as that file, which
   * it replaces only with `overwrite`. Resolves to the file's path. A failed download leaves
   * nothing behind. `maxBytes` (default DEFAULT_MAX_DOWNLOAD_BYTES) bounds the file,
   * `timeout` (ms; default the client's) the whole download.
   */
  async download(file, dest = undefined, options = {}) {
    let url = typeof file === "string" ? file : file.url || this._url(`/file=${encodeURIComponent(file.path)}`);
    if (!isUrl(url)) url = `${this.baseUrl}/${url.replace(/^\/+/, "")}`;
    const name = typeof file === "string" ? url.split("?")[0].split("/").pop() : file.orig_name || file.path.split(/[\\/]/).pop();
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_DOWNLOAD_BYTES;
    const timeout = options.timeout === undefined ? this._timeout : options.timeout;
    const signal = this._signal(options.signal ?? null, timeout === null ? null : Date.now() + timeout);
    if (dest !== undefined && dest !== null && !isNode()) throw new TypeError("download(file, dest) saves to disk under Node only: leave out dest for a Blob");
    try {
      const response = await this._fetch(url, { signal });
      await this._check(response);
      const declared = Number(response.headers.get("content-length") ?? 0);
      if (declared > maxBytes) {
        await response.body?.cancel().catch(() => {});
        throw new LimitExceededError(`${url} is ${declared} bytes, over maxBytes (${maxBytes})`);
      }
      if (dest === undefined || dest === null) {
        const chunks = [];
        for await (const chunk of bodyChunks(response, maxBytes, url)) chunks.push(chunk);
        return new Blob(chunks);
      }
      return await saveFile(bodyChunks(response, maxBytes, url), String(dest), cleanName(name), options.overwrite === true);
    } catch (err) {
      if (err?.name === "TimeoutError" || (err?.name === "AbortError" && !options.signal?.aborted && !this._closing.signal.aborted)) {
        throw new GradioTimeoutError(`the download of ${url} did not finish within its timeout`);
      }
      if (err?.name === "AbortError") throw new JobCancelledError("the download was aborted");
      throw err;
    }
  }

  _current() {
    if (this._closing.signal.aborted) throw new GradioClientError("the client was closed");
    if (this._session === null) this._session = new Session(this);
    return this._session;
  }

  /** The caller's signal, the deadline and the client's close, as one signal for requests. */
  _signal(signal, deadline) {
    return timeoutSignal(signal, deadline, this._closing.signal);
  }

  _url(path) {
    return `${this.baseUrl}${this._prefix}${path}`;
  }

  _positions(spec) {
    if (spec.outputs !== null || this._appConfig === null) return spec.outputs;
    return visibleOutputs(this._appConfig, spec.apiName, this._index(spec));
  }

  /** 3.x endpoints without an api_name are found in /config by their fn index alone. */
  _index(spec) {
    return this._oneshot ? spec.fnIndex : null;
  }

  /** The inputs with null at each hidden (State) slot: the server indexes inputs by slot. */
  _wireData(spec, data) {
    let hidden = spec.stateInputs;
    if (hidden === null && this._appConfig !== null) {
      hidden = stateInputs(this._appConfig, spec.apiName, this._index(spec));
    }
    const wire = [...data];
    for (const position of [...(hidden ?? [])].sort((a, b) => a - b)) wire.splice(position, 0, null);
    return wire;
  }

  /** A stream message as 5.x and later send it: 4.x quotes errors and breaks file URLs. */
  _received(msg) {
    const output = msg.output;
    if (this._prefix || !output || typeof output !== "object") return msg;
    const repaired = { ...output };
    if ("data" in output) repaired.data = this._fileUrls(output.data);
    if (typeof output.error === "string") repaired.error = unquote(output.error);
    return { ...msg, output: repaired };
  }

  _fileUrls(value) {
    if (Array.isArray(value)) return value.map((v) => this._fileUrls(v));
    if (!value || typeof value !== "object") return value;
    if (typeof value.path === "string" && typeof value.url === "string" && value.url.includes("/file=")) {
      return { ...value, url: this._url(`/file=${quotePath(value.path)}`) };
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this._fileUrls(v)]));
  }

  /** 3.x file results ({name, is_file}) as FileData, so that download() takes them. */
  _fromLegacy(value) {
    if (Array.isArray(value)) return value.map((v) => this._fromLegacy(v));
    if (!value || typeof value !== "object") return value;
    if (typeof value.name === "string" && "is_file" in value) {
      const path = value.name;
      return {
        path,
        url: isUrl(path) ? path : this._url(`/file=${quotePath(path)}`),
        orig_name: value.orig_name || path.replace(/\\/g, "/").split("/").pop(),
        size: value.size ?? null,
        meta: FILE_META,
      };
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this._fromLegacy(v)]));
  }

  /**
   * fetch with the client's headers (to its own origin only) and its errors; to a login app,
   * logged in first, and once more when the login cookie expired (a 401).
   */
  async _fetch(url, init = {}) {
    const own = originOf(url) === this._origin;
    const login = own && this.#auth !== null;
    if (login && this.#logins === 0) await this._login(0);
    const seen = this.#logins;
    const response = await this._send(url, init, own);
    if (!login || response.status !== 401) return response;
    await response.body?.cancel().catch(() => {});
    await this._login(seen);
    return this._send(url, init, own);
  }

  /**
   * One request, its redirects followed here (at most MAX_REDIRECTS), so that the client's
   * headers, token and login cookie go to its own origin alone: fetch itself would carry
   * x-hf-authorization and the caller's headers to wherever a redirect points. With
   * `follow` false a redirect is answered as it came (the login form is never re-posted).
   */
  async _send(url, init, own, follow = true) {
    let { method = "GET", body } = init;
    let mine = own;
    for (let hops = 0; ; hops++) {
      const response = await this._sendOnce(url, { ...init, method, body }, mine, "manual");
      if (response.type === "opaqueredirect") {
        // a browser hides where a redirect goes: it follows it itself, sent without any of
        // the client's headers, so that a redirect to another origin gets none of them
        if (!follow) return response;
        return this._sendOnce(url, { ...init, method, body }, false, "follow");
      }
      const location = response.headers.get("location");
      if (!follow || !REDIRECTS.has(response.status) || location === null) return response;
      await response.body?.cancel().catch(() => {});
      if (hops >= MAX_REDIRECTS) throw new GradioConnectionError(`${method} ${url} failed: more than ${MAX_REDIRECTS} redirects`);
      const next = new URL(location, url);
      if (!isUrl(next.href)) throw new GradioConnectionError(`${method} ${url} failed: it redirects to ${next.protocol} URL`);
      // as fetch does: a 303, or a 301/302 answering a POST, is followed by a GET without body
      if (response.status === 303 ? method !== "GET" && method !== "HEAD" : response.status < 303 && method === "POST") {
        method = "GET";
        body = undefined;
      }
      url = next.href;
      mine = mine && next.origin === this._origin; // once it left the origin, it stays without them
    }
  }

  /** One fetch: the client's headers only where `mine`; elsewhere only the body's type. */
  async _sendOnce(url, init, mine, redirect) {
    const given = init.headers ?? {};
    const headers = mine
      ? { ...this.#headers, ...this._cookieHeader(), ...given }
      : Object.fromEntries(Object.entries(given).filter(([k]) => init.body !== undefined && k.toLowerCase() === "content-type"));
    try {
      // a browser keeps the login cookie only for requests made with credentials: "include"
      // (Gradio answers them with Access-Control-Allow-Credentials and the page's origin)
      const credentials = mine ? "include" : "same-origin";
      return await this._fetchImpl(url, { ...init, headers, redirect, credentials });
    } catch (err) {
      if (err?.name === "AbortError" || err?.name === "TimeoutError") throw err;
      const error = new GradioConnectionError(`${init.method ?? "GET"} ${url} failed: ${err?.cause ?? err}`);
      error.cause = err?.cause ?? err;
      throw error;
    }
  }

  _cookieHeader() {
    if (!this.#cookies.size) return {};
    return { Cookie: [...this.#cookies].map(([k, v]) => `${k}=${v}`).join("; ") };
  }

  /** Logs in at the app's root (`/login` on every version), unless done since `seen`. */
  async _login(seen) {
    if (this.#logins !== seen) return;
    if (this.#loggingIn === null) {
      this.#loggingIn = (async () => {
        const [username, password] = this.#auth;
        const response = await this._send(`${this.baseUrl}/login`, {
          method: "POST",
          body: new URLSearchParams({ username, password }),
        }, true, false);
        if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400)) {
          await response.body?.cancel().catch(() => {});
          throw new AuthenticationError(response.status, `${this.baseUrl}/login answered with a redirect, not a login session: the app has no login (leave out auth) or it moved`);
        }
        if (!response.ok) {
          const text = (await readText(response, 65_536, true)).trim().slice(0, 200) || response.statusText;
          throw new AuthenticationError(response.status, `login as ${JSON.stringify(username)} failed: ${text}; check auth`);
        }
        for (const line of response.headers.getSetCookie?.() ?? []) {
          const [pair] = line.split(";");
          const at = pair.indexOf("=");
          if (at > 0) this.#cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
        }
        this.#logins += 1;
      })().finally(() => {
        this.#loggingIn = null;
      });
    }
    await this.#loggingIn;
  }

  /** raiseForStatus, knowing whether a login was made (a 401 then means it was refused). */
  _check(response) {
    return raiseForStatus(response, this.#logins > 0);
  }

  async _json(url, init, signal) {
    const response = await this._fetch(url, { ...init, signal: signal ?? this._closing.signal });
    await this._check(response);
    return readJson(response, this._maxMessageBytes);
  }

  async _readAppConfig(signal) {
    if (this._appConfig === null) this._appConfig = await this._json(`${this.baseUrl}/config`, {}, signal);
  }

  /** `call()`'s endpoint: `[spec, unpack]` of the endpoint named `apiName` ("/greet"). */
  _endpoint(endpoints, apiName) {
    const name = typeof apiName === "string" ? apiName.replace(/^\//, "") : apiName;
    const found = endpoints.get(name);
    if (found === undefined) {
      const known = [...endpoints.keys()].map((n) => JSON.stringify(`/${n}`)).join(", ");
      throw new TypeError(`the app has no endpoint ${JSON.stringify(String(apiName))}; it has ${known || "none"}`);
    }
    return found;
  }

  /** Named inputs to the positional wire data, with the app's defaults for missing ones. */
  _data(spec, inputs) {
    const given = inputs ?? {};
    for (const key of Object.keys(given)) {
      if (!spec.inputs.includes(key)) {
        throw new TypeError(`/${spec.apiName} has no input ${JSON.stringify(key)}; it takes ${spec.inputs.map((n) => JSON.stringify(n)).join(", ") || "none"}`);
      }
    }
    return spec.inputs.map((key, i) => {
      if (Object.prototype.hasOwnProperty.call(given, key) && given[key] !== undefined) return given[key];
      if (Object.prototype.hasOwnProperty.call(spec.defaults, key)) return structuredClone(spec.defaults[key]);
      throw new TypeError(`/${spec.apiName} needs input ${JSON.stringify(key)} (position ${i})`);
    });
  }

  async _call(spec, inputs, unpack, options = {}) {
    return (await this._submit(spec, inputs, unpack, options)).result();
  }

  async _submit(spec, inputs, unpack, options = {}) {
    const timeout = options.timeout === undefined ? this._timeout : options.timeout;
    const deadline = timeout === null ? null : Date.now() + timeout;
    const signal = options.signal ?? null;
    if (signal?.aborted) throw new JobCancelledError("the job was aborted");
    const headers = { ...(options.headers ?? {}) };
    const session = this._current();
    const uploads = new Uploads(this._oneshot);
    let data = this._data(spec, inputs).map((v, i) => uploads.prepare(v, spec.files[i] ?? null));
    const requestSignal = this._signal(signal, deadline);
    try {
      if (uploads.files.length) {
        const form = await uploads.form();
        uploads.fill(await this._json(this._url("/upload"), { method: "POST", body: form, headers }, requestSignal));
      }
      data = await uploads.inlineAll(data);
      if (spec.outputs === null || spec.stateInputs === null) await this._readAppConfig(requestSignal);
      data = this._wireData(spec, data);
      if (this._oneshot) return this._startOneshot(spec, data, unpack, session, apiCallHeaders(headers, this.#headers), deadline, signal);
      session.posting += 1;
      let answer;
      try {
        answer = await this._start(
          this._url(`/call/${encodeURIComponent(spec.apiName)}`),
          {
            method: "POST",
            body: JSON.stringify({ data, session_hash: session.hash }),
            headers: { "Content-Type": "application/json", ...apiCallHeaders(headers, this.#headers) },
          },
          requestSignal,
          deadline,
        );
      } finally {
        session.posting -= 1;
        session.idle();
      }
      const eventId = answer !== null && typeof answer === "object" ? answer.event_id : undefined;
      if (typeof eventId !== "string" && typeof eventId !== "number") {
        throw new ProtocolError(`the call's answer has no event_id: ${JSON.stringify(answer)?.slice(0, 100)}`);
      }
      session.keepAlive(); // after the call went in: logged in, and the session exists
      const state = new JobState(spec.apiName);
      state.onMessage = options.onMessage ?? null;
      state.deadline = deadline;
      const job = new Job(this, session, spec, unpack, String(eventId), state, deadline);
      session.register(job.eventId, state);
      if (signal) {
        const abort = () => {
          job.cancel().catch(() => {});
          state.fail(new JobCancelledError("the job was aborted"), "cancelled");
        };
        signal.addEventListener("abort", abort, { once: true });
        state.listeners.add(() => state.done && signal.removeEventListener("abort", abort));
      }
      return job;
    } catch (err) {
      if (err?.name === "TimeoutError") throw new GradioTimeoutError("the call did not finish within its timeout");
      if (err?.name === "AbortError") throw new JobCancelledError("the job was aborted");
      throw err;
    }
  }

  /** Posts a call, again after a pause where the server took nothing (see _retryAfter). */
  async _start(url, init, signal, deadline) {
    for (let attempt = 0; ; attempt++) {
      let response = null;
      let failure = null;
      try {
        response = await this._fetch(url, { ...init, signal });
      } catch (err) {
        failure = err;
      }
      const delay = this._retryAfter(attempt, response, failure, deadline);
      if (delay === null) {
        if (failure) throw failure;
        await this._check(response);
        return readJson(response, this._maxMessageBytes);
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  /**
   * Milliseconds to wait before posting a call again, or null to give up: only where the
   * server certainly queued nothing (429, 503, a refused connection). A job is never
   * submitted twice.
   */
  _retryAfter(attempt, response, failure, deadline) {
    if (attempt >= this._retries) return null;
    let delay;
    if (response && (response.status === 429 || response.status === 503)) {
      const given = response.headers.get("retry-after") ?? "";
      delay = /^\d+$/.test(given) ? Number(given) * 1000 : 500 * 2 ** attempt;
    } else if (failure instanceof GradioConnectionError && failure.cause?.code === "ECONNREFUSED") {
      delay = 500 * 2 ** attempt;
    } else {
      return null;
    }
    delay = Math.min(delay, MAX_BACKOFF);
    return deadline !== null && Date.now() + delay >= deadline ? null : delay;
  }

  /** A 3.x call: one POST /run/{name}, or one per step of a generator, as queue messages. */
  _startOneshot(spec, data, unpack, session, headers, deadline, signal) {
    const state = new JobState(spec.apiName);
    const eventId = randomHash() + randomHash();
    const job = new Job(this, session, spec, unpack, eventId, state, deadline);
    session.jobs.set(eventId, state);
    state.deadline = deadline;
    const body = { data, session_hash: session.hash };
    if (spec.fnIndex !== null) body.fn_index = spec.fnIndex; // it overrides the route's name
    const request = {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", ...headers },
    };
    const url = this._url(`/run/${encodeURIComponent(spec.apiName)}`);
    const message = (msg) => session.apply(eventId, { event_id: eventId, success: true, ...msg });
    const run = async () => {
      let last = null;
      message({ msg: "process_starts" });
      while (!state.done) {
        const response = await this._fetch(url, { ...request, signal: this._signal(signal, deadline) });
        if (response.status === 500) {
          const answer = await readJson(response, this._maxMessageBytes).catch(() => null);
          if (answer && typeof answer === "object" && "error" in answer) {
            const error = typeof answer.error === "string" ? unquote(answer.error) : answer.error;
            message({ msg: "process_completed", success: false, output: { error } });
            return;
          }
        }
        await this._check(response);
        const answer = await readJson(response, this._maxMessageBytes);
        if (answer === null || typeof answer !== "object") throw new ProtocolError(`/run answered ${JSON.stringify(answer)?.slice(0, 100)}`);
        const stepData = this._fromLegacy(answer.data);
        if (answer.is_generating) {
          last = stepData;
          message({ msg: "process_generating", output: { data: stepData } });
        } else {
          message({ msg: "process_completed", output: { data: last ?? stepData } });
        }
      }
    };
    run().catch((err) => {
      const error = err?.name === "TimeoutError"
        ? new GradioTimeoutError("the call did not finish within its timeout")
        : err?.name === "AbortError"
          ? new JobCancelledError("the job was aborted")
          : err instanceof GradioClientError ? err : new GradioConnectionError(String(err));
      session.drop(eventId, error, error instanceof JobCancelledError ? "cancelled" : "failed");
    });
    return job;
  }

  async _cancel(spec, sessionHash, eventId, queued) {
    if (this._oneshot) {
      // 3.x: /reset stops a generator of this session
      if (spec.fnIndex !== null) {
        await this._json(this._url("/reset"), {
          method: "POST",
          body: JSON.stringify({ session_hash: sessionHash, fn_index: spec.fnIndex }),
          headers: { "Content-Type": "application/json" },
        });
      }
      return;
    }
    let index = queued ? null : spec.fnIndex;
    if (index === null && !queued) {
      await this._readAppConfig(null);
      index = fnIndex(this._appConfig, spec.apiName);
    }
    await this._json(this._url("/cancel"), {
      method: "POST",
      body: JSON.stringify({ session_hash: sessionHash, fn_index: index ?? -1, event_id: eventId }),
      headers: { "Content-Type": "application/json" },
    });
  }
}

/** The caller's signal and the call's deadline (and `closing`), as one signal for its requests. */
function timeoutSignal(signal, deadline, closing = null) {
  const signals = [];
  if (signal) signals.push(signal);
  if (closing) signals.push(closing);
  if (deadline !== null) signals.push(AbortSignal.timeout(Math.max(1, deadline - Date.now())));
  if (signals.length < 2) return signals[0];
  if (typeof AbortSignal.any === "function") return AbortSignal.any(signals);
  const both = new AbortController(); // AbortSignal.any is newer than Node 18
  for (const s of signals) {
    if (s.aborted) both.abort(s.reason);
    else s.addEventListener("abort", () => both.abort(s.reason), { once: true });
  }
  return both.signal;
}

/** A file name the server gave, as a plain name: no folders, no control characters. */
function cleanName(name) {
  const base = String(name ?? "").replace(/\\/g, "/").split("/").pop();
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f-\u009f]/g, "").trim().slice(0, 200);
  return clean === "" || clean === "." || clean === ".." ? "download" : clean;
}

/** A response's body in chunks, at most `maxBytes` of them (then LimitExceededError). */
async function* bodyChunks(response, maxBytes, url) {
  if (response.body === null) return;
  const reader = response.body.getReader();
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      size += value.byteLength;
      if (size > maxBytes) throw new LimitExceededError(`${url} is larger than maxBytes (${maxBytes})`);
      yield value;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

/**
 * Writes `chunks` to disk (Node) as download() says: into a fresh subfolder of a folder, or
 * to a given path; through a temporary file that becomes the file only once all is written.
 */
async function saveFile(chunks, dest, name, overwrite) {
  const fs = await import("node:fs/promises");
  const path = await import("node:path");
  const info = await fs.stat(dest).catch(() => null);
  const intoFolder = info?.isDirectory() || /[\\/]$/.test(dest);
  let folder = null;
  let target;
  if (intoFolder) {
    await fs.mkdir(dest, { recursive: true });
    folder = await fs.mkdtemp(path.join(dest, "download-"));
    target = path.join(folder, name);
  } else {
    await fs.mkdir(path.dirname(dest), { recursive: true });
    target = dest;
  }
  const partial = path.join(path.dirname(target), `.${path.basename(target)}.${randomHash()}.part`);
  try {
    const out = await fs.open(partial, "wx");
    try {
      for await (const chunk of chunks) await out.write(chunk);
    } finally {
      await out.close();
    }
    if (overwrite) await fs.rename(partial, target);
    else await fs.link(partial, target); // fails, and replaces nothing, where a file is
    return target;
  } catch (err) {
    if (err?.code === "EEXIST" && !overwrite) {
      err.message = `${target} exists: pass { overwrite: true } to replace it, or a folder`;
    }
    if (folder !== null) await fs.rm(folder, { recursive: true, force: true });
    throw err;
  } finally {
    await fs.rm(partial, { force: true });
  }
}
