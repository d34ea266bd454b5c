import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { type IncomingMessage, request } from "node:http";
import { contacts, eq, sql } from "@nexo/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_URL, browserClient, startTestGateway } from "./test-gateway";

let gw: Awaited<ReturnType<typeof startTestGateway>>;
type Browser = ReturnType<typeof browserClient>;
let alice: Browser & { orgId: string };
let bob: Browser & { orgId: string };

async function signUp(name: string) {
  const b = browserClient(gw.url);
  const me = await b.client.auth.register.mutate({
    name,
    email: `${crypto.randomUUID()}@example.com`,
    password: "correct horse battery staple",
    organizationName: `${name} Org`,
  });
  return { ...b, orgId: me.organization.id };
}

function upload(who: Browser, path: string, body: string | Buffer, headers: Record<string, string> = {}) {
  return fetch(`${gw.url}${path}`, {
    method: "POST",
    body,
    headers: { cookie: who.jar.cookie, origin: APP_URL, "content-type": "text/csv", ...headers },
  });
}

beforeAll(async () => {
  gw = await startTestGateway({ maxImportBytes: 256 * 1024 });
  alice = await signUp("Alice");
  bob = await signUp("Bob");
});
afterAll(async () => {
  await gw?.stop();
});

describe("POST /import/:kind", () => {
  it("imports a CSV, shows progress through crm.imports and serves the error report", async () => {
    const csv =
      "First name,Last name,Email\nAda,Lovelace,ada@example.com\nGrace,Hopper,not-an-email\n=1+1,Calc,calc@example.com\n";
    const res = await upload(alice, "/import/contacts", csv);
    expect(res.status).toBe(200);
    const { job } = (await res.json()) as { job: { id: string; inserted: number; failed: number; status: string } };
    expect(job).toMatchObject({ inserted: 2, failed: 1, status: "completed" });
    expect(await alice.client.crm.imports.get.query({ id: job.id })).toMatchObject({ committedThroughRow: 3 });

    const report = await fetch(`${gw.url}/import/${job.id}/errors.csv`, { headers: { cookie: alice.jar.cookie } });
    expect(report.headers.get("content-type")).toMatch(/text\/csv/);
    // Read as bytes: text() would drop the byte order mark that spreadsheet programs need.
    expect(Buffer.from(await report.arrayBuffer()).toString("utf8")).toBe(
      "\ufeffRow,Error,First name,Last name,Email\r\n2,email: Enter a valid email address.,Grace,Hopper,not-an-email\r\n",
    );
    const foreign = await fetch(`${gw.url}/import/${job.id}/errors.csv`, { headers: { cookie: bob.jar.cookie } });
    expect(foreign.status).toBe(404);
    // The id in upper case is the same import; 36 characters that are no id are not found.
    const upper = await fetch(`${gw.url}/import/${job.id.toUpperCase()}/errors.csv`, {
      headers: { cookie: alice.jar.cookie },
    });
    expect(upper.status).toBe(200);
    for (const id of ["a".repeat(36), "-".repeat(36), `${job.id.slice(0, 35)}-`]) {
      const bad = await fetch(`${gw.url}/import/${id}/errors.csv`, { headers: { cookie: alice.jar.cookie } });
      expect(bad.status, id).toBe(404);
    }
  });

  it("previews a dry run with mapping overrides and per-row errors, writing nothing", async () => {
    const mapping = encodeURIComponent(JSON.stringify({ Vorname: "firstName", Notiz: null }));
    const res = await upload(
      alice,
      `/import/contacts?dryRun=true&dedupe=update&previewRows=2&mapping=${mapping}`,
      "Vorname,E-Mail,Notiz\nAda,ada@example.com,x\n,b@example.com,y\nNot,previewed@example.com,z\n",
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { rows: { row: number; action: string }[]; errors: { row: number }[] };
    expect(body.rows).toMatchObject([{ row: 1, action: "update" }]);
    expect(body.errors).toMatchObject([{ row: 2 }]);
    const all = await alice.client.crm.contacts.list.query({});
    expect(all.items).toHaveLength(2);

    // The preview stops reading early; the rest of a larger upload is drained, so the answer arrives.
    const rows = Array.from({ length: 5000 }, (_, i) => `P${i},p${i}@example.com\n`).join("");
    const large = await upload(alice, "/import/contacts?dryRun=1&previewRows=10", `First name,Email\n${rows}`);
    expect(large.status).toBe(200);
    expect(((await large.json()) as { rows: unknown[] }).rows).toHaveLength(10);

    // An upload still being sent gets its preview at once, whole, with the connection to be closed
    // after the rest is drained (the header set before the answer, not after it).
    const open = request({
      host: "127.0.0.1",
      port: new URL(gw.url).port,
      path: "/import/contacts?dryRun=1&previewRows=10",
      method: "POST",
      headers: { cookie: alice.jar.cookie, origin: APP_URL, "content-type": "text/csv" },
    });
    open.on("error", () => {});
    open.write(`First name,Email\n${rows}`);
    const [answer] = (await once(open, "response")) as [IncomingMessage];
    let text = "";
    for await (const chunk of answer) text += chunk;
    expect(answer.statusCode).toBe(200);
    expect(answer.headers.connection).toBe("close");
    expect((JSON.parse(text) as { rows: unknown[] }).rows).toHaveLength(10);
    open.destroy();
    expect(gw.logLines.join("")).not.toContain("csv response cut short");
  });

  it("answers bad files, bad options and bad callers with a clear 4xx", async () => {
    const cases: [string, Promise<Response>, number, RegExp][] = [
      ["latin-1", upload(alice, "/import/contacts", Buffer.from("First name\nJos\xe9\n", "latin1")), 400, /UTF-8/],
      ["ragged", upload(alice, "/import/contacts", "First name,Email\nA,a@x.io,extra\n"), 400, /misaligned/],
      ["no header", upload(alice, "/import/contacts", "Ada,ada@example.com\n"), 400, /header/],
      ["garbage", upload(alice, "/import/contacts", randomBytes(100_000)), 400, /binary|UTF-8/],
      ["too big", upload(alice, "/import/contacts", `First name\n${"a\n".repeat(200_000)}`), 413, /larger/],
      [
        "multipart",
        upload(alice, "/import/contacts", "x", { "content-type": "multipart/form-data; boundary=x" }),
        415,
        /body/,
      ],
      ["dedupe", upload(alice, "/import/contacts?dedupe=merge", "First name\nA\n"), 400, /dedupe/],
      ["mapping", upload(alice, "/import/contacts?mapping=%7Bnope", "First name\nA\n"), 400, /mapping/],
      [
        "cross-site",
        upload(alice, "/import/contacts", "First name\nA\n", { origin: "https://evil.example" }),
        403,
        /Cross-site/,
      ],
      ["signed out", fetch(`${gw.url}/import/contacts`, { method: "POST", body: "First name\nA\n" }), 401, /sign in/],
    ];
    for (const [label, pending, status, message] of cases) {
      const res = await pending;
      expect(res.status, label).toBe(status);
      const body = (await res.json()) as { error: { message: string } };
      expect(body.error.message, label).toMatch(message);
    }
  });

  it("a connection cut mid-upload leaves whole batches only, and the job reports them", async () => {
    const carol = await signUp("Carol");
    const port = new URL(gw.url).port;
    const req = request({
      host: "127.0.0.1",
      port,
      path: "/import/contacts",
      method: "POST",
      headers: { cookie: carol.jar.cookie, origin: APP_URL, "content-type": "text/csv" },
    });
    req.on("error", () => {});
    req.write("First name,Email\n");
    for (let i = 1; i <= 2500; i++) req.write(`P${i},p${i}@example.com\n`);
    // Progress is observable while the upload runs: wait for the first committed batch, then cut.
    let job = (await carol.client.crm.imports.list.query({})).items[0];
    while (!job || job.committedThroughRow < 1000) job = (await carol.client.crm.imports.list.query({})).items[0];
    req.destroy();
    while (job.status === "running") job = await carol.client.crm.imports.get.query({ id: job.id });
    expect(job).toMatchObject({ status: "failed", message: "The upload was interrupted." });
    expect(job.committedThroughRow % 1000).toBe(0);
    const rows = await gw.db.db.select({ id: contacts.id }).from(contacts).where(eq(contacts.orgId, carol.orgId));
    expect(rows.length).toBe(job.inserted);
    expect(rows.length).toBe(job.committedThroughRow);
  });
});

describe("statistics after an import", () => {
  /** The contacts the planner's statistics count, and those there are. */
  async function contactCounts() {
    const [row] = await gw.db.db
      .select({ rows: sql<number>`reltuples::float8` })
      .from(sql`pg_class`)
      .where(sql`oid = 'contacts'::regclass`);
    const actual = (await gw.db.db.select({ id: contacts.id }).from(contacts)).length;
    return { counted: Number(row?.rows), actual };
  }

  it("a large import leaves the planner's statistics counting its rows", async () => {
    await gw.db.db.execute(sql`analyze contacts`);
    const before = await contactCounts();
    expect(before.counted).toBe(before.actual);
    const rows = Array.from({ length: 1500 }, (_, i) => `Row${i},Stats,stats-${i}@example.com`);
    const res = await upload(alice, "/import/contacts", `First name,Last name,Email\n${rows.join("\n")}\n`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { job: { inserted: number } }).job.inserted).toBe(1500);
    expect(await contactCounts()).toEqual({ counted: before.actual + 1500, actual: before.actual + 1500 });
  });

  it("so does one that a bad row stops after its first batch went in", async () => {
    await gw.db.db.execute(sql`analyze contacts`);
    const rows = Array.from({ length: 1500 }, (_, i) => `Row${i},Partial,partial-${i}@example.com`);
    const res = await upload(
      alice,
      "/import/contacts",
      `First name,Last name,Email\n${rows.join("\n")}\n"broken,row\n`,
    );
    expect(res.status).toBe(400);
    const { job } = (await res.json()) as { job: { inserted: number; status: string } };
    expect(job).toMatchObject({ inserted: 1000, status: "failed" });
    const after = await contactCounts();
    expect(after.counted).toBe(after.actual);
  });
});

