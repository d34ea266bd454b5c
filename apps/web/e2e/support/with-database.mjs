// Runs the gateway for an e2e run against state of its own, and removes that state afterwards:
//   node with-database.mjs <command> [args…]
// With DATABASE_URL: creates the database E2E_DATABASE_NAME on that server, points the command at
// it, and drops it once the command has exited (after its graceful shutdown, so no connection is
// cut mid-request). With REDIS_URL: deletes the keys under REDIS_KEY_PREFIX afterwards.
// Without DATABASE_URL the gateway uses its in-memory PGlite and there is nothing to create.
// A wrapper rather than Playwright's globalSetup: web servers start before globalSetup runs.
import { spawn } from "node:child_process";
import { Redis } from "ioredis";
import postgres from "postgres";

const [command, ...args] = process.argv.slice(2);
if (!command) throw new Error("usage: with-database.mjs <command> [args…]");

const baseUrl = process.env.DATABASE_URL || undefined;
const databaseName = process.env.E2E_DATABASE_NAME ?? "";
const redisUrl = process.env.REDIS_URL || undefined;
const redisPrefix = process.env.REDIS_KEY_PREFIX ?? "";

// Both names come from the Playwright config; anything else is refused rather than quoted.
if (baseUrl && !/^nexo_e2e_[a-z0-9_]{1,50}$/.test(databaseName)) {
  throw new Error(`E2E_DATABASE_NAME must look like nexo_e2e_<id>, got "${databaseName}"`);
}
if (redisUrl && !/^nexo-e2e:[\w-]{1,60}:$/.test(redisPrefix)) {
  throw new Error(`REDIS_KEY_PREFIX must look like nexo-e2e:<id>:, got "${redisPrefix}"`);
}

const env = { ...process.env };
const admin = baseUrl ? postgres(baseUrl, { max: 1, onnotice: () => {} }) : undefined;
if (admin) {
  await admin.unsafe(`create database "${databaseName}"`);
  const url = new URL(baseUrl);
  url.pathname = `/${databaseName}`;
  env.DATABASE_URL = url.toString();
  console.log(`e2e database ${databaseName} created`);
}

async function cleanUp() {
  if (admin) {
    await admin.unsafe(`drop database if exists "${databaseName}" with (force)`);
    await admin.end();
    console.log(`e2e database ${databaseName} dropped`);
  }
  if (redisUrl) {
    const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
    await redis.connect();
    let deleted = 0;
    for await (const keys of redis.scanStream({ match: `${redisPrefix}*`, count: 500 })) {
      if (keys.length > 0) deleted += await redis.unlink(...keys);
    }
    await redis.quit();
    console.log(`e2e redis keys under ${redisPrefix} deleted: ${deleted}`);
  }
}

const child = spawn(command, args, { stdio: "inherit", env });
// Playwright signals the whole process group; forwarding covers a signal sent to this process only.
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => child.kill(signal));
}
const exitCode = await new Promise((resolve) => {
  child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  child.on("error", (error) => {
    console.error(error);
    resolve(1);
  });
});

try {
  await cleanUp();
} catch (error) {
  console.error("e2e clean-up failed:", error);
  process.exitCode = 1;
}
process.exit(process.exitCode ?? exitCode);
