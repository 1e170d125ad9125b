// What the components app's client types must reject (each line marked "// wrong").

import { Client } from "__CLIENT__";

export async function misuse(client: Client): Promise<void> {
  await client.priceRange({ price: ["cheap"] }); // wrong
  (await client.annotate({ value: { image: "cat.png" } }))[0].image.toUpperCase(); // wrong
  await client.multimodal({ value: { text: "x", files: [123] } }); // wrong
  await client.annotate({ value: { image: "cat.png", boxes: [], colour: "red" } }); // wrong
  await client.gallery({ items: [{ image: "a.png", title: "x" }] }); // wrong
  await client.highlight({ spans: [["hello", null, "extra"]] }); // wrong
  (await client.pdfPages({ path: "a.pdf" }))[2]; // wrong
}