describe("tags and custom fields over HTTP", () => {
  it("imports them, reports bad values per row (never a 500) and lets the uploader follow the job", async () => {
    const dave = await signUp("Dave");
    await dave.client.crm.customFields.create.mutate({
      entityType: "contact",
      key: "tier",
      label: "Tier",
      type: "select",
      options: ["Gold", "Silver"],
    });
    await dave.client.crm.customFields.create.mutate({
      entityType: "contact",
      key: "seats",
      label: "Seats",
      type: "number",
    });
    expect(await dave.client.crm.imports.fields.query({ kind: "contacts" })).toMatchObject({
      maxBytes: 256 * 1024,
      targets: expect.arrayContaining([
        expect.objectContaining({ name: "firstName", required: true }),
        expect.objectContaining({ name: "tags", label: "Tags" }),
        expect.objectContaining({
          name: "customFields.tier",
          label: "Tier",
          customField: expect.objectContaining({ type: "select" }),
        }),
      ]),
    });
    const csv = "First name,Tags,Tier,Seats\nAda,VIP; Beta,gold,3\nBob,,Bronze,x\n";

    const preview = await upload(dave, "/import/contacts?dryRun=1", csv);
    expect(preview.status).toBe(200);
    const body = (await preview.json()) as {
      rows: { tags: string[]; customFields: Record<string, unknown> }[];
      errors: { row: number; issues: { field: string }[] }[];
    };
    expect(body.rows).toMatchObject([{ tags: ["VIP", "Beta"], customFields: { tier: "Gold", seats: 3 } }]);
    expect(body.errors).toMatchObject([
      { row: 2, issues: [{ field: "customFields.tier" }, { field: "customFields.seats" }] },
    ]);

    const res = await upload(dave, "/import/contacts?uploadId=wizard-upload-1", csv);
    expect(res.status).toBe(200);
    const { job } = (await res.json()) as { job: { id: string } };
    const found = await dave.client.crm.imports.list.query({ uploadId: "wizard-upload-1" });
    expect(found.items).toMatchObject([{ id: job.id, inserted: 1, failed: 1, batchSize: 1000 }]);
    expect((await dave.client.crm.imports.list.query({ uploadId: "another-upload" })).items).toEqual([]);
    expect((await alice.client.crm.imports.list.query({ uploadId: "wizard-upload-1" })).items).toEqual([]);

    const [ada] = (await dave.client.crm.contacts.list.query({})).items;
    expect(ada?.tags.map((t) => t.name).sort()).toEqual(["Beta", "VIP"]);
    expect(ada?.customFields).toEqual({ tier: "Gold", seats: 3 });
    const report = await fetch(`${gw.url}/import/${job.id}/errors.csv`, { headers: { cookie: dave.jar.cookie } });
    expect(await report.text()).toContain(
      '2,"customFields.tier: Choose one of: Gold, Silver.; customFields.seats: Expected a number like 1234.5.",Bob,,Bronze,x',
    );

    const exported = await fetch(`${gw.url}/export/contacts.csv`, { headers: { cookie: dave.jar.cookie } });
    const lines = (await exported.text()).trim().split("\r\n");
    expect(lines[0]).toMatch(/,Tags,.*,Tier,Seats$/);
    expect(lines[1]).toMatch(/,Beta; VIP,.*,Gold,3$/);
  });
});

