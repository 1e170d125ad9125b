// Typed use of the components app's client with real values: tsc --strict accepts it.
// Local files (paths, Blobs, bytes) sit at every depth; outputs are labelled tuples.

import { Client } from "__CLIENT__";
import type { AnnotatedImageData, EditorDataInput, FileData, GalleryImageInput } from "__CLIENT__";

export async function use(client: Client, image: string, bytes: Uint8Array<ArrayBuffer>): Promise<unknown[]> {
  const [doubled, summary] = await client.priceRange({ price: [100, 250] });
  const [low, high]: [number | null, number | null] = doubled;
  const spans: Array<[string, string | null]> = await client.highlight({ spans: [["hello", null]] });
  const [compared, sizes] = await client.slider({ pair: [image, new Blob([bytes])] });
  const url: string | null | undefined = compared?.[0]?.url;
  const [relabelled, count]: [AnnotatedImageData, number] = await client.annotate({
    value: { image: new Blob([bytes]), boxes: [{ xmin: 1, ymin: 1, xmax: 3, ymax: 3 }] },
  });
  const picture: FileData = relabelled.image;
  const canvas: EditorDataInput = { background: image, layers: [bytes] };
  const [flattened, layers] = await client.edit({ value: canvas });
  const [text, files] = await client.multimodal({ value: { text: "look", files: [image, new Blob([bytes])] } });
  const names = files.map((f) => f.orig_name);
  const items: GalleryImageInput[] = [{ image: bytes, caption: "first" }];
  const gallery = await client.gallery({ items });
  const chat = await client.chatFiles({ history: [], image });
  const role: string = chat[0].role;
  const turns = await client.mmChat({ history: [[{ text: "hi", files: [{ file: image }] }, null]], text: "hi", image });
  const [sameDocument, pages]: [FileData, number] = await client.pdfPages({ path: image });
  return [low, high, spans, sizes, url, count, picture, flattened, layers, text, names, gallery, role, turns, sameDocument, pages];
}
