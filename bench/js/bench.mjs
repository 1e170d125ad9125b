// Section 4 for JavaScript: the generated client, @gradio/client and raw fetch under node.
// Usage: node bench.mjs URL GENERATED_INDEX_JS JS_TESTS_DIR IMAGE_PATH COUNTS_JSON
// Prints one JSON object: {case: {tool: [samples]}}; times in ms, throughput in calls/s.
// Calls are interleaved (one of each tool per round, order rotating), as in the Python bench.

import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";

const [url, generatedIndex, jsTestsDir, imagePath, countsJson] = process.argv.slice(2);
const counts = JSON.parse(countsJson);
const base = url.replace(/\/+$/, "");
const GEN = "generated";
const OFFICIAL = "@gradio/client";
const RAW = "raw fetch";

// every request any client sends goes through here, so construction requests can be counted
let requests = 0;
const platformFetch = globalThis.fetch;
globalThis.fetch = (...args) => {
  requests += 1;
  return platformFetch(...args);
};

const { Client } = await import(pathToFileURL(generatedIndex).href);
const require = createRequire(join(jsTestsDir, "package.json"));
const officialDir = dirname(require.resolve("@gradio/client/package.json"));
const official = await import(pathToFileURL(join(officialDir, "dist", "index.js")).href);

/** POST /call/{name} for an event id, then read GET /call/{name}/{event_id} (SSE). */
async function rawCall(name, data, onOutput) {
  const posted = await fetch(`${base}/gradio_api/call/${name}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ data }),
  });
  const { event_id: eventId } = await posted.json();
  const response = await fetch(`${base}/gradio_api/call/${name}/${eventId}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let event = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error("the stream ended without a result");
    buffer += value;
    let end;
    while ((end = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, end).replace(/\r$/, "");
      buffer = buffer.slice(end + 1);
      if (line.startsWith("event:")) event = line.slice(6).trim();
      else if (line.startsWith("data:")) {
        if (event === "complete") {
          await reader.cancel();
          return JSON.parse(line.slice(5));
        }
        if (event === "generating" && onOutput) onOutput(JSON.parse(line.slice(5)));
        if (event === "error") throw new Error(line);
      }
    }
  }
}

async function rawImage() {
  const form = new FormData();
  form.append("files", new Blob([await readFile(imagePath)]), "input.png");
  const uploaded = await fetch(`${base}/gradio_api/upload`, { method: "POST", body: form });
  const [path] = await uploaded.json();
  const [out] = await rawCall("mirror", [{ path, meta: { _type: "gradio.FileData" } }]);
  return (await fetch(out.url)).blob();
}

// calls that threw (a timeout included) are counted per tool, not timed, and the run goes on
const failures = {};
let currentCase = "";
function failed(name, err) {
  failures[name] = (failures[name] ?? 0) + 1;
  process.stderr.write(`${currentCase}: ${name}: ${err}\n`);
}

// n timed calls of each tool after one warm-up each, as [start, end, value]: interleaved with
// the order rotating, except @gradio/client, in a block of its own afterwards (as
// gradio_client in the Python bench: work it leaves running must not land on the others).
async function rounds(tools, n) {
  const together = Object.keys(tools).filter((name) => name !== OFFICIAL);
  const samples = Object.fromEntries(Object.keys(tools).map((name) => [name, []]));
  for (const fn of Object.values(tools)) await fn();
  const timed = async (name) => {
    const start = performance.now();
    try {
      const value = await tools[name]();
      samples[name].push([start, performance.now(), value]);
    } catch (err) {
      failed(name, err);
    }
  };
  for (let i = 0; i < n; i++) {
    const k = i % together.length;
    for (const name of [...together.slice(k), ...together.slice(0, k)]) await timed(name);
  }
  for (const name of Object.keys(tools)) {
    if (!together.includes(name)) for (let i = 0; i < n; i++) await timed(name);
  }
  return samples;
}

const mapSamples = (samples, fn) =>
  Object.fromEntries(Object.entries(samples).map(([name, list]) => [name, list.map(fn)]));

async function timedRounds(tools, n) {
  return mapSamples(await rounds(tools, n), ([start, end]) => end - start);
}