describe("GET /export/:kind.csv", () => {
  it("streams the filtered list of the caller's organization, escaped and defused", async () => {
    await bob.client.crm.contacts.create.mutate({ firstName: "Bobs", lastName: "Secret", lifecycleStage: "customer" });
    await alice.client.crm.contacts.create.mutate({
      firstName: "Cust",
      lastName: 'A "quoted", name',
      lifecycleStage: "customer",
    });
    const res = await fetch(`${gw.url}/export/contacts.csv?lifecycleStage=customer`, {
      headers: { cookie: alice.jar.cookie },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="contacts-/);
    const text = await res.text();
    const lines = text.trim().split("\r\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('Cust,"A ""quoted"", name"');
    expect(text).not.toContain("Secret");

    const all = await (await fetch(`${gw.url}/export/contacts.csv`, { headers: { cookie: alice.jar.cookie } })).text();
    expect(all).toContain("'=1+1");
    expect(all).not.toContain(",=1+1");

    const bad = await fetch(`${gw.url}/export/contacts.csv?lifecycleStage=alien`, {
      headers: { cookie: alice.jar.cookie },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/lifecycleStage/);
    // A misspelt filter, or a range end other than from/to, is refused rather than dropped.
    for (const query of ["lifecyclestage=customer", "createdAt.since=2025-01-01", "cursor=x", "industry=Energy"]) {
      const misspelt = await fetch(`${gw.url}/export/contacts.csv?${query}`, { headers: { cookie: alice.jar.cookie } });
      expect(misspelt.status, query).toBe(400);
      expect(((await misspelt.json()) as { error: { message: string } }).error.message).toMatch(/^Unknown filter “/);
    }
    const ranged = await fetch(`${gw.url}/export/contacts.csv?createdAt.from=2000-01-01&sort=name`, {
      headers: { cookie: alice.jar.cookie },
    });
    expect(ranged.status).toBe(200);
    await ranged.body?.cancel();
    const anonymous = await fetch(`${gw.url}/export/deals.csv`);
    expect(anonymous.status).toBe(401);
  });

  it("takes a typed custom field filter as JSON", async () => {
    await alice.client.crm.customFields.create.mutate({
      entityType: "contact",
      key: "seats",
      label: "Seats",
      type: "number",
    });
    await alice.client.crm.contacts.create.mutate({ firstName: "Small", lastName: "Team", customFields: { seats: 3 } });
    await alice.client.crm.contacts.create.mutate({
      firstName: "Large",
      lastName: "Team",
      customFields: { seats: 40 },
    });
    const exportWith = (customField: string) =>
      fetch(`${gw.url}/export/contacts.csv?customField=${encodeURIComponent(customField)}`, {
        headers: { cookie: alice.jar.cookie },
      });
    const res = await exportWith(JSON.stringify({ key: "seats", op: "gt", value: 10 }));
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain("Large,Team");
    expect(text).not.toContain("Small,Team");
    const broken = await exportWith("{seats");
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error: { message: string } }).error.message).toMatch(/customField must be JSON/);
  });
});
