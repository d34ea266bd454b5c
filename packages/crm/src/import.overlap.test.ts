import { Readable } from "node:stream";
import { contacts, type Db, type DbHandle, eq, importJobs, recordHistory } from "@nexo/db";
import { createTestDb } from "@nexo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImportAbortedError, type ImportOptions, importOptions, runImport } from "./import.run";
import { signedInCaller } from "./test-context";

type Signed = Awaited<ReturnType<typeof signedInCaller>>;

let handle: DbHandle;

const opts = (o: Partial<ImportOptions> = {}) => importOptions.parse(o);
const source = (text: string) => ({ body: Readable.from([Buffer.from(text)]), maxBytes: 1024 * 1024 });
const actorOf = (s: Signed) => ({ orgId: s.org.id, userId: s.user.id, role: "owner" as const });

async function signedInWithFields(name: string) {
  const s = await signedInCaller(handle.db, name);
  const crm = s.caller.crm.customFields;
  await crm.create({ entityType: "contact", key: "seats", label: "Seats", type: "number" });
  await crm.create({ entityType: "contact", key: "tier", label: "Tier", type: "select", options: ["Gold", "Silver"] });
  await crm.create({ entityType: "contact", key: "renewal", label: "Renewal", type: "date" });
  await crm.create({
    entityType: "contact",
    key: "channels",
    label: "Channels",
    type: "multi_select",
    options: ["Email", "Phone"],
  });
  await crm.create({ entityType: "contact", key: "vip", label: "VIP", type: "checkbox" });
  await crm.create({ entityType: "contact", key: "source", label: "Source", type: "text" });
  await s.caller.crm.tags.create({ name: "Customer" });
  return s;
}

/** What an import left in an organization, independent of ids and order of writing. */
async function snapshot(s: Signed) {
  const page = await s.caller.crm.contacts.list({ limit: 100, sort: "oldest" });
  const history = await handle.db
    .select({ entityId: recordHistory.entityId, field: recordHistory.field })
    .from(recordHistory)
    .where(eq(recordHistory.orgId, s.org.id));
  return {
    contacts: page.items.map((c) => ({
      firstName: c.firstName,
      lastName: c.lastName,
      email: c.email,
      phone: c.phone,
      jobTitle: c.jobTitle,
      lifecycleStage: c.lifecycleStage,
      tags: c.tags.map((t) => t.name).sort(),
      customFields: c.customFields,
      history: history.filter((h) => h.entityId === c.id).map((h) => h.field),
    })),
    tags: (await s.caller.crm.tags.list()).map((t) => t.name).sort(),
  };
}

const csv = [
  "First name,Last name,Email,Phone,Job title,Lifecycle stage,Tags,Seats,Tier,Renewal,Channels,VIP,Source",
  'Ada,Lovelace,ada@example.com,+44 1,Engineer,customer,Customer; Wave 1,5,Gold,2026-03-01,Email;Phone,yes,"say ""hi"""',
  "Bob,,bob@example.com,,,lead,wave 1,1e3,,,,no,C:\\temp\\",
  "Cy,Clark,,+1 555,Buyer,,,,Silver,,,,",
  'Dee,Dane,dee@example.com,,,prospect,New; Customer,7,,,Email,,"{a,b}"',
  "Eve,Ekman,not-an-email,,,,,,,,,,",
  "Fay,Fox,fay@example.com,,Head of \\ Sales,,new,0,Gold,2027-01-31,,1,NULL",
  "Gus,Gray,gus@example.com,,,churned,,,,,,,",
  "Hal,,hal@example.com,,,,Wave 1; Late,2,,,Phone,false,",
  "Ida,Ives,ida@example.com,,,,,,,,,,",
].join("\n");

let one: Signed;
let two: Signed;

beforeAll(async () => {
  handle = await createTestDb();
  one = await signedInWithFields("Overlap One");
  two = await signedInWithFields("Overlap Two");
});
afterAll(async () => {
  await handle?.close();
});

