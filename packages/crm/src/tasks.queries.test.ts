import { activities, type DbHandle, eq, organizations, queryRows, sql } from "@nexo/db";
import { createTestDb } from "@nexo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listTasksInput } from "./activities.schemas";
import { listTasks, tasksQuery } from "./tasks.queries";
import { signedInCaller } from "./test-context";
import { expectTrpcError, fieldPaths } from "./test-helpers";

type Member = Awaited<ReturnType<typeof signedInCaller>>;

describe("open tasks by due bucket", () => {
  let handle: DbHandle;
  let owner: Member;
  let member: Member;

  beforeAll(async () => {
    handle = await createTestDb();
    owner = await signedInCaller(handle.db, "Bucket Org", "owner");
    member = await signedInCaller(handle.db, "", "member", owner.org.id);
  });
  afterAll(async () => {
    await handle?.close();
  });

  const viewerOf = (m: Member) =>
    ({ orgId: m.org.id, userId: m.user.id, role: m.user.id === owner.user.id ? "owner" : "member" }) as const;

  it("splits overdue, today and later without overlap, in the given time zone, page by page", async () => {
    const contact = await owner.caller.crm.contacts.create({ firstName: "Due", lastName: "Person" });
    // 10:00 UTC is 06:00 in New York (UTC-4 in May): its day ends at 04:00 UTC on the 21st.
    const now = new Date("2026-05-20T10:00:00Z");
    const task = (subject: string, dueAt: string | null, assigneeId = owner.user.id) =>
      owner.caller.crm.activities.create({
        kind: "task",
        subject,
        contactId: contact.id,
        assigneeId,
        dueAt: dueAt ? new Date(dueAt) : null,
      });
    const overdue = await task("Overdue", "2026-05-20T09:00:00Z");
    const lateTonight = await task("Late tonight", "2026-05-21T03:00:00Z");
    const friday = await task("Friday", "2026-05-22T12:00:00Z");
    const someday = await task("Someday", null);
    await task("Not mine", "2026-05-20T11:00:00Z", member.user.id);
    const done = await task("Done already", "2026-05-20T12:00:00Z");
    await owner.caller.crm.activities.complete({ id: done.id });

    const subjects = async (input: Record<string, unknown>) =>
      (await listTasks(handle.db, viewerOf(owner), listTasksInput.parse(input), now)).items.map((t) => t.subject);
    const mine = { assigneeId: owner.user.id };
    const newYork = { ...mine, timeZone: "America/New_York" };
    expect(await subjects({ ...newYork, due: "overdue" })).toEqual(["Overdue"]);
    expect(await subjects({ ...newYork, due: "today" })).toEqual(["Late tonight"]);
    expect(await subjects({ ...newYork, due: "later" })).toEqual(["Friday", "Someday"]);
    // In UTC, 03:00 on the 21st is already tomorrow.
    expect(await subjects({ ...mine, due: "today" })).toEqual([]);
    expect(await subjects({ ...mine, due: "later" })).toEqual(["Late tonight", "Friday", "Someday"]);
    expect(await subjects({ ...mine, due: "upcoming" })).toEqual(["Late tonight", "Friday"]);
    expect(await subjects({ due: "all" })).toEqual(["Overdue", "Not mine", "Late tonight", "Friday", "Someday"]);

    // One page at a time, across the dated and undated tasks of a bucket.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof listTasks>> = await listTasks(
        handle.db,
        viewerOf(owner),
        listTasksInput.parse({ ...newYork, due: "later", limit: 1, cursor }),
        now,
      );
      expect(page.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.items.map((t) => t.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([friday.id, someday.id]);
    expect([overdue.id, lateTonight.id]).not.toContain(seen[0]);
  });

  it("names the records a task is attached to, only where the viewer may see them", async () => {
    const stage = (await owner.caller.crm.pipelines.create({ name: "Named" })).stages[0]!;
    const company = await owner.caller.crm.companies.create({ name: "Named Co" });
    const contact = await owner.caller.crm.contacts.create({ firstName: "Named", lastName: "Contact" });
    const deal = await owner.caller.crm.deals.create({ title: "Named deal", currency: "EUR", stageId: stage.id });
    const trashed = await owner.caller.crm.contacts.create({ firstName: "Binned" });
    const onAll = await owner.caller.crm.activities.create({
      kind: "task",
      subject: "Attached everywhere",
      contactId: contact.id,
      companyId: company.id,
      dealId: deal.id,
      assigneeId: member.user.id,
    });
    const onTrashed = await owner.caller.crm.activities.create({
      kind: "task",
      subject: "On a trashed contact",
      contactId: trashed.id,
      assigneeId: member.user.id,
    });
    await owner.caller.crm.contacts.delete({ id: trashed.id });

    const byId = async (m: Member) =>
      new Map((await m.caller.crm.activities.tasks({ assigneeId: member.user.id })).items.map((t) => [t.id, t]));
    const asOwner = await byId(owner);
    expect(asOwner.get(onAll.id)).toMatchObject({
      contactName: "Named Contact",
      companyName: "Named Co",
      dealTitle: "Named deal",
    });
    expect(asOwner.get(onTrashed.id)).toMatchObject({ contactName: null, contactId: trashed.id });

    // Under "own", the member sees the task assigned to them but not the owner's records' names.
    await handle.db.update(organizations).set({ recordVisibility: "own" }).where(eq(organizations.id, owner.org.id));
    try {
      const asMember = await byId(member);
      expect(asMember.get(onAll.id)).toMatchObject({ contactName: null, companyName: null, dealTitle: null });
    } finally {
      await handle.db.update(organizations).set({ recordVisibility: "all" }).where(eq(organizations.id, owner.org.id));
    }
  });

  it("refuses an unknown time zone or bucket with a field-level issue", async () => {
    const zone = await expectTrpcError(owner.caller.crm.activities.tasks({ timeZone: "Mars/Olympus" }), "BAD_REQUEST");
    expect(fieldPaths(zone)).toEqual(["timeZone"]);
    const bucket = await expectTrpcError(owner.caller.crm.activities.tasks({ due: "soon" as never }), "BAD_REQUEST");
    expect(fieldPaths(bucket)).toEqual(["due"]);
  });

  it("reads one assignee's bucket through the assignee index", async () => {
    const contact = await owner.caller.crm.contacts.create({ firstName: "Indexed" });
    await handle.db.insert(activities).values(
      Array.from({ length: 200 }, (_, i) => ({
        orgId: owner.org.id,
        kind: "task" as const,
        subject: `Bulk ${i}`,
        contactId: contact.id,
        assigneeId: i % 2 === 0 ? owner.user.id : member.user.id,
        dueAt: new Date(Date.UTC(2027, 0, 1 + (i % 28))),
      })),
    );
    const query = tasksQuery(
      handle.db,
      viewerOf(owner),
      listTasksInput.parse({ assigneeId: owner.user.id, due: "later", limit: 25 }),
      new Date("2026-05-20T10:00:00Z"),
    );
    // Planner costs on a small table may prefer a scan; what matters is that the index serves it.
    const plan = await handle.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      return queryRows<{ "QUERY PLAN": string }>(tx as never, sql`explain ${query}`);
    });
    expect(plan.map((row) => row["QUERY PLAN"]).join("\n")).toContain("activities_org_assignee_open_tasks_idx");
  });
});
