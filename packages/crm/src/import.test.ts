import { Readable } from "node:stream";
import {
  and,
  companies,
  contacts,
  type DbHandle,
  deals,
  eq,
  importJobs,
  isNull,
  organizations,
  recordHistory,
  sql,
} from "@nexo/db";
import { createTestDb } from "@nexo/db/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseAmount } from "./import.fields";
import { ImportAbortedError, ImportFileError, type ImportOptions, importOptions, runImport } from "./import.run";
import { ANALYZE_MIN_ROWS, refreshStatisticsAfterImport } from "./import.statistics";
import { signedInCaller } from "./test-context";
import { holdOpen, sessionsWaitingForLocks } from "./test-helpers";

let handle: DbHandle;
let actor: { orgId: string; userId: string; role: "owner" };
let caller: Awaited<ReturnType<typeof signedInCaller>>["caller"];

const opts = (o: Partial<ImportOptions> = {}) => importOptions.parse(o);
const source = (text: string | Buffer) => ({ body: Readable.from([Buffer.from(text)]), maxBytes: 1024 * 1024 });

async function contactCount(orgId = actor.orgId) {
  const rows = await handle.db
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.orgId, orgId), isNull(contacts.deletedAt)));
  return rows.length;
}

async function fileError(promise: Promise<unknown>): Promise<ImportFileError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImportFileError);
  return error as ImportFileError;
}

beforeAll(async () => {
  handle = await createTestDb();
  const signedIn = await signedInCaller(handle.db, "Import Org");
  actor = { orgId: signedIn.org.id, userId: signedIn.user.id, role: "owner" };
  caller = signedIn.caller;
});
afterAll(async () => {
  await handle?.close();
});

