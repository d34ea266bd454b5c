import type { DbHandle } from "@nexo/db";
import { createTestDb } from "@nexo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeCursor } from "./keyset";
import { signedInCaller } from "./test-context";
import { expectTrpcError, fieldPaths } from "./test-helpers";

type Caller = Awaited<ReturnType<typeof signedInCaller>>["caller"];
type Timeline = Awaited<ReturnType<Caller["crm"]["activities"]["timeline"]>>;

describe("crm.activities", () => {
  let handle: DbHandle;
  let a: Caller;
  let b: Caller;
  let aUser: string;
  let bUser: string;

  beforeAll(async () => {
    handle = await createTestDb();
    const orgA = await signedInCaller(handle.db, "Org A");
    const orgB = await signedInCaller(handle.db, "Org B");
    a = orgA.caller;
    b = orgB.caller;
    aUser = orgA.user.id;
    bUser = orgB.user.id;
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("logs notes, calls and meetings on a record and moves the contact's last-activity time forward", async () => {
    const contact = await a.crm.contacts.create({ firstName: "Callee" });
    const call = await a.crm.activities.create({
      kind: "call",
      subject: "Intro call",
      contactId: contact.id,
      occurredAt: new Date("2026-01-10T09:00:00Z"),
      durationMinutes: 25,
      outcome: "Interested",
    });
    expect(call).toMatchObject({ kind: "call", durationMinutes: 25, outcome: "Interested", createdBy: aUser });
    expect((await a.crm.contacts.get({ id: contact.id })).lastActivityAt).toEqual(new Date("2026-01-10T09:00:00Z"));
    await a.crm.activities.create({
      kind: "note",
      body: "**Old** note",
      contactId: contact.id,
      occurredAt: new Date("2025-01-01"),
    });
    expect((await a.crm.contacts.get({ id: contact.id })).lastActivityAt).toEqual(new Date("2026-01-10T09:00:00Z"));
    const edited = await a.crm.activities.update({ id: call.id, outcome: "Very interested" });
    expect(edited).toMatchObject({ outcome: "Very interested", subject: "Intro call", durationMinutes: 25 });
    expect(await a.crm.activities.get({ id: call.id })).toEqual(edited);
    expect(await a.crm.activities.delete({ id: call.id })).toEqual({ id: call.id });
    await expectTrpcError(a.crm.activities.get({ id: call.id }), "NOT_FOUND");
  });

  it("lists open tasks by due date, completes them, and filters overdue/upcoming", async () => {
    const { caller, user } = await signedInCaller(handle.db, "Task Org");
    const deal = await caller.crm.deals.create({
      title: "Deal",
      currency: "EUR",
      stageId: (await caller.crm.pipelines.create({ name: "P" })).stages[0]!.id,
    });
    const past = await caller.crm.activities.create({
      kind: "task",
      subject: "Past",
      dealId: deal.id,
      dueAt: new Date(Date.now() - 86_400_000),
      assigneeId: user.id,
    });
    const future = await caller.crm.activities.create({
      kind: "task",
      subject: "Future",
      dealId: deal.id,
      dueAt: new Date(Date.now() + 3 * 86_400_000),
    });
    const undated = await caller.crm.activities.create({ kind: "task", subject: "Someday", dealId: deal.id });
    await caller.crm.activities.create({ kind: "note", subject: "Not a task", dealId: deal.id });

    const subjects = async (input: Parameters<Caller["crm"]["activities"]["tasks"]>[0]) =>
      (await caller.crm.activities.tasks(input)).items.map((t) => t.subject);
    expect(await subjects({})).toEqual(["Past", "Future", "Someday"]);
    expect(await subjects({ due: "overdue" })).toEqual(["Past"]);
    expect(await subjects({ due: "upcoming" })).toEqual(["Future"]);
    expect(await subjects({ assigneeId: user.id })).toEqual(["Past"]);
    const first = await caller.crm.activities.tasks({ limit: 2 });
    const second = await caller.crm.activities.tasks({ limit: 2, cursor: first.nextCursor });
    expect([...first.items, ...second.items].map((t) => t.id)).toEqual([past.id, future.id, undated.id]);
    expect(second.nextCursor).toBeNull();

    expect((await caller.crm.activities.complete({ id: past.id })).doneAt).toBeInstanceOf(Date);
    expect(await subjects({})).toEqual(["Future", "Someday"]);
    expect((await caller.crm.activities.complete({ id: past.id, done: false })).doneAt).toBeNull();
  });

  it("merges activities and field changes into one timeline, newest first, paginated", async () => {
    const { caller } = await signedInCaller(handle.db, "Timeline Org");
    const company = await caller.crm.companies.create({ name: "Timeline Inc" });
    await caller.crm.activities.create({
      kind: "note",
      body: "old note",
      companyId: company.id,
      occurredAt: new Date("2020-01-01T00:00:00Z"),
    });
    await caller.crm.companies.update({ id: company.id, industry: "Clocks" });
    await caller.crm.activities.create({
      kind: "meeting",
      subject: "Kickoff",
      companyId: company.id,
      occurredAt: new Date(Date.now() + 60_000),
    });
    await caller.crm.companies.update({ id: company.id, industry: "Watches" });

    const all: Timeline["items"] = [];
    let cursor: string | null = null;
    do {
      const page: Timeline = await caller.crm.activities.timeline({
        entityType: "company",
        entityId: company.id,
        limit: 2,
        cursor,
      });
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    const describe = all.map((e) =>
      e.type === "activity" ? `${e.activity.kind}` : `${e.change.field}:${String(e.change.newValue)}`,
    );
    expect(describe).toEqual(["meeting", "industry:Watches", "industry:Clocks", "created:null", "note"]);
    const times = all.map((e) => e.at.getTime());
    expect([...times].sort((x, y) => y - x)).toEqual(times);
  });

  it("names the companies and contacts that timeline changes refer to", async () => {
    const { caller } = await signedInCaller(handle.db, "Names Org");
    const stage = (await caller.crm.pipelines.create({ name: "P" })).stages[0]!;
    const acme = await caller.crm.companies.create({ name: "Acme" });
    const globex = await caller.crm.companies.create({ name: "Globex" });
    const ada = await caller.crm.contacts.create({ firstName: "Ada", lastName: "Lovelace" });
    const alan = await caller.crm.contacts.create({ firstName: "Alan" });
    const deal = await caller.crm.deals.create({ title: "D", currency: "EUR", stageId: stage.id, companyId: acme.id });
    await caller.crm.deals.update({ id: deal.id, companyId: globex.id, contactIds: [ada.id, alan.id] });
    const page = await caller.crm.activities.timeline({ entityType: "deal", entityId: deal.id });
    expect(page.names).toEqual({
      [acme.id]: "Acme",
      [globex.id]: "Globex",
      [ada.id]: "Ada Lovelace",
      [alan.id]: "Alan",
    });
    const note = await caller.crm.contacts.create({ firstName: "Plain" });
    expect((await caller.crm.activities.timeline({ entityType: "contact", entityId: note.id })).names).toEqual({});
  });

  it("creates a task without a record, but not a note, call or meeting", async () => {
    const { caller, user } = await signedInCaller(handle.db, "Todo Org");
    const todo = await caller.crm.activities.create({ kind: "task", subject: "Plan the quarter", assigneeId: user.id });
    expect(todo).toMatchObject({ contactId: null, companyId: null, dealId: null, assigneeId: user.id });
    expect((await caller.crm.activities.tasks({ assigneeId: user.id })).items).toEqual([
      expect.objectContaining({ id: todo.id, contactName: null, companyName: null, dealTitle: null }),
    ]);
    for (const kind of ["note", "call", "meeting"] as const) {
      const error = await expectTrpcError(caller.crm.activities.create({ kind, subject: "Loose" }), "BAD_REQUEST");
      expect(fieldPaths(error)).toEqual(["contactId"]);
    }
  });

  it("keeps a due date and an assignee to tasks, a duration and an outcome to calls and meetings", async () => {
    const { caller, user } = await signedInCaller(handle.db, "Kinds Org");
    const contact = await caller.crm.contacts.create({ firstName: "Kind" });
    const on = { contactId: contact.id };
    const noteWithCallFields = await expectTrpcError(
      caller.crm.activities.create({ kind: "note", body: "Hi", ...on, durationMinutes: 5, outcome: "Fine" }),
      "BAD_REQUEST",
    );
    expect(fieldPaths(noteWithCallFields).sort()).toEqual(["durationMinutes", "outcome"]);
    const callWithTaskFields = await expectTrpcError(
      caller.crm.activities.create({ kind: "call", ...on, dueAt: new Date(), assigneeId: user.id }),
      "BAD_REQUEST",
    );
    expect(fieldPaths(callWithTaskFields).sort()).toEqual(["assigneeId", "dueAt"]);
    const taskWithOutcome = await expectTrpcError(
      caller.crm.activities.create({ kind: "task", subject: "Do it", outcome: "Done" }),
      "BAD_REQUEST",
    );
    expect(fieldPaths(taskWithOutcome)).toEqual(["outcome"]);
    // Null is "none": the forms send it for fields they clear.
    const note = await caller.crm.activities.create({
      kind: "note",
      body: "Hi",
      ...on,
      dueAt: null,
      durationMinutes: null,
      outcome: null,
    });

    // An update is checked against the kind the activity has; nothing is written when it fails.
    const noteUpdate = await expectTrpcError(
      caller.crm.activities.update({ id: note.id, body: "Changed", durationMinutes: 10 }),
      "BAD_REQUEST",
    );
    expect(fieldPaths(noteUpdate)).toEqual(["durationMinutes"]);
    expect(await caller.crm.activities.get({ id: note.id })).toEqual(note);
    const meeting = await caller.crm.activities.create({ kind: "meeting", ...on, durationMinutes: 30 });
    const meetingUpdate = await expectTrpcError(
      caller.crm.activities.update({ id: meeting.id, assigneeId: user.id }),
      "BAD_REQUEST",
    );
    expect(fieldPaths(meetingUpdate)).toEqual(["assigneeId"]);
    expect(await caller.crm.activities.update({ id: meeting.id, outcome: "Signed", dueAt: null })).toMatchObject({
      outcome: "Signed",
      durationMinutes: 30,
    });

    // Only a task is done or not done.
    const notDone = await expectTrpcError(caller.crm.activities.complete({ id: meeting.id }), "BAD_REQUEST");
    expect(notDone.message).toBe("Only tasks can be marked done.");
    expect((await caller.crm.activities.get({ id: meeting.id })).doneAt).toBeNull();
    const task = await caller.crm.activities.create({ kind: "task", subject: "Send the offer", ...on });
    expect((await caller.crm.activities.complete({ id: task.id })).doneAt).toBeInstanceOf(Date);
  });

  it("never attaches to, shows or changes another organization's records", async () => {
    const foreignContact = await b.crm.contacts.create({ firstName: "B" });
    const foreignNote = await b.crm.activities.create({ kind: "note", body: "secret", contactId: foreignContact.id });
    const mine = await a.crm.contacts.create({ firstName: "Mine" });
    await expectTrpcError(a.crm.activities.create({ kind: "note", contactId: foreignContact.id }), "NOT_FOUND");
    await expectTrpcError(
      a.crm.activities.create({ kind: "task", contactId: mine.id, assigneeId: bUser }),
      "NOT_FOUND",
    );
    await expectTrpcError(a.crm.activities.get({ id: foreignNote.id }), "NOT_FOUND");
    await expectTrpcError(a.crm.activities.update({ id: foreignNote.id, body: "hacked" }), "NOT_FOUND");
    await expectTrpcError(a.crm.activities.complete({ id: foreignNote.id }), "NOT_FOUND");
    await expectTrpcError(a.crm.activities.delete({ id: foreignNote.id }), "NOT_FOUND");
    await expectTrpcError(
      a.crm.activities.timeline({ entityType: "contact", entityId: foreignContact.id }),
      "NOT_FOUND",
    );
    expect((await b.crm.activities.get({ id: foreignNote.id })).body).toBe("secret");
  });

  it("rejects malformed input with field-level issues", async () => {
    const untargeted = await expectTrpcError(
      a.crm.activities.create({ kind: "note", body: "floating" }),
      "BAD_REQUEST",
    );
    expect(fieldPaths(untargeted)).toEqual(["contactId"]);
    const bad = await expectTrpcError(
      a.crm.activities.create({ kind: "email" as never, contactId: "x", durationMinutes: -5, dueAt: "soon" as never }),
      "BAD_REQUEST",
    );
    expect(fieldPaths(bad).sort()).toEqual(["contactId", "dueAt", "durationMinutes", "kind"]);
    await expectTrpcError(a.crm.activities.tasks({ due: "yesterday" as never }), "BAD_REQUEST");
    await expectTrpcError(a.crm.activities.tasks({ cursor: "nope" }), "BAD_REQUEST");
    await expectTrpcError(a.crm.activities.update({ id: crypto.randomUUID() }), "BAD_REQUEST");
  });

  it("refuses dates outside the years 1000–9999 per field, and cursors holding them", async () => {
    const early = await expectTrpcError(
      a.crm.activities.create({ kind: "task", subject: "t", dueAt: new Date("-001000-01-01T00:00:00Z") }),
      "BAD_REQUEST",
    );
    expect(fieldPaths(early)).toEqual(["dueAt"]);
    const task = await a.crm.activities.create({
      kind: "task",
      subject: "Far",
      dueAt: new Date("9999-12-31T00:00:00Z"),
    });
    const late = await expectTrpcError(
      a.crm.activities.update({ id: task.id, occurredAt: new Date("+010000-01-01T00:00:00Z") }),
      "BAD_REQUEST",
    );
    expect(fieldPaths(late)).toEqual(["occurredAt"]);
    // A cursor is opaque, but a crafted one with a year-0 time must not reach Postgres.
    const cursor = encodeCursor(["0000-01-01T00:00:00Z", crypto.randomUUID()]);
    await expectTrpcError(a.crm.activities.tasks({ cursor }), "BAD_REQUEST");
    // One from a task due before the year 1000 (stored before dates were bounded) still pages on.
    const old = encodeCursor(["0500-06-01T00:00:00.000Z", crypto.randomUUID()]);
    expect((await a.crm.activities.tasks({ cursor: old })).items.map((t) => t.id)).toContain(task.id);
  });
});