const out = {};

// 1. construction: time and requests made
{
  const construct = { [GEN]: [], [OFFICIAL]: [] };
  const made = {};
  for (let i = 0; i < counts.construct; i++) {
    const start = performance.now();
    new Client({ baseUrl: base });
    construct[GEN].push(performance.now() - start);
  }
  for (let i = 0; i < counts.construct_official; i++) {
    const start = performance.now();
    const app = await official.Client.connect(base);
    construct[OFFICIAL].push(performance.now() - start);
    app.close?.();
  }
  for (const [name, make] of [
    [GEN, async () => new Client({ baseUrl: base })],
    [OFFICIAL, async () => official.Client.connect(base)],
  ]) {
    const before = requests;
    await make();
    made[name] = [requests - before];
  }
  out["construction time"] = construct;
  out["requests at construction"] = made;
}

const CALL_TIMEOUT = 30_000; // ms: a call that hangs fails instead of stopping the bench
const ours = new Client({ baseUrl: base, timeout: CALL_TIMEOUT });
const theirs = await official.Client.connect(base);
const calls = {
  [GEN]: () => ours.echo({ text: "hi" }),
  [OFFICIAL]: () => theirs.predict("/echo", { text: "hi" }),
  [RAW]: () => rawCall("echo", ["hi"]),
};

currentCase = "per call";
out["per call"] = await timedRounds(calls, counts.node_calls);

// 8 concurrent callers on one client, calls per second
currentCase = "8 concurrent";
{
  const rates = { [GEN]: [], [OFFICIAL]: [], [RAW]: [] };
  const names = Object.keys(calls);
  for (let i = 0; i < counts.thread_rounds; i++) {
    for (const name of [...names.slice(i % 3), ...names.slice(0, i % 3)]) {
      const start = performance.now();
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          for (let k = 0; k < counts.thread_calls; k++) {
            await calls[name]().catch((err) => failed(name, err));
          }
        }),
      );
      rates[name].push((8 * counts.thread_calls * 1000) / (performance.now() - start));
    }
  }
  out["8 concurrent: throughput"] = rates;
}

// a generator endpoint: 5 outputs 20 ms apart
currentCase = "stream";
{
  const streams = {
    [GEN]: async (seen) => {
      for await (const output of await ours.submitStream({ n: 5, delay: 0.02 })) seen(output);
    },
    [OFFICIAL]: async (seen) => {
      for await (const msg of theirs.submit("/stream", { n: 5, delay: 0.02 })) {
        if (msg.type === "data") seen(msg.data);
        if (msg.type === "status" && msg.stage === "complete") break;
      }
    },
    [RAW]: async (seen) => {
      await rawCall("stream", [5, 0.02], seen);
    },
  };
  const arrivals = (stream) => async () => {
    const seen = [];
    await stream(() => seen.push(performance.now()));
    if (seen.length < 5) throw new Error(`a stream gave ${seen.length} outputs`);
    return seen;
  };
  const timed = await rounds(
    Object.fromEntries(Object.entries(streams).map(([name, fn]) => [name, arrivals(fn)])),
    counts.streams,
  );
  const first = mapSamples(timed, ([start, , seen]) => seen[0] - start);
  const total = mapSamples(timed, ([start, end]) => end - start);
  out["stream: first output"] = first;
  out["stream: total"] = total;
}

// an image in (upload included), the image out downloaded
currentCase = "image";
out["image: upload + call + download"] = await timedRounds(
  {
    [GEN]: async () => ours.download(await ours.mirror({ image: imagePath })),
    [OFFICIAL]: async () => {
      const blob = new Blob([readFileSync(imagePath)]);
      const result = await theirs.predict("/mirror", { image: official.handle_file(blob) });
      return (await fetch(result.data[0].url)).blob();
    },
    [RAW]: rawImage,
  },
  counts.images,
);

out["failed calls"] = Object.fromEntries(
  [GEN, OFFICIAL, RAW].map((name) => [name, [failures[name] ?? 0]]),
);
theirs.close?.();
// exit only once the pipe took all of it (process.exit would cut it at 64 KiB)
process.stdout.write(JSON.stringify(out) + "\n", () => process.exit(0));
