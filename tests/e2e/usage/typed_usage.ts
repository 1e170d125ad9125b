// Typed use of the generated JavaScript clients: tsc --strict must accept it as it is.
// The packages are the live test apps' clients, generated as basics-client, media-client
// and chat-client, and hostile-client: basics with inputs renamed to words JavaScript
// treats specially (tests/e2e/test_js_client.py links them into node_modules).

import { Client as Basics, GradioClientError, GradioError, GradioTimeoutError, HTTPStatusError, ValidationError } from "basics-client";
import type { AppMessage, MessageLevel } from "basics-client";
import type { CalculateInputs, CallOptions, ClientOptions, GreetInputs, PickInputs } from "basics-client";
import { Client as Chat, Job, JobCancelledError } from "chat-client";
import type { Message, Stage, Status } from "chat-client";
import { Client as Hostile } from "hostile-client";
import { Client as Media } from "media-client";
import type { DataframeData, FileData, FileInput, JsonValue } from "media-client";

export async function basics(client: Basics): Promise<string> {
  const greeting: string = await client.greet({ name: "Ada", intensity: 3, shout: true });
  const total: number = await client.calculate({ a: 1, operation: "add", b: 2 });
  const byDefault: number = await client.calculate();
  const [summary, echo]: [string, JsonValue] = await client.pick({ single: "dog", many: ["red"], boxes: ["a"], count: 2 });
  const reversed: string = await client.class_({ self: "x" });
  const closed: string = await client.close_();
  const length: number = await client.submit_({ text: "abc" });
  const inputs: GreetInputs = { name: "Bo" };
  const calc: CalculateInputs = { operation: "divide" };
  const pick: PickInputs = { many: ["green", "blue"] };
  const options: CallOptions = { timeout: 1000, headers: { "x-a": "1" }, signal: new AbortController().signal };
  const again: string = await client.greet(inputs, options);
  await client.calculate(calc, { timeout: null });
  await client.pick(pick);
  const heard: AppMessage[] = [];
  const job = await client.submitGreet({ name: "Ada" }, { onMessage: (m: AppMessage) => heard.push(m) });
  const messages: AppMessage[] = job.messages;
  const level: MessageLevel = messages[0]?.level ?? "info";
  const titled: string | null = messages[0]?.title ?? null;
  heard.push(...messages.filter((m) => m.text.length > 0 && level === m.level && titled !== "x"));
  try {
    await client.fail({ message: "boom" });
  } catch (err) {
    if (err instanceof ValidationError) {
      const errors: Readonly<Record<string, string>> = err.errors;
      return Object.keys(errors).join(",") + String(err.status);
    }
    if (err instanceof GradioError) {
      const message: string = err.message;
      const title: string | null = err.title;
      return message + String(title);
    }
    if (err instanceof HTTPStatusError) return String(err.status);
    if (err instanceof GradioTimeoutError || err instanceof GradioClientError) return err.name;
  }
  return greeting + total + byDefault + summary + JSON.stringify(echo) + reversed + closed + length + again;
}

export async function media(client: Media): Promise<string> {
  const [image, size]: [FileData, string] = await client.imageInfo({ image: "cat.png" });
  const url: string | null | undefined = image.url;
  await client.imageInfo({ image });
  await client.imageInfo({ image: new Uint8Array([1, 2]) });
  await client.imageInfo({ image: new Blob(["x"]) });
  const blob: Blob = await client.download(image);
  const fromUrl: Blob = await client.download("http://127.0.0.1/file");
  const inputs: FileInput[] = ["a.txt", new Blob(["x"]), image, new Uint8Array(1), new ArrayBuffer(2)];
  const count: JsonValue = await client.filesCount({ files: inputs });
  const echoed: JsonValue = await client.jsonEcho({ data: { a: [1, 2.5, null], b: "x" } });
  const [frame, grand]: [DataframeData, number] = await client.tableSum();
  const table: DataframeData = { headers: ["x", "y"], data: [[1, 2]] };
  await client.tableSum({ table });
  const audio: FileData = await client.audioReverse({ audio: "tone.wav" });
  const file: FileData = await client.fileUpper({ file: audio });
  return `${url}${size}${blob.size}${fromUrl.size}${JSON.stringify([count, echoed, frame.headers])}${grand}${file.path}`;
}

export async function chat(client: Chat, signal: AbortSignal): Promise<string[]> {
  const job: Job<string> = await client.submitCountUp({ n: 3 }, { signal, timeout: 1000 });
  const outputs: string[] = [];
  for await (const out of job) outputs.push(out);
  const status: Status = job.status();
  const stage: Stage = status.stage;
  const rank: number | null = status.rank;
  const progress: number | null = status.progress[0]?.index ?? null;
  const seen: string[] = job.outputs();
  const final: string = await job.result();
  const cancelled: boolean = await job.cancel();
  const done: boolean = job.done();
  const count: number = await client.increment();
  const [partial, words]: [string, number] = await client.progressWords({ text: "a b" });
  const [cleared, history]: [string, Message[]] = await client.respond({ message: "hi", history: [] });
  const first: Message | undefined = history[0];
  client.resetSession();
  const hash: string = client.sessionHash;
  try {
    await client.slowEcho({ text: "x" }, { timeout: 10 });
  } catch (err) {
    if (err instanceof JobCancelledError) outputs.push(err.message);
  }
  return [...outputs, ...seen, stage, String(rank), String(progress), final, String(cancelled), String(done), String(count), partial, String(words), cleared, first?.role ?? "", hash];
}

export async function hostile(client: Hostile): Promise<string> {
  const greeting: string = await client.greet({ new: "Ada", default: 3, delete: true });
  const [summary]: [string, JsonValue] = await client.pick({ constructor: "dog", hasOwnProperty: ["b"], toString: 5 });
  // (a literal leaving out optional inputs named like Object.prototype members, such as
  // constructor, does not type-check: TypeScript compares them with the inherited members)
  return greeting + summary;
}

export function make(): [Basics, Media, Chat] {
  const options: ClientOptions = { baseUrl: "http://127.0.0.1:7860", token: "hf_x", headers: { a: "b" }, timeout: 1000 };
  new Basics({ auth: ["user", "password"], sendEnvToken: true });
  return [new Basics(), new Media(options), new Chat({ timeout: null, token: null })];
}
