// gradio_client's test_client.py assertions, the JavaScript client's side
// (tests/e2e/test_client_suite.py): node suite.mjs < {"client": path, "queue": path, "scenario"}.
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
};

const value = await scenarios[request.scenario]();
process.stdout.write(JSON.stringify(value) + "\n");
