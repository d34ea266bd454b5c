// A reference for `pnpm bench`: the least a Node server can do to answer a procedure. It runs the
// SQL the gateway was seen to send for it (captured off the wire, as pgbench replays it) through the
// same driver and pool size, and answers with those rows as JSON, over node:http. A procedure
// loaded through several paths (search's terms) was captured once per path: `GET /<i>` runs the
// statements of path i.
// No tRPC, no session, no validation, no query builder, no logging. The gap between this and the
// gateway is what the gateway's own layers cost; the gap between this and pgbench is what any Node
// server in front of Postgres costs on this machine.
//   BARE_STATEMENTS=<file with CapturedStatement[][] as JSON> DATABASE_URL=… PORT=… node --import tsx bare-server.ts
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import postgres from "postgres";
import type { CapturedStatement } from "./sql-capture";

const sequences = JSON.parse(readFileSync(process.env.BARE_STATEMENTS ?? "", "utf8")) as CapturedStatement[][];
const sql = postgres(process.env.DATABASE_URL ?? "", { max: Number(process.env.POOL_SIZE ?? 10), onnotice: () => {} });

const server = createServer(async (req, res) => {
  if (req.url === "/readyz") {
    res.writeHead(200).end();
    return;
  }
  const statements = sequences[Number(req.url?.slice(1))];
  if (!statements) {
    res.writeHead(404).end();
    return;
  }
  try {
    const results: unknown[] = [];
    for (const statement of statements) {
      results.push(await sql.unsafe(statement.sql, statement.params, { prepare: true }));
    }
    const body = JSON.stringify({ result: { data: results } });
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  } catch (error) {
    res.writeHead(500, { "content-type": "text/plain" }).end(String(error));
  }
});
server.listen(Number(process.env.PORT), "127.0.0.1");
process.on("SIGTERM", () => {
  server.close();
  void sql.end({ timeout: 5 }).then(() => process.exit(0));
});
