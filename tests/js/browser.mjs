// Opens one page in the system's chromium (Debian's /usr/bin/chromium, driven by
// puppeteer-core, which downloads no browser) and prints what the page reported.
//
//   node browser.mjs < request.json
//
// The request is {"page": url, "timeout": ms, "chromium": path}. The page sets
// `window.__results` when it is done (tests/js/browser_page.js); this prints
// {"results": ..., "console": [...], "errors": [...], "version": "Chrome/..."} as one line.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer from "puppeteer-core";

const request = JSON.parse(readFileSync(0, "utf-8"));
const profile = mkdtempSync(join(tmpdir(), "gradio-codegen-chromium-"));
const browser = await puppeteer.launch({
  executablePath: request.chromium ?? "/usr/bin/chromium",
  headless: true,
  userDataDir: profile,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
});
const consoleLines = [];
const errors = [];
try {
  const page = await browser.newPage();
  page.on("console", (msg) => consoleLines.push(`${msg.type()}: ${msg.text()}`));
  page.on("pageerror", (err) => errors.push(String(err)));
  await page.goto(request.page, { waitUntil: "load" });
  await page.waitForFunction(() => window.__results !== undefined, { timeout: request.timeout ?? 60_000 });
  const results = await page.evaluate(() => window.__results);
  const version = await browser.version();
  process.stdout.write(JSON.stringify({ results, console: consoleLines, errors, version }) + "\n");
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
