// `next build` leaves static assets out of the standalone server (they are meant for a CDN);
// this copies them next to server.js so `.next/standalone` runs on its own, along with serve.mjs,
// the entry point that makes the client address trustworthy.
import { cp, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const app = join(dirname(fileURLToPath(import.meta.url)), "..");
const target = join(app, ".next/standalone/apps/web");

async function exists(path) {
  return stat(path).then(
    () => true,
    () => false,
  );
}

if (!(await exists(join(target, "server.js")))) {
  throw new Error(`No standalone server at ${target}: is output: "standalone" set in next.config.ts?`);
}
await cp(join(app, ".next/static"), join(target, ".next/static"), { recursive: true });
if (await exists(join(app, "public"))) {
  await cp(join(app, "public"), join(target, "public"), { recursive: true });
}
await cp(join(app, "scripts/serve.mjs"), join(target, "serve.mjs"));
await cp(join(app, "scripts/outside-requests.mjs"), join(target, "outside-requests.mjs"));
console.log("standalone server ready: node .next/standalone/apps/web/serve.mjs");