describe("CSV import", () => {
  it("imports contacts with auto-mapped headers, links companies by name and records history", async () => {
    await caller.crm.companies.create({ name: "Acme GmbH", domain: "acme.example" });
    const csv =
      "First Name,Last Name,E-mail,Company,Job Title,Ignored\n" +
      "Ada,Lovelace,ADA@example.com,acme gmbh,Engineer,x\n" +
      '"Grace ""Amazing""",Hopper,grace@example.com,,"Rear Admiral, USN",y\n';
    const result = await runImport(handle.db, actor, "contacts", source(csv), opts());
    if (result.dryRun) throw new Error("not a dry run");
    expect(result.job).toMatchObject({ status: "completed", inserted: 2, failed: 0, committedThroughRow: 2 });
    const rows = await handle.db.select().from(contacts).where(eq(contacts.orgId, actor.orgId)).orderBy(contacts.id);
    expect(rows.map((r) => [r.firstName, r.email, r.jobTitle, r.companyId !== null])).toEqual([
      ["Ada", "ada@example.com", "Engineer", true],
      ['Grace "Amazing"', "grace@example.com", "Rear Admiral, USN", false],
    ]);
    const created = await handle.db.select().from(recordHistory).where(eq(recordHistory.entityId, rows[0]!.id));
    expect(created).toMatchObject([{ field: "created", newValue: { importId: result.job.id } }]);
    expect(await caller.crm.imports.get({ id: result.job.id })).toMatchObject({ inserted: 2, status: "completed" });
  });

  it("dry-runs: previews the first rows with their action and per-row errors, writes nothing", async () => {
    const before = await contactCount();
    const csv =
      "first,email,lifecycle\nAda,ada@example.com,customer\n,nobody@example.com,lead\nBob,not-an-email,lead\nCy,cy@example.com,alien\nDee,dee@example.com,\n";
    const result = await runImport(handle.db, actor, "contacts", source(csv), opts({ dryRun: true, previewRows: 4 }));
    if (!result.dryRun) throw new Error("expected a dry run");
    expect(result.mapping).toEqual({ first: "firstName", email: "email", lifecycle: "lifecycleStage" });
    expect(result.rows.map((r) => [r.row, r.action])).toEqual([[1, "skip"]]);
    expect(result.errors.map((e) => [e.row, e.message.split(":")[0]])).toEqual([
      [2, "firstName"],
      [3, "email"],
      [4, "lifecycleStage"],
    ]);
    expect(await contactCount()).toBe(before);
  });

  it("dedupes contacts by email: skip, update or create", async () => {
    const csv =
      "First name,Email,Phone\nAda,ada@example.com,+44 1\nNew,new@example.com,\nNew again,new@example.com,+1 5\n";
    const skip = await runImport(handle.db, actor, "contacts", source(csv), opts({ dedupe: "skip" }));
    expect(!skip.dryRun && skip.job).toMatchObject({ inserted: 1, skipped: 2, updated: 0 });

    const update = await runImport(handle.db, actor, "contacts", source(csv), opts({ dedupe: "update" }));
    expect(!update.dryRun && update.job).toMatchObject({ inserted: 0, skipped: 0, updated: 3 });
    const [ada] = await handle.db
      .select()
      .from(contacts)
      .where(and(eq(contacts.orgId, actor.orgId), eq(contacts.email, "ada@example.com")));
    // Only the cells the file fills change: Ada keeps her last name and job title.
    expect(ada).toMatchObject({ phone: "+44 1", lastName: "Lovelace", jobTitle: "Engineer" });
    const [renamed] = await handle.db
      .select()
      .from(contacts)
      .where(and(eq(contacts.orgId, actor.orgId), eq(contacts.email, "new@example.com")));
    expect(renamed).toMatchObject({ firstName: "New again", phone: "+1 5" });

    const before = await contactCount();
    const create = await runImport(handle.db, actor, "contacts", source(csv), opts({ dedupe: "create" }));
    expect(!create.dryRun && create.job).toMatchObject({ inserted: 3 });
    expect(await contactCount()).toBe(before + 3);
  });

  it("dedupes against rows of earlier batches of the same file", async () => {
    const other = await signedInCaller(handle.db, "Batches Org");
    const who = { orgId: other.org.id, userId: other.user.id, role: "owner" as const };
    const csv =
      "First name,Email\nA,a@example.com\nB,b@example.com\nA again,a@example.com\nC,c@example.com\nB again,b@example.com\n";
    const result = await runImport(handle.db, who, "contacts", source(csv), opts({ dedupe: "skip" }), { batchSize: 2 });
    expect(!result.dryRun && result.job).toMatchObject({ inserted: 3, skipped: 2, committedThroughRow: 5 });
    expect(await contactCount(who.orgId)).toBe(3);
  });

  it("dedupes companies by normalized domain; create mode refuses a taken domain per row", async () => {
    const csv = "Name,Website,Industry\nAcme,https://www.ACME.example/about,Anvils\nGlobex,globex.example,\n";
    const update = await runImport(handle.db, actor, "companies", source(csv), opts({ dedupe: "update" }));
    expect(!update.dryRun && update.job).toMatchObject({ inserted: 1, updated: 1 });
    const [acme] = await handle.db.select().from(companies).where(eq(companies.domain, "acme.example"));
    expect(acme).toMatchObject({ name: "Acme", industry: "Anvils" });
    const create = await runImport(handle.db, actor, "companies", source(csv), opts({ dedupe: "create" }));
    if (create.dryRun) throw new Error("not a dry run");
    expect(create.job).toMatchObject({ inserted: 0, failed: 2 });
    const [job] = await handle.db.select().from(importJobs).where(eq(importJobs.id, create.job.id));
    expect(job?.errors[0]).toMatchObject({ row: 1, values: ["Acme", "https://www.ACME.example/about", "Anvils"] });
    expect(job?.errors[0]?.message).toMatch(/already exists/);
  });

  it("imports deals into named stages with amounts in major units", async () => {
    await caller.crm.pipelines.create({ name: "Sales" });
    const csv =
      'Title,Amount,Currency,Stage,Contact email\nBig deal,"1,200.50",usd,Won,ada@example.com\nSmall,99,,,\nBad,12,EUR,Nowhere,\n';
    const result = await runImport(handle.db, actor, "deals", source(csv), opts());
    if (result.dryRun) throw new Error("not a dry run");
    expect(result.job).toMatchObject({ inserted: 2, failed: 1 });
    const rows = await handle.db.select().from(deals).where(eq(deals.orgId, actor.orgId)).orderBy(deals.id);
    expect(rows.map((d) => [d.title, d.amountMinor, d.currency, d.status])).toEqual([
      ["Big deal", 120050, "USD", "won"],
      ["Small", 9900, "EUR", "open"],
    ]);
    expect(parseAmount("1.234,5")).toBe(123450);
    expect(parseAmount("abc")).toBeNull();
  });

  it.runIf(process.env.DATABASE_URL)(
    "holds the stages it imports deals into: a stage turned won meanwhile waits, and its deals come out won",
    async () => {
      const pipeline = await caller.crm.pipelines.create({
        name: "Held",
        stages: [{ name: "Talks" }, { name: "Done" }],
      });
      const talks = pipeline.stages[0]!;
      // Another transaction is making the stage a won one, as updateStage does.
      const changer = await holdOpen(handle.db, async (tx) => {
        await tx.execute(sql`select id from pipeline_stages where id = ${talks.id} for update`);
        await tx.execute(sql`update pipeline_stages set is_won = true where id = ${talks.id}`);
      });
      const pending = runImport(
        handle.db,
        actor,
        "deals",
        source("Title,Currency,Pipeline,Stage\nHeld deal,EUR,Held,Talks\n"),
        opts(),
      );
      let settled = false;
      void pending.finally(() => {
        settled = true;
      });
      try {
        // The import waits for the stage (or, without the lock, finishes with what it read before).
        await vi.waitFor(async () => expect(settled || (await sessionsWaitingForLocks(handle.db)) === 1).toBe(true));
      } finally {
        await changer.release();
      }
      const result = await pending;
      if (result.dryRun) throw new Error("not a dry run");
      expect(result.job).toMatchObject({ inserted: 1, failed: 0 });
      const [deal] = await handle.db.select().from(deals).where(eq(deals.stageId, talks.id));
      expect(deal).toMatchObject({ title: "Held deal", status: "won" });
      expect(deal?.closedAt).toBeInstanceOf(Date);
    },
  );

  it("refuses bad files with a clear message: encodings, binary, ragged rows, no header, garbage, size", async () => {
    const latin1 = Buffer.from("First name,Email\nRen\xe9,rene@example.com\n", "latin1");
    expect((await fileError(runImport(handle.db, actor, "contacts", source(latin1), opts()))).message).toMatch(
      /not UTF-8/,
    );
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("First name\nAda\n", "utf16le")]);
    expect((await fileError(runImport(handle.db, actor, "contacts", source(utf16), opts()))).message).toMatch(/UTF-16/);
    expect(
      (await fileError(runImport(handle.db, actor, "contacts", source(Buffer.from([1, 0, 2, 3])), opts()))).message,
    ).toMatch(/binary/);
    expect((await fileError(runImport(handle.db, actor, "contacts", source(""), opts()))).message).toMatch(/empty/);
    expect(
      (await fileError(runImport(handle.db, actor, "contacts", source("Ada,ada@example.com\nBob,b@x.io\n"), opts())))
        .message,
    ).toMatch(/header/);
    const ragged = await fileError(
      runImport(handle.db, actor, "contacts", source("First name,Email\nAda,a@example.com\nBob\n"), opts()),
    );
    expect(ragged.message).toMatch(/Row 2 has 1 cells but the header has 2/);
    expect(ragged.job).toMatchObject({ status: "failed", committedThroughRow: 0 });
    expect(
      (await fileError(runImport(handle.db, actor, "contacts", source('First name\n"Ada\n'), opts()))).message,
    ).toMatch(/quoted cell is never closed/);
    const garbage = "x".repeat(200_000);
    expect((await fileError(runImport(handle.db, actor, "contacts", source(garbage), opts()))).message).toMatch(
      /longer than/,
    );
    const big = await fileError(
      runImport(
        handle.db,
        actor,
        "contacts",
        { body: Readable.from([Buffer.from("First name\n"), Buffer.alloc(4096, "a\n")]), maxBytes: 2048 },
        opts(),
      ),
    );
    expect(big.status).toBe(413);
    expect(
      (
        await fileError(
          runImport(handle.db, actor, "contacts", source("Name\nAda\n"), opts({ mapping: { Name: "shoeSize" } })),
        )
      ).message,
    ).toMatch(/not a contacts field/);
    const twice = await fileError(
      runImport(handle.db, actor, "contacts", source("First name,Email,Email\nAda,a@x.io,b@x.io\n"), opts()),
    );
    expect(twice.message).toBe("More than one column is named “Email”; rename or remove the extra ones.");
    // Columns without a name are ignored, however many there are.
    const unnamed = await runImport(
      handle.db,
      actor,
      "contacts",
      source("First name,,\nAda,x,y\n"),
      opts({ dryRun: true }),
    );
    expect(unnamed.dryRun && unnamed.rows.map((r) => r.values.firstName)).toEqual(["Ada"]);
  });

  it("reads each line as it ends: CRLF, LF and CR mixed in one file", async () => {
    const csv = "First name,Email\r\nMixa,mixa@example.com\nMixb,mixb@example.com\rMixc,mixc@example.com\r\n";
    const result = await runImport(handle.db, actor, "contacts", source(csv), opts({ dryRun: true }));
    if (!result.dryRun) throw new Error("expected a dry run");
    expect(result.rows.map((r) => [r.values.firstName, r.values.email])).toEqual([
      ["Mixa", "mixa@example.com"],
      ["Mixb", "mixb@example.com"],
      ["Mixc", "mixc@example.com"],
    ]);
    // A line break inside quotes is still part of its cell.
    const quoted = await runImport(
      handle.db,
      actor,
      "contacts",
      source('First name,Notes\r\nAda,"two\nlines"\nBob,one\r\n'),
      opts({ dryRun: true }),
    );
    expect(quoted.dryRun && quoted.rows.map((r) => r.values.notes)).toEqual(["two\nlines", "one"]);
  });

  it("a row that repeats one that cannot be written stands on its own, in the preview and the import", async () => {
    const other = await signedInCaller(handle.db, "Repeats Org");
    const who = { orgId: other.org.id, userId: other.user.id, role: "owner" as const };
    const csv = "First name,Email,Company\nBad,rep@example.com,No Such Company\nGood,rep@example.com,\n";
    const preview = await runImport(handle.db, who, "contacts", source(csv), opts({ dryRun: true, dedupe: "update" }));
    if (!preview.dryRun) throw new Error("expected a dry run");
    expect(preview.rows.map((r) => [r.row, r.action])).toEqual([[2, "create"]]);
    expect(preview.errors).toMatchObject([
      {
        row: 1,
        issues: [{ field: "company", message: "No company named “No Such Company”; import companies first." }],
      },
    ]);
    const listed = async () => (await other.caller.crm.contacts.list({})).items.map((c) => [c.firstName, c.email]);
    const update = await runImport(handle.db, who, "contacts", source(csv), opts({ dedupe: "update" }));
    expect(!update.dryRun && update.job).toMatchObject({ failed: 1, inserted: 1, updated: 0 });
    expect(await listed()).toEqual([["Good", "rep@example.com"]]);
    // In a second organization, skipping: "Good" is not skipped as a repeat of the row that failed.
    const third = await signedInCaller(handle.db, "Repeats Org 2");
    const skip = await runImport(
      handle.db,
      { orgId: third.org.id, userId: third.user.id, role: "owner" },
      "contacts",
      source(csv),
      opts({ dedupe: "skip" }),
    );
    expect(!skip.dryRun && skip.job).toMatchObject({ failed: 1, inserted: 1, skipped: 0 });
    expect((await third.caller.crm.contacts.list({})).items.map((c) => c.firstName)).toEqual(["Good"]);
  });

  it('under "own" visibility, a member\'s import neither updates, skips against nor links to what they may not see', async () => {
    const boss = await signedInCaller(handle.db, "Own Import Org", "owner");
    const alice = await signedInCaller(handle.db, "", "member", boss.org.id);
    const bob = await signedInCaller(handle.db, "", "member", boss.org.id);
    await handle.db.update(organizations).set({ recordVisibility: "own" }).where(eq(organizations.id, boss.org.id));
    const hers = { orgId: boss.org.id, userId: alice.user.id, role: "member" as const };
    const bobs = await bob.caller.crm.contacts.create({ firstName: "Bob's", email: "kept@example.com" });
    await bob.caller.crm.companies.create({ name: "Bob Secret Co", domain: "bob-secret.example" });

    const csv = "First name,Email,Company\nMine,kept@example.com,\nLinked,linked@example.com,Bob Secret Co\n";
    const preview = await runImport(handle.db, hers, "contacts", source(csv), opts({ dryRun: true, dedupe: "update" }));
    if (!preview.dryRun) throw new Error("expected a dry run");
    // Bob's email is no match for her; Bob's company is no company she can name.
    expect(preview.rows.map((r) => [r.row, r.action])).toEqual([[1, "create"]]);
    expect(preview.errors.map((e) => [e.row, e.message])).toEqual([
      [2, "company: No company named “Bob Secret Co”; import companies first."],
    ]);
    const result = await runImport(handle.db, hers, "contacts", source(csv), opts({ dedupe: "update" }));
    expect(!result.dryRun && result.job).toMatchObject({ inserted: 1, updated: 0, failed: 1 });
    expect(await bob.caller.crm.contacts.get({ id: bobs.id })).toMatchObject({ firstName: "Bob's" });
    expect((await alice.caller.crm.contacts.list({})).items.map((c) => [c.firstName, c.email])).toEqual([
      ["Mine", "kept@example.com"],
    ]);

    // A company's domain is unique in the organization: hers fails without naming Bob's company.
    const companyImport = await runImport(
      handle.db,
      hers,
      "companies",
      source("Name,Domain\nAlice Co,bob-secret.example\n"),
      opts({ dedupe: "update" }),
    );
    if (companyImport.dryRun) throw new Error("not a dry run");
    expect(companyImport.job).toMatchObject({ inserted: 0, updated: 0, failed: 1 });
    const [failure] = await handle.db
      .select({ errors: importJobs.errors })
      .from(importJobs)
      .where(eq(importJobs.id, companyImport.job.id));
    expect(failure?.errors[0]?.message).toBe(
      "domain: Another company in your organization already has the domain bob-secret.example.",
    );
  });

  it("checks a row again when the failure of an earlier one lets it be written: a member's tags", async () => {
    const boss = await signedInCaller(handle.db, "Revived Org", "owner");
    const member = await signedInCaller(handle.db, "", "member", boss.org.id);
    await boss.caller.crm.tags.create({ name: "Known" });
    const hers = { orgId: boss.org.id, userId: member.user.id, role: "member" as const };
    // Row 2 repeats row 1's domain; row 1 names a tag she may not create, so row 2 stands alone,
    // and is checked itself: with a tag that exists it goes in, with one that does not it fails.
    const csv =
      "Name,Domain,Tags\nFirst,dup.example,Nope\nSecond,dup.example,Known\nThird,trip.example,Nope\nFourth,trip.example,Missing\n";
    const preview = await runImport(
      handle.db,
      hers,
      "companies",
      source(csv),
      opts({ dryRun: true, dedupe: "create" }),
    );
    if (!preview.dryRun) throw new Error("expected a dry run");
    expect(preview.rows.map((r) => [r.row, r.action])).toEqual([[2, "create"]]);
    expect(preview.errors.map((e) => [e.row, e.message])).toEqual([
      [1, "tags: No tag named “Nope”; an owner or admin must create it first."],
      [3, "tags: No tag named “Nope”; an owner or admin must create it first."],
      [4, "tags: No tag named “Missing”; an owner or admin must create it first."],
    ]);
    const result = await runImport(handle.db, hers, "companies", source(csv), opts({ dedupe: "create" }));
    expect(!result.dryRun && result.job).toMatchObject({ inserted: 1, failed: 3 });
    const [second] = (await member.caller.crm.companies.list({})).items;
    expect(second).toMatchObject({ name: "Second", domain: "dup.example", tags: [{ name: "Known" }] });
  });

  it("a killed upload leaves only whole batches, and the job says exactly which rows went in", async () => {
    const other = await signedInCaller(handle.db, "Killed Org");
    const who = { orgId: other.org.id, userId: other.user.id, role: "owner" as const };
    let twoBatchesIn: () => void = () => {};
    const committed = new Promise<void>((resolve) => {
      twoBatchesIn = resolve;
    });
    async function* upload() {
      yield Buffer.from("First name,Email\n");
      for (let i = 1; i <= 250; i++) yield Buffer.from(`P${i},p${i}@example.com\n`);
      // The connection drops while rows 201-250 wait in the third, uncommitted batch.
      await committed;
      throw Object.assign(new Error("aborted"), { code: "ECONNRESET" });
    }
    const error = await runImport(
      handle.db,
      who,
      "contacts",
      { body: Readable.from(upload()), maxBytes: 1 << 20 },
      opts(),
      { batchSize: 100, onCommit: (through) => through >= 200 && twoBatchesIn() },
    ).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ImportAbortedError);
    const [job] = await handle.db.select().from(importJobs).where(eq(importJobs.orgId, who.orgId));
    expect(job).toMatchObject({ status: "failed", message: "The upload was interrupted.", committedThroughRow: 200 });
    expect(job?.inserted).toBe(200);
    expect(await contactCount(who.orgId)).toBe(200);
    // The committed rows are exactly rows 1..200 of the file.
    const names = await handle.db.select({ n: contacts.firstName }).from(contacts).where(eq(contacts.orgId, who.orgId));
    expect(new Set(names.map((r) => r.n))).toEqual(new Set(Array.from({ length: 200 }, (_, i) => `P${i + 1}`)));
  });

  it("lists and reads imports of the caller's organization only", async () => {
    const list = await caller.crm.imports.list({});
    expect(list.items.length).toBeGreaterThan(3);
    const other = await signedInCaller(handle.db, "Nosy Org");
    await expect(other.caller.crm.imports.get({ id: list.items[0]!.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await other.caller.crm.imports.list({})).items).toEqual([]);
  });

  it("refreshes the planner's statistics after a large import, table by table, not after a small one", async () => {
    // Autovacuum must not count the table between the test's own ANALYZE and its checks.
    await handle.db.execute(sql`alter table contacts set (autovacuum_enabled = off)`);
    await handle.db.execute(sql`alter table record_history set (autovacuum_enabled = off)`);
    const counted = async (table: string) => {
      const [row] = await handle.db
        .select({ rows: sql<number>`reltuples::float8` })
        .from(sql`pg_class`)
        .where(sql`oid = ${table}::regclass`);
      return Number(row?.rows);
    };
    // The history already holds far more rows than the import will add: it is left to autovacuum.
    await handle.db.execute(sql`
      insert into record_history (id, org_id, entity_type, entity_id, field, changed_by)
      select gen_random_uuid(), ${actor.orgId}, 'contact', gen_random_uuid(), 'created', ${actor.userId}
      from generate_series(1, 12000)`);
    await handle.db.execute(sql`analyze contacts, record_history`);
    const before = { contacts: await counted("contacts"), history: await counted("record_history") };
    expect(before.history).toBeGreaterThan(12_000);
    const rows = (n: number, tag: string) =>
      `first,email\n${Array.from({ length: n }, (_, i) => `Stat${i},${tag}-${i}@example.com`).join("\n")}\n`;

    const small = await runImport(handle.db, actor, "contacts", source(rows(10, "small")), opts());
    if (small.dryRun) throw new Error("not a dry run");
    expect(await refreshStatisticsAfterImport(handle.db, "contacts", small.job)).toEqual([]);
    expect(await counted("contacts")).toBe(before.contacts);

    const large = await runImport(handle.db, actor, "contacts", source(rows(ANALYZE_MIN_ROWS, "large")), opts());
    if (large.dryRun) throw new Error("not a dry run");
    expect(large.job.inserted).toBe(ANALYZE_MIN_ROWS);
    expect(await refreshStatisticsAfterImport(handle.db, "contacts", large.job)).toEqual([
      "contacts",
      "taggings",
      "custom_field_values",
    ]);
    // A table this small is read whole by ANALYZE: the count is exact.
    expect(await counted("contacts")).toBe(before.contacts + 10 + ANALYZE_MIN_ROWS);
    expect(await counted("record_history")).toBe(before.history);
  });
});
