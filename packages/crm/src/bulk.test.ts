import { contacts, type DbHandle, eq, organizations } from "@nexo/db";
import { createTestDb } from "@nexo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BULK_MAX } from "./bulk.schemas";
import { signedInCaller } from "./test-context";
import { expectTrpcError, fieldPaths, historyOf } from "./test-helpers";

type Member = Awaited<ReturnType<typeof signedInCaller>>;
type Kind = "contacts" | "companies" | "deals";
const entityTypes = { contacts: "contact", companies: "company", deals: "deal" } as const;

describe("bulk changes from the list pages", () => {
  let handle: DbHandle;
  let owner: Member;
  let member: Member;
  let viewer: Member;
  let outsider: Member;
  const stageOf = new Map<string, string>();

  beforeAll(async () => {
    handle = await createTestDb();
    owner = await signedInCaller(handle.db, "Bulk Org", "owner");
    member = await signedInCaller(handle.db, "", "member", owner.org.id);
    viewer = await signedInCaller(handle.db, "", "viewer", owner.org.id);
    outsider = await signedInCaller(handle.db, "Other Org", "owner");
    for (const who of [owner, outsider]) {
      stageOf.set(who.org.id, (await who.caller.crm.pipelines.create({ name: "Bulk pipeline" })).stages[0]!.id);
    }
  });
  afterAll(async () => {
    await handle?.close();
  });

  /** Creates `n` records of a kind as `who`, returning their ids. */
  async function create(who: Member, kind: Kind, n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const crm = who.caller.crm;
      const row =
        kind === "contacts"
          ? await crm.contacts.create({ firstName: `Person ${i}` })
          : kind === "companies"
            ? await crm.companies.create({ name: `Company ${i} ${crypto.randomUUID()}` })
            : await crm.deals.create({ title: `Deal ${i}`, currency: "EUR", stageId: stageOf.get(who.org.id)! });
      ids.push(row.id);
    }
    return ids;
  }

  const listIds = async (who: Member, kind: Kind) =>
    (await who.caller.crm[kind].list({ limit: 100 })).items.map((r) => r.id);

  for (const kind of ["contacts", "companies", "deals"] as const) {
    const entityType = entityTypes[kind];

    it(`${kind}: deletes several at once, records each, and restores them all (Undo)`, async () => {
      const ids = await create(owner, kind, 3);
      const api = owner.caller.crm[kind];
      expect((await api.bulkDelete({ ids: [...ids, ids[0]!] })).ids.sort()).toEqual([...ids].sort());
      const listed = await listIds(owner, kind);
      for (const id of ids) expect(listed).not.toContain(id);
      expect((await historyOf(handle.db, entityType, ids[1]!)).map((h) => h.field)).toEqual(["created", "deleted"]);

      // Deleting a trashed record again is refused as a whole.
      await expectTrpcError(api.bulkDelete({ ids }), "NOT_FOUND");

      expect((await api.bulkRestore({ ids })).ids.sort()).toEqual([...ids].sort());
      const back = await listIds(owner, kind);
      for (const id of ids) expect(back).toContain(id);
      expect((await historyOf(handle.db, entityType, ids[2]!)).map((h) => h.field)).toEqual([
        "created",
        "deleted",
        "restored",
      ]);
      await expectTrpcError(api.bulkRestore({ ids: [ids[0]!] }), "NOT_FOUND");
    });

    it(`${kind}: one id of another organization refuses the whole call and changes nothing`, async () => {
      const mine = await create(owner, kind, 2);
      const [theirs] = await create(outsider, kind, 1);
      const api = owner.caller.crm[kind];
      const error = await expectTrpcError(api.bulkDelete({ ids: [...mine, theirs!] }), "NOT_FOUND");
      expect(error.message).toMatch(/^One of the chosen \w+ no longer exist/);
      const listed = await listIds(owner, kind);
      for (const id of mine) expect(listed).toContain(id);
      expect(await listIds(outsider, kind)).toContain(theirs);

      await expectTrpcError(api.bulkAssignOwner({ ids: [theirs!], ownerId: member.user.id }), "NOT_FOUND");
      const tag = await owner.caller.crm.tags.create({ name: `t-${crypto.randomUUID().slice(0, 8)}` });
      await expectTrpcError(
        owner.caller.crm.tags.bulkAdd({ entityType, ids: [...mine, theirs!], tagId: tag.id }),
        "NOT_FOUND",
      );
      expect((await historyOf(handle.db, entityType, mine[0]!)).map((h) => h.field)).toEqual(["created"]);
    });

    it(`${kind}: assigns an owner, recording only real changes; the owner must be a member`, async () => {
      const ids = await create(owner, kind, 2);
      const api = owner.caller.crm[kind];
      await api.bulkAssignOwner({ ids: [ids[0]!], ownerId: member.user.id });
      const result = await api.bulkAssignOwner({ ids, ownerId: member.user.id });
      expect(result).toEqual({ ids, changed: 1 });
      const rows = (await api.list({ limit: 100 })).items.filter((r) => ids.includes(r.id));
      expect(rows.map((r) => r.ownerId)).toEqual([member.user.id, member.user.id]);
      const ownerChanges = (await historyOf(handle.db, entityType, ids[0]!)).filter((h) => h.field === "ownerId");
      expect(ownerChanges).toEqual([{ field: "ownerId", oldValue: owner.user.id, newValue: member.user.id }]);
      await expectTrpcError(api.bulkAssignOwner({ ids, ownerId: outsider.user.id }), "NOT_FOUND");
    });

    it(`${kind}: adds a tag to many, keeping their other tags`, async () => {
      const ids = await create(owner, kind, 3);
      const suffix = crypto.randomUUID().slice(0, 8);
      const vip = await owner.caller.crm.tags.create({ name: `vip-${suffix}` });
      const old = await owner.caller.crm.tags.create({ name: `old-${suffix}` });
      await owner.caller.crm.tags.set({ entityType, entityId: ids[0]!, tagIds: [old.id] });
      await owner.caller.crm.tags.set({ entityType, entityId: ids[1]!, tagIds: [vip.id] });
      expect(await owner.caller.crm.tags.bulkAdd({ entityType, ids, tagId: vip.id })).toEqual({ ids, tagged: 2 });
      const rows = (await owner.caller.crm[kind].list({ tagId: vip.id, limit: 100 })).items;
      expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
      const first = rows.find((r) => r.id === ids[0]);
      expect(first?.tags.map((t) => t.name).sort()).toEqual([old.name, vip.name].sort());
      const tagHistory = (await historyOf(handle.db, entityType, ids[0]!)).filter((h) => h.field === "tags");
      expect(tagHistory.at(-1)).toEqual({ field: "tags", oldValue: [old.id], newValue: [old.id, vip.id].sort() });
      // Already tagged: nothing recorded.
      expect((await historyOf(handle.db, entityType, ids[1]!)).filter((h) => h.field === "tags")).toHaveLength(1);
    });
  }

  it("checks sizes and ids before touching anything", async () => {
    const api = owner.caller.crm.contacts;
    const empty = await expectTrpcError(api.bulkDelete({ ids: [] }), "BAD_REQUEST");
    expect(fieldPaths(empty)).toEqual(["ids"]);
    const tooMany = Array.from({ length: BULK_MAX + 1 }, () => crypto.randomUUID());
    const big = await expectTrpcError(api.bulkDelete({ ids: tooMany }), "BAD_REQUEST");
    expect(big.message).toContain(`At most ${BULK_MAX} records at a time.`);
    const bad = await expectTrpcError(
      owner.caller.crm.tags.bulkAdd({ entityType: "lead" as never, ids: ["x"], tagId: "y" }),
      "BAD_REQUEST",
    );
    expect(fieldPaths(bad).sort()).toEqual(["entityType", "ids.0", "tagId"]);
    const [contact] = await create(owner, "contacts", 1);
    await expectTrpcError(
      owner.caller.crm.tags.bulkAdd({ entityType: "contact", ids: [contact!], tagId: crypto.randomUUID() }),
      "NOT_FOUND",
    );
  });

  it("takes a full batch of BULK_MAX records in one call", async () => {
    const rows = await handle.db
      .insert(contacts)
      .values(
        Array.from({ length: BULK_MAX }, (_, i) => ({
          orgId: owner.org.id,
          firstName: `Batch ${i}`,
          ownerId: owner.user.id,
          createdBy: owner.user.id,
        })),
      )
      .returning({ id: contacts.id });
    const ids = rows.map((c) => c.id);
    const tag = await owner.caller.crm.tags.create({ name: `batch-${crypto.randomUUID().slice(0, 8)}` });
    expect((await owner.caller.crm.tags.bulkAdd({ entityType: "contact", ids, tagId: tag.id })).tagged).toBe(BULK_MAX);
    expect((await owner.caller.crm.contacts.bulkAssignOwner({ ids, ownerId: member.user.id })).changed).toBe(BULK_MAX);
    expect((await owner.caller.crm.contacts.bulkDelete({ ids })).ids).toHaveLength(BULK_MAX);
    expect((await owner.caller.crm.contacts.bulkRestore({ ids })).ids).toHaveLength(BULK_MAX);
    const listed = await owner.caller.crm.contacts.list({ tagId: tag.id, ownerId: member.user.id });
    expect(listed.count).toEqual({ value: BULK_MAX, exact: true });
  });

  it("is refused to viewers, and under visibility “own” reaches only the member's own records", async () => {
    const [ownerContact] = await create(owner, "contacts", 1);
    await expectTrpcError(viewer.caller.crm.contacts.bulkDelete({ ids: [ownerContact!] }), "FORBIDDEN");
    const tag = await owner.caller.crm.tags.create({ name: `v-${crypto.randomUUID().slice(0, 8)}` });
    await expectTrpcError(
      viewer.caller.crm.tags.bulkAdd({ entityType: "contact", ids: [ownerContact!], tagId: tag.id }),
      "FORBIDDEN",
    );

    const [memberContact] = await create(member, "contacts", 1);
    await handle.db.update(organizations).set({ recordVisibility: "own" }).where(eq(organizations.id, owner.org.id));
    try {
      const api = member.caller.crm.contacts;
      await expectTrpcError(api.bulkDelete({ ids: [memberContact!, ownerContact!] }), "NOT_FOUND");
      await expectTrpcError(
        member.caller.crm.tags.bulkAdd({ entityType: "contact", ids: [ownerContact!], tagId: tag.id }),
        "NOT_FOUND",
      );
      // Handing one's own record to someone else works, though it then leaves one's view.
      expect(await api.bulkAssignOwner({ ids: [memberContact!], ownerId: owner.user.id })).toEqual({
        ids: [memberContact],
        changed: 1,
      });
      expect(await listIds(member, "contacts")).not.toContain(memberContact);
    } finally {
      await handle.db.update(organizations).set({ recordVisibility: "all" }).where(eq(organizations.id, owner.org.id));
    }
  });
});
