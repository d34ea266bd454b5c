// A loopback TCP proxy in front of Postgres that records what its clients execute, read off the
// wire protocol: simple queries, and each Execute of the extended protocol with the statement text
// (from Parse, also when a prepared statement is reused by name) and its text-format parameters
// (from Bind). The bench points a gateway at it to learn the exact SQL a procedure issues, then
// replays that SQL with pgbench.
import { once } from "node:events";
import { createConnection, createServer, type Socket } from "node:net";

export interface CapturedStatement {
  sql: string;
  /** Text-format parameter values ($1, $2, …); null is SQL NULL. */
  params: (string | null)[];
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

/** Splits a client's byte stream into protocol messages and reports each Execute / Query. */
function clientParser(onStatement: (statement: CapturedStatement) => void) {
  let buffer = Buffer.alloc(0);
  let startup = true;
  const prepared = new Map<string, string>();
  const portals = new Map<string, CapturedStatement>();

  const cString = (body: Buffer, at: number): [string, number] => {
    const end = body.indexOf(0, at);
    return [body.toString("utf8", at, end), end + 1];
  };

  function message(type: string, body: Buffer) {
    if (type === "Q") {
      onStatement({ sql: cString(body, 0)[0], params: [] });
    } else if (type === "P") {
      const [name, next] = cString(body, 0);
      prepared.set(name, cString(body, next)[0]);
    } else if (type === "B") {
      const [portal, afterPortal] = cString(body, 0);
      const [statement, afterStatement] = cString(body, afterPortal);
      let at = afterStatement;
      const formatCount = body.readInt16BE(at);
      at += 2;
      const formats: number[] = [];
      for (let i = 0; i < formatCount; i++, at += 2) formats.push(body.readInt16BE(at));
      const paramCount = body.readInt16BE(at);
      at += 2;
      const params: (string | null)[] = [];
      for (let i = 0; i < paramCount; i++) {
        const length = body.readInt32BE(at);
        at += 4;
        if (length === -1) {
          params.push(null);
          continue;
        }
        const format = formats.length === 1 ? formats[0] : (formats[i] ?? 0);
        if (format !== 0)
          throw new Error(`parameter $${i + 1} is sent in binary; only text parameters can be replayed`);
        params.push(body.toString("utf8", at, at + length));
        at += length;
      }
      portals.set(portal, { sql: prepared.get(statement) ?? "", params });
    } else if (type === "E") {
      const bound = portals.get(cString(body, 0)[0]);
      if (bound) onStatement(bound);
    }
  }

  return (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      if (startup) {
        if (buffer.length < 8) return;
        const length = buffer.readInt32BE(0);
        if (buffer.length < length) return;
        const code = buffer.readInt32BE(4);
        buffer = buffer.subarray(length);
        // An SSL or GSS request is answered before the real startup message follows.
        if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) startup = false;
        continue;
      }
      if (buffer.length < 5) return;
      const length = buffer.readInt32BE(1);
      if (buffer.length < 1 + length) return;
      message(String.fromCharCode(buffer[0] as number), buffer.subarray(5, 1 + length));
      buffer = buffer.subarray(1 + length);
    }
  };
}

export async function startSqlCapture(target: { host: string; port: number }) {
  let recording: CapturedStatement[] | null = null;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection(target);
    sockets.add(client).add(upstream);
    const parse = clientParser((statement) => recording?.push(statement));
    client.on("data", (chunk: Buffer) => {
      parse(chunk);
      upstream.write(chunk);
    });
    upstream.pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("close", close).on("error", close);
    upstream.on("close", close).on("error", close);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  return {
    port,
    /** Statements executed (by any client) while `work` runs. */
    async record(work: () => Promise<unknown>): Promise<CapturedStatement[]> {
      recording = [];
      try {
        await work();
        return recording;
      } finally {
        recording = null;
      }
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, "close");
    },
  };
}

/**
 * The statement without its `-- …` comments (outside quotes), which would hide the rest once it is on
 * one line. Dollar quoting, block comments and E'' strings are refused rather than half understood.
 */
function withoutLineComments(sql: string): string {
  if (/\$\w*\$|\/\*|\bE'/i.test(sql)) {
    throw new Error("a captured statement uses dollar quoting, a block comment or an E'' string: not replayable");
  }
  let out = "";
  let quote: string | null = null;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i] as string;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === "-" && sql[i + 1] === "-") {
      while (i < sql.length && sql[i] !== "\n") i++;
      out += "\n";
      continue;
    }
    out += c;
  }
  return out;
}

/**
 * A pgbench script replaying `statements` in order as one transaction of pgbench's: parameters
 * become pgbench variables (`-D`, named from `prefix` so that several scripts can run together), so
 * with `-M prepared` they travel as bind parameters, as the gateway sends them; NULLs are written inline.
 */
export function pgbenchScript(statements: CapturedStatement[], prefix = ""): { script: string; defines: string[] } {
  const defines: string[] = [];
  const lines = statements.map((statement, s) => {
    const text = withoutLineComments(statement.sql);
    if (text.includes(";")) throw new Error("a captured statement contains ';', which pgbench would split");
    const sql = text.replace(/\$(\d+)/g, (_, n: string) => {
      const value = statement.params[Number(n) - 1];
      if (value === null || value === undefined) return "NULL";
      const name = `${prefix}s${s}p${n}`;
      defines.push(`${name}=${value}`);
      return `:${name}`;
    });
    return `${sql.replace(/\s+/g, " ").trim()};`;
  });
  return { script: `${lines.join("\n")}\n`, defines };
}
