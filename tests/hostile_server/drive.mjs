// One call of the generated JavaScript client against a hostile app (see drive.py for the
// request's keys; `client` is the path of the generated index.js, `timeout` in seconds).
// Prints one JSON line, then leaves: node must exit by itself, whatever the call did.
const req = JSON.parse(process.argv[2]);
const { Client } = await import(req.client);

const client = new Client({
  baseUrl: req.base_url,
  timeout: req.timeout * 1000,
  token: "hf_SECRET_TOKEN",
  headers: { "x-secret": "S3CRET-HEADER" },
  auth: ["user", "pa55word"],
  ...(req.client_options ?? {}),
});
// the methods by the app's names, or camelCase where the generator names them so
const method = (snake, camel) => (client[camel] ?? client[snake]).bind(client);
const found = { messages: [], outputs: [] };
const start = performance.now();
let error = null;
try {
  if (req.call === "echo") {
    const job = await method("submit_json_echo", "submitJsonEcho")(
      { data: "hello" },
      { onMessage: (m) => found.messages.push([m.level, m.text, m.title]) },
    );
    for await (const output of job) found.outputs.push(output);
    found.value = await job.result();
  } else {
    const file = await method("file_upper", "fileUpper")({ file: req.upload });
    found.file = file;
    const d = req.download ?? {};
    found.saved = await client.download(file, req.dest, {
      overwrite: d.overwrite,
      maxBytes: d.max_bytes,
      timeout: d.timeout === undefined ? undefined : d.timeout * 1000,
    });
  }
} catch (err) {
  error = err;
}
found.elapsed = (performance.now() - start) / 1000;
found.end = Date.now() / 1000;
const chain = [];
for (let c = error?.constructor; c && c !== Object; c = Object.getPrototypeOf(c)) chain.push(c.name);
const out = error === null
  ? { ok: true, ...found }
  : { ok: false, error_type: error?.constructor?.name ?? typeof error, error_mro: chain, error: String(error?.message ?? error), ...found };
let line;
try {
  line = JSON.stringify(out);
} catch {
  line = JSON.stringify({ ...out, value: "<too deep to print>", outputs: [] }); // deep_json
}
process.stdout.write(line + "\n");
