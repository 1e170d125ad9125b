// Misuses that tsc --strict must reject, each on its line marked "// wrong": proof that the
// generated declarations are real types, not `any`.

import { Client as Basics } from "basics-client";
import { Client as Chat } from "chat-client";
import { Client as Hostile } from "hostile-client";
import { Client as Media } from "media-client";

export async function misuse(b: Basics, m: Media, c: Chat, h: Hostile): Promise<void> {
  await b.greet({ name: 5 }); // wrong
  await b.greet({ name: "x", colour: "red" }); // wrong
  await b.greet({ intensity: 3 }); // wrong
  await b.greet(); // wrong
  await b.greet("Ada"); // wrong
  await b.calculate({ operation: "modulo" }); // wrong
  await b.pick({ many: ["purple"] }); // wrong
  await b.pick({ single: ["cat"] }); // wrong
  await b.class_({ self_: "abc" }); // wrong
  await b.close_({ extra: 1 }); // wrong
  await c.increment(5); // wrong
  const n: number = await b.greet({ name: "x" }); // wrong
  const s: string = await b.calculate(); // wrong
  const [x, y, z] = await b.pick(); // wrong
  const t: [string, string] = await m.imageInfo({ image: "a.png" }); // wrong
  await m.imageInfo({ image: 3.5 }); // wrong
  await m.filesCount({ files: "a.txt" }); // wrong
  await m.tableSum({ table: [[1, 2]] }); // wrong
  await b.greet({ name: "x" }, { timeout: "1s" }); // wrong
  await b.greet({ name: "x" }, { headers: { a: 1 } }); // wrong
  const bad = new Basics({ base_url: "http://x" }); // wrong
  new Basics({ auth: "user:password" }); // wrong
  new Basics({ auth: ["user"] }); // wrong
  new Basics({ sendEnvToken: "yes" }); // wrong
  await b.greet({ name: "x" }, { onMessage: (m: string) => m }); // wrong
  const level: "debug" = (await b.submitGreet({ name: "x" })).messages[0].level; // wrong
  const job = await c.submitCountUp();
  const k: number = await job.result(); // wrong
  for await (const out of job) out.toFixed(); // wrong
  await b.noSuchEndpoint(); // wrong
  await h.greet({ new: 5 }); // wrong
  await h.greet({ default: 3 }); // wrong
  await h.pick({ constructor: "fish" }); // wrong
  await h.pick({ toString: "3" }); // wrong
  void [n, s, x, y, z, t, bad, k];
}
