// gradio_client's test_client.py assertions, the JavaScript client's side
// (tests/e2e/test_client_suite.py): node suite.mjs < {"client": path, "queue": path, "calls": path,
// "many": path, "image": path, "scenario"}.
// Prints what it saw as one JSON line; the assertions live in the Python test.

import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const request = JSON.parse(readFileSync(0, "utf-8"));
const suite = await import(pathToFileURL(request.client).href);
const { Client } = suite;

const outcome = (promise) => promise.then(
  (value) => ({ value }),
  (err) => ({ error: err?.constructor?.name, message: String(err?.message ?? err) }),
);

const scenarios = {
  // a session ends at close(): the hash to look for in the app's log
  async close() {
    const client = new Client();
    const said = await client.remember({ text: "js first" });
    const hash = client.sessionHash;
    client.close();
    return { said, hash };
  },
  // no close(): the process exits anyway (the heartbeat's socket is unref'd) and its exit ends the session
  async exit() {
    const client = new Client();
    await client.remember({ text: "js exit" });
    return { hash: client.sessionHash };
  },
  async state() {
    const client = new Client();
    const counts = [await client.incrementWithQueue({}), await client.incrementWithQueue({}), await client.incrementWithoutQueue({})];
    const old = client.sessionHash;
    client.resetSession();
    counts.push(await client.incrementWithQueue({}));
    client.close();
    return { counts, old };
  },
  async users() {
    const plain = new Client();
    const mcp = new Client({ headers: { "x-gradio-user": "mcp" } });
    const seen = {
      plain: await plain.who({ name: "js" }),
      call: await plain.who({ name: "js" }, { headers: { "X-Gradio-User": "app" } }),
      client: await mcp.who({ name: "js" }),
    };
    plain.close();
    mcp.close();
    return seen;
  },
  async queue_full() {
    const { Client: Queue, QueueFullError } = await import(pathToFileURL(request.queue).href);
    const client = new Queue();
    const calls = ["Freddy", "Abubakar", "Pete"].map((name) => outcome(client.predict({ name })));
    const done = await Promise.all(calls);
    client.close();
    return { done, typed: QueueFullError.name };
  },
  async generator_error() {
    const client = new Client();
    const seen = [];
    let error = null;
    try {
      for await (const step of await client.submitCount({ n: 10 })) seen.push(step);
    } catch (err) {
      error = err.constructor.name;
    }
    client.close();
    return { seen, error };
  },
  async too_big() {
    const client = new Client();
    try {
      return await client.fileIo({ files: [], file: new Blob([new Uint8Array(2048)]) });
    } catch (err) {
      return { error: err.constructor.name, status: err.status };
    } finally {
      client.close();
    }
  },
  async layout_and_state() {
    const client = new Client();
    const first = await client.greeting({ name: "Freddy" });
    const second = await client.greeting({ name: "Freddy" });
    client.close();
    return [first, second];
  },
  // test_file_io (local paths in a list and alone), test_cancel_subsequent_jobs_state_reset
  async file_io_and_cancel() {
    const client = new Client();
    const [many, single] = await client.file_io({ files: [request.one, request.two], file: request.one });
    const text = await (await client.download(single)).text();
    const first = await client.submit_spell({ text: "abcdefefadsadfs" });
    while (first.outputs().length < 3) await new Promise((resolve) => setTimeout(resolve, 50));
    await first.cancel();
    const cancelled = await outcome(first.result());
    const second = await client.submit_spell({ text: "abcd" });
    const fresh = second.outputs().length;
    const result = await second.result();
    client.close();
    return {
      names: [many.map((f) => f.orig_name), single.orig_name],
      text,
      cancelled: cancelled.error,
      kept: first.outputs().length,
      stage: first.status().stage,
      second: { fresh, result, outputs: second.outputs(), stage: second.status().stage },
    };
  },
  // apps/client_calls.py: every call test_client.py makes that a JS caller can make
  async calls() {
    const { Client: Calls } = await import(pathToFileURL(request.calls).href);
    const client = new Calls();
    const seen = {
      calculate: await outcome(client.calculate({ num1: 5, operation: "add", num2: 4 })),
      not_a_number: await outcome(client.calculate({ num1: "foo", operation: "add", num2: 4 })),
      divide_by_zero: await outcome(client.calculate({ num1: 5, operation: "divide", num2: 0 })),
      defaults: await outcome(client.calculate_defaults({ operation: "add", num2: 10 })),
      multiply: await outcome(client.calculate_defaults({ operation: "multiply", num2: 33 })),
      missing: await outcome(client.greet({ name: "Alice" })),
      greet: await outcome(client.greet({ name: "Alice", punctuation: "!" })),
      respond: await outcome(client.respond({ message: "Hello", history: [{ role: "user", content: [{ text: "", type: "text" }] }] })),
      click: await outcome(client.click()),
      greeting: await outcome(client.greeting({ name: "Freddy" })),
      show_group: await outcome(client.show_group()),
      image_name: await outcome(client.image_name({ image: request.image })),
      bad_json: await outcome(client.bad_json()),
      line_breaks: await outcome(client.line_breaks()),
      show: await outcome(client.show({ n: 3 })),
      timeout: await outcome(client.sleep({}, { timeout: 50 })),
      timeout_no_queue: await outcome(client.sleep_no_queue({}, { timeout: 100 })),
      private: ["show_1", "add_one", "lambda"].filter((name) => name in client),
    };
    const [, first] = await client.chat({ message: "hello", history: [] });
    const [, second] = await client.chat({ message: "hi", history: first });
    seen.chat = second;
    const counted = [];
    const job = await client.submit_count({ n: 3 });
    for await (const step of job) counted.push(step);
    seen.count = { counted, outputs: job.outputs() };
    const video = await client.video();
    seen.video = { orig_name: video.orig_name, bytes: (await client.download(video)).size };
    const statuses = [];
    const sum = await client.submit_calculate({ num1: 5, operation: "add", num2: 4 });
    while (!sum.done()) {
      statuses.push(sum.status().stage);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    statuses.push(sum.status().stage);
    seen.statuses = statuses;
    const six = [0, 1, 2, 3, 4, 5].map((i) => client.calculate({ num1: i, operation: "add", num2: 1 }));
    seen.six = await Promise.all(six);
    const messages = [];
    const long = await client.long_response({}, { onMessage: (m) => messages.push(m.text) });
    seen.long = { same: long === "\ta\nb".repeat(90000), length: long.length, messages };
    client.close();
    return seen;
  },
  // apps/many_endpoints.py: the first and the last of 2,000 endpoints
  async many() {
    const started = performance.now();
    const { Client: Many } = await import(pathToFileURL(request.many).href);
    const imported = performance.now() - started;
    const client = new Many();
    const said = [await client.noop({ text: "first" }), await client.noop_1999({ text: "last" })];
    client.close();
    return { said, imported_ms: imported };
  },
};

const value = await scenarios[request.scenario]();
process.stdout.write(JSON.stringify(value) + "\n");
