// Bundles the gateway into one ESM file for production. Packages with native code or WASM
// assets stay external and are installed next to the bundle.
import { cp, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist");

await rm(dist, { recursive: true, force: true });
await build({
  entryPoints: [join(here, "src/main.ts")],
  outfile: join(dist, "main.mjs"),
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: true,
  minifySyntax: true,
  external: ["@node-rs/argon2", "@electric-sql/pglite", "pino"],
  // Bundled CommonJS dependencies call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: "warning",
});
await cp(join(here, "../../packages/db/drizzle"), join(dist, "drizzle"), { recursive: true });
console.log("gateway bundle: dist/main.mjs (+ dist/drizzle migrations)");
