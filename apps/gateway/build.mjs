// Bundles the gateway into one ESM file for production. Packages with native code or WASM
// assets stay external and are installed next to the bundle: @node-rs/argon2 always, PGlite only
// where the embedded database is used (it is imported lazily, so a Postgres deployment omits it).
// pino is bundled: the gateway logs to stdout without transports, so no worker files are needed.
import { cp, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist");

await rm(dist, { recursive: true, force: true });
await build({
  entryPoints: [join(here, "src/main.ts")],
  outdir: dist,
  outExtension: { ".js": ".mjs" },
  // Code split: the embedded-database modules land in a chunk that is only loaded when used, so
  // their static imports of PGlite do not run in a deployment without it.
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: true,
  minifySyntax: true,
  external: ["@node-rs/argon2", "@electric-sql/pglite"],
  // Bundled CommonJS dependencies call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: "warning",
});
await cp(join(here, "../../packages/db/drizzle"), join(dist, "drizzle"), { recursive: true });
console.log("gateway bundle: dist/main.mjs (+ dist/drizzle migrations)");
