#!/usr/bin/env node
/**
 * First-load JavaScript per route of the last `next build`, gzipped: the chunks a browser must
 * fetch before a page is interactive. Read from the build's manifests: the root chunks every page
 * loads (`build-manifest.json`) plus each page's entry chunks — its layouts, loading, error and
 * not-found boundaries and the page itself (`page_client-reference-manifest.js`). Chunks loaded
 * later (`import()`, `next/dynamic` without SSR) are not counted.
 *
 *   pnpm --filter @nexo/web bundle:size                       every page
 *   pnpm --filter @nexo/web bundle:size /contacts --budget 250   one route; exit 1 above 250 KB
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { runInNewContext } from "node:vm";
import { gzipSync } from "node:zlib";

const nextDir = fileURLToPath(new URL("../.next/", import.meta.url));
const appDir = join(nextDir, "server", "app");

const args = process.argv.slice(2);
const budgetAt = args.indexOf("--budget");
const budgetKb = budgetAt >= 0 ? Number(args[budgetAt + 1]) : null;
const only = args.filter((arg, i) => !arg.startsWith("--") && !(budgetAt >= 0 && i === budgetAt + 1));
if (budgetAt >= 0 && !Number.isFinite(budgetKb)) {
  console.error("--budget takes a number of kilobytes, e.g. --budget 250");
  process.exit(2);
}
if (!existsSync(join(nextDir, "build-manifest.json")) || !existsSync(appDir)) {
  console.error("No build found: run `pnpm --filter @nexo/web build` first.");
  process.exit(2);
}

const buildManifest = JSON.parse(readFileSync(join(nextDir, "build-manifest.json"), "utf8"));
const rootFiles = buildManifest.rootMainFiles ?? [];

function* manifests(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* manifests(path);
    else if (entry.name === "page_client-reference-manifest.js") yield path;
  }
}

/** `server/app/(app)/contacts/page_client-reference-manifest.js` → `/contacts`. */
function routeOf(path) {
  const segments = relative(appDir, path)
    .split(sep)
    .slice(0, -1)
    .filter((segment) => !(segment.startsWith("(") && segment.endsWith(")")));
  return `/${segments.join("/")}`;
}

const gzipped = new Map();
function gzipSize(file) {
  let size = gzipped.get(file);
  if (size === undefined) {
    size = gzipSync(readFileSync(join(nextDir, file)), { level: 9 }).length;
    gzipped.set(file, size);
  }
  return size;
}

const rows = [];
for (const path of manifests(appDir)) {
  const route = routeOf(path);
  if (route === "/_global-error" || route === "/_not-found") continue;
  if (only.length > 0 && !only.includes(route)) continue;
  const sandbox = { globalThis: {} };
  sandbox.globalThis = sandbox;
  runInNewContext(readFileSync(path, "utf8"), sandbox);
  const files = new Set(rootFiles);
  for (const manifest of Object.values(sandbox.__RSC_MANIFEST ?? {})) {
    for (const chunks of Object.values(manifest.entryJSFiles ?? {})) {
      for (const chunk of chunks) if (chunk.endsWith(".js")) files.add(chunk);
    }
  }
  const bytes = [...files].reduce((sum, file) => sum + gzipSize(file), 0);
  rows.push({ route, bytes, files: files.size });
}

if (rows.length === 0) {
  console.error(only.length > 0 ? `No page found for ${only.join(", ")}.` : "No pages found in the build.");
  process.exit(2);
}

rows.sort((a, b) => a.route.localeCompare(b.route));
const kb = (bytes) => (bytes / 1024).toFixed(1);
const width = Math.max(...rows.map((row) => row.route.length), "Route".length);
console.log(`${"Route".padEnd(width)}  First-load JS (gzip)  Chunks`);
for (const row of rows) {
  console.log(`${row.route.padEnd(width)}  ${`${kb(row.bytes)} KB`.padStart(19)}  ${String(row.files).padStart(6)}`);
}

if (budgetKb !== null) {
  const over = rows.filter((row) => row.bytes / 1024 > budgetKb);
  for (const row of over) console.error(`${row.route} is over the ${budgetKb} KB budget: ${kb(row.bytes)} KB.`);
  process.exit(over.length > 0 ? 1 : 0);
}