describe("import batches written while the previous one commits", () => {
  it("leave the same records, tags, values and history as batches written one after another", async () => {
    const serial = await runImport(handle.db, actorOf(one), "contacts", source(csv), opts(), { batchSize: 2 });
    const overlapped = await runImport(handle.db, actorOf(two), "contacts", source(csv), opts(), {
      batchSize: 2,
      overlap: true,
    });
    if (serial.dryRun || overlapped.dryRun) throw new Error("not a dry run");
    const counts = (job: typeof serial.job) => [job.status, job.inserted, job.failed, job.committedThroughRow];
    expect(counts(serial.job)).toEqual(["completed", 8, 1, 9]);
    expect(counts(overlapped.job)).toEqual(counts(serial.job));
    expect(overlapped.job.errors).toEqual(serial.job.errors);
    const expected = await snapshot(one);
    expect(await snapshot(two)).toEqual(expected);
    // Values with quotes, backslashes, braces and the word NULL go in as they were written.
    expect(expected.contacts.map((c) => c.customFields.source ?? null)).toEqual([
      'say "hi"',
      "C:\\temp\\",
      null,
      "{a,b}",
      "NULL",
      null,
      null,
      null,
    ]);
    expect(expected.contacts.find((c) => c.firstName === "Fay")?.jobTitle).toBe("Head of \\ Sales");
    expect(expected.contacts.every((c) => c.history.join() === "created")).toBe(true);
    expect(expected.tags).toEqual(["Customer", "Late", "New", "Wave 1"]);
  });

  it("dedupes against the previous batch: a repeat waits for it to commit", async () => {
    const s = await signedInWithFields("Overlap Dedupe");
    const file = [
      "First name,Email,Seats",
      "Ann,ann@example.com,1",
      "Ben,ben@example.com,2",
      "Ann again,ann@example.com,3",
      "Cat,cat@example.com,4",
      "Ben again,BEN@example.com,5",
      "Dan,dan@example.com,6",
    ].join("\n");
    const skipped = await runImport(handle.db, actorOf(s), "contacts", source(file), opts({ dedupe: "skip" }), {
      batchSize: 2,
      overlap: true,
    });
    if (skipped.dryRun) throw new Error("not a dry run");
    expect(skipped.job).toMatchObject({ inserted: 4, skipped: 2, failed: 0 });
    const updated = await runImport(handle.db, actorOf(s), "contacts", source(file), opts({ dedupe: "update" }), {
      batchSize: 2,
      overlap: true,
    });
    if (updated.dryRun) throw new Error("not a dry run");
    expect(updated.job).toMatchObject({ inserted: 0, updated: 6, failed: 0 });
    const list = (await s.caller.crm.contacts.list({ limit: 100, sort: "oldest" })).items;
    expect(list.map((c) => [c.firstName, c.customFields.seats])).toEqual([
      ["Ann again", 3],
      ["Ben again", 5],
      ["Cat", 4],
      ["Dan", 6],
    ]);
  });

  it("a batch that fails rolls back the one written after it; the job names the rows that are in", async (ctx) => {
    // PGlite runs one transaction at a time: two never overlap there.
    if (handle.kind !== "postgres") ctx.skip();
    const s = await signedInWithFields("Overlap Failure");
    let calls = 0;
    let thirdStarted = () => {};
    const third = new Promise<void>((resolve) => {
      thirdStarted = resolve;
    });
    // The second batch's transaction fails once it has written everything, after the third has begun.
    const db = Object.create(handle.db) as Db;
    db.transaction = ((fn: (tx: unknown) => Promise<unknown>) =>
      handle.db.transaction(async (tx) => {
        calls += 1;
        const call = calls;
        if (call === 3) thirdStarted();
        const result = await fn(tx);
        if (call === 2) {
          await third;
          throw new Error("connection lost");
        }
        return result;
      })) as Db["transaction"];
    const file = ["First name,Email,Tags", ...Array.from({ length: 8 }, (_, i) => `P${i + 1},p${i + 1}@x.example,T`)];
    const error = await runImport(db, actorOf(s), "contacts", source(file.join("\n")), opts(), {
      batchSize: 2,
      overlap: true,
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ImportAbortedError);
    expect(calls).toBeGreaterThanOrEqual(3);
    const [job] = await handle.db.select().from(importJobs).where(eq(importJobs.orgId, s.org.id));
    expect(job).toMatchObject({ status: "failed", committedThroughRow: 2, inserted: 2 });
    const names = await handle.db
      .select({ n: contacts.firstName })
      .from(contacts)
      .where(eq(contacts.orgId, s.org.id))
      .orderBy(contacts.firstName);
    expect(names.map((r) => r.n)).toEqual(["P1", "P2"]);
  });
});
