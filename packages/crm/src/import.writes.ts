/**
 * Writing one import batch: dedupe lookups, references by name, multi-row inserts, updates with
 * their history. Everything runs on the batch's transaction; a few queries per batch, never one
 * per row for inserts.
 */
import {
  and,
  companies,
  contacts,
  customFieldValues,
  dealContacts,
  deals,
  type EntityType,
  eq,
  inArray,
  isNull,
  type LifecycleStage,
  pipelineStages,
  pipelines,
  recordHistory,
  sql,
  taggings,
  tags,
} from "@nexo/db";
import { can } from "@nexo/trpc";
import { insertMany, insertRows } from "./bulk-insert";
import { companyColumns, companyTrackedFields } from "./companies.queries";
import { contactColumns, contactTrackedFields } from "./contacts.queries";
import { customFieldsByRecord, type LabelledDefinition, storedColumns } from "./customFields.queries";
import { statusIn } from "./deals.moves";
import { type DbOrTx, recordChanges } from "./history";
import {
  entityTypeOf,
  type ImportKind,
  issuesText,
  type RowExtras,
  type RowIssue,
  type RowValues,
} from "./import.fields";
import { type Viewer, visibleCompanies, visibleContacts } from "./visibility";

export interface BatchRow<K extends ImportKind> {
  row: number;
  value: RowValues[K];
  given: string[];
  extras: RowExtras;
  cells: string[];
}
export type DedupeMode = "skip" | "update" | "create";
export interface BatchOutcome {
  inserted: number;
  updated: number;
  skipped: number;
  failures: { row: number; message: string; values: string[] }[];
}

/**
 * Who imports. Their role decides whether tags the file names but the organization lacks may be
 * created; with their id, which records they may see: a row never updates, skips against or links
 * to a record the importer could not see in the app.
 */
type Actor = Viewer;

/** The dedupe key of a row: email for contacts, domain for companies; deals are never deduped. */
function keyOf(kind: ImportKind, value: RowValues[ImportKind]): string | null {
  if (kind === "contacts") return (value as RowValues["contacts"]).email ?? null;
  if (kind === "companies") return (value as RowValues["companies"]).domain ?? null;
  return null;
}

interface Existing {
  id: string;
  trashed: boolean;
  /** Whether the importer may see it: a company they may not see still holds its domain. */
  visible: boolean;
}

/**
 * Existing records by dedupe key: the contacts the actor may see (one they may not see is no match,
 * as in the app), and every company of the organization, trashed ones too (their domain is taken).
 */
async function existingByKey(db: DbOrTx, actor: Actor, kind: ImportKind, keys: string[]) {
  const found = new Map<string, Existing>();
  if (keys.length === 0 || kind === "deals") return found;
  if (kind === "contacts") {
    const rows = await db
      .select({ id: contacts.id, key: contacts.email })
      .from(contacts)
      .where(and(visibleContacts(actor), inArray(contacts.email, keys), isNull(contacts.deletedAt)))
      .orderBy(contacts.id);
    for (const r of rows) if (r.key && !found.has(r.key)) found.set(r.key, { id: r.id, trashed: false, visible: true });
  } else {
    const rows = await db
      .select({
        id: companies.id,
        key: companies.domain,
        deletedAt: companies.deletedAt,
        visible: sql<boolean>`${visibleCompanies(actor)}`,
      })
      .from(companies)
      .where(and(eq(companies.orgId, actor.orgId), inArray(companies.domain, keys)));
    for (const r of rows) if (r.key) found.set(r.key, { id: r.id, trashed: r.deletedAt !== null, visible: r.visible });
  }
  return found;
}

/**
 * Whether a batch may be written while the previous one is still committing: its planning must not
 * depend on what that batch writes. Deals never (positions in a stage follow the last deal);
 * contacts created regardless of duplicates always; otherwise when no dedupe key of this batch is
 * one of the previous batch's (the lookup of existing records would miss its uncommitted rows).
 */
export function mayOverlap(
  kind: ImportKind,
  mode: DedupeMode,
  rows: BatchRow<ImportKind>[],
  previous: BatchRow<ImportKind>[],
): boolean {
  if (kind === "deals") return false;
  if (kind === "contacts" && mode === "create") return true;
  const earlier = new Set<string>();
  for (const r of previous) {
    const key = keyOf(kind, r.value);
    if (key !== null) earlier.add(key);
  }
  return rows.every((r) => {
    const key = keyOf(kind, r.value);
    return key === null || !earlier.has(key);
  });
}

type Plan = { kind: "create" } | { kind: "update"; id: string } | { kind: "skip" } | { kind: "fail"; issue: RowIssue };

/**
 * What each row would do under `mode`, given what exists and what earlier rows of the batch do.
 * Rows in `failed` fail with their issue and are no earlier row to the rows that repeat them: a
 * repeat of a row that cannot be written stands on its own.
 */
function decide(
  kind: ImportKind,
  rows: BatchRow<ImportKind>[],
  existing: Map<string, Existing>,
  mode: DedupeMode,
  failed: Map<number, RowIssue>,
): Plan[] {
  const firstInBatch = new Map<string, number>();
  return rows.map((r, i): Plan => {
    const own = failed.get(i);
    if (own) return { kind: "fail", issue: own };
    const key = keyOf(kind, r.value);
    if (key === null) return { kind: "create" };
    const match = existing.get(key);
    const earlier = firstInBatch.get(key);
    if (earlier === undefined) firstInBatch.set(key, i);
    const domainIssue = (message: string): Plan => ({ kind: "fail", issue: { field: "domain", message } });
    // One the importer may not see is not named, nor said to be in the trash (as companies.create).
    if (match && !match.visible)
      return domainIssue(`Another company in your organization already has the domain ${key}.`);
    if (match?.trashed) return domainIssue(`A company with the domain ${key} is in the trash; restore it first.`);
    if (kind === "companies" && mode === "create" && (match || earlier !== undefined)) {
      return domainIssue(`A company with the domain ${key} already exists (domains are unique).`);
    }
    if (mode === "create") return { kind: "create" };
    if (mode === "skip") return match || earlier !== undefined ? { kind: "skip" } : { kind: "create" };
    if (match) return { kind: "update", id: match.id };
    // A repeat within the file updates the row the file created: the later values win.
    return earlier === undefined ? { kind: "create" } : { kind: "update", id: `#${earlier}` };
  });
}

interface BatchPlan {
  plans: Plan[];
  refs: Awaited<ReturnType<typeof references>>;
  /** Tag ids by lower-cased name, of the tags that exist (or, once `createTags` ran, were created). */
  tagIds: Map<string, string>;
  /** A deal's values as resolved while planning (resolving places it in its stage: done once). */
  resolvedDeals: Map<number, Resolved>;
}

/**
 * Plans a batch without writing: dedupe against what exists and within the batch, then each row
 * on its own against what it names (company, pipeline, stage, contact, tags). A row naming
 * something missing fails, and the batch is planned again without it.
 */
async function planBatch(
  db: DbOrTx,
  actor: Actor,
  kind: ImportKind,
  rows: BatchRow<ImportKind>[],
  mode: DedupeMode,
): Promise<BatchPlan> {
  const keys = [...new Set(rows.map((r) => keyOf(kind, r.value)).filter((k): k is string => k !== null))];
  // "create" ignores existing contacts; only a company's domain must stay unique.
  const existing: Map<string, Existing> =
    mode === "create" && kind !== "companies" ? new Map() : await existingByKey(db, actor, kind, keys);
  let plans = decide(kind, rows, existing, mode, new Map());
  const refs = await references(db, actor, kind, rows);
  const tagIds = await existingTags(
    db,
    actor.orgId,
    rows.flatMap((r) => r.extras.tags ?? []),
  );
  const mayCreateTags = can(actor.role, "tags.manage");
  const failed = new Map<number, RowIssue>();
  const resolvedDeals = new Map<number, Resolved>();
  // Each row is checked once it is to be written (a skipped row is not). A row failing can turn a
  // later one that was to repeat it, skip or fail with it into one to write: planned again, that
  // one is checked in turn.
  const checked = new Set<number>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const [i, r] of rows.entries()) {
      const planned = plans[i]?.kind;
      if ((planned !== "create" && planned !== "update") || checked.has(i)) continue;
      checked.add(i);
      const resolved = refs.resolve(r.value, r.given);
      if (kind === "deals") resolvedDeals.set(i, resolved);
      const missing = mayCreateTags ? [] : (r.extras.tags ?? []).filter((name) => !tagIds.has(name.toLowerCase()));
      if ("error" in resolved) failed.set(i, resolved.error);
      else if (missing.length > 0) {
        failed.set(i, {
          field: "tags",
          message: `No tag named ${missing.map((m) => `“${m}”`).join(", ")}; an owner or admin must create it first.`,
        });
      } else continue;
      changed = true;
    }
    if (changed) plans = decide(kind, rows, existing, mode, failed);
  }
  return { plans, refs, tagIds, resolvedDeals };
}

/** What each row of a dry run would do, or the issue it would fail with. */
export async function previewActions(
  db: DbOrTx,
  actor: Actor,
  kind: ImportKind,
  rows: BatchRow<ImportKind>[],
  mode: DedupeMode,
): Promise<("create" | "update" | "skip" | { issue: RowIssue })[]> {
  const { plans } = await planBatch(db, actor, kind, rows, mode);
  return plans.map((p) => (p.kind === "fail" ? { issue: p.issue } : p.kind));
}

function pick(value: Record<string, unknown>, fields: readonly string[], given: string[]) {
  return Object.fromEntries(fields.filter((f) => given.includes(f) && f in value).map((f) => [f, value[f]]));
}

export async function applyBatch(
  tx: DbOrTx,
  actor: Actor,
  kind: ImportKind,
  rows: BatchRow<ImportKind>[],
  mode: DedupeMode,
  jobId: string,
  customFields: readonly LabelledDefinition[] = [],
  /**
   * Called once the batch has read what it plans with and created the tags it names: from then on
   * it only writes rows of its own, so the next batch may start.
   */
  onPlanned?: () => void,
): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { inserted: 0, updated: 0, skipped: 0, failures: [] };
  if (rows.length === 0) {
    onPlanned?.();
    return outcome;
  }
  const { plans, refs, tagIds, resolvedDeals } = await planBatch(tx, actor, kind, rows, mode);
  const fail = (r: BatchRow<ImportKind>, issue: RowIssue) =>
    outcome.failures.push({ row: r.row, message: issuesText([issue]), values: r.cells });

  // Repeats within the batch fold into the row they repeat before anything is written (into a
  // copy: the rows as read stay as they are). Both could be written on their own, so the two
  // together can too.
  type Merged = Omit<BatchRow<ImportKind>, "value"> & { value: Record<string, unknown> };
  let merged = rows as Merged[];
  plans.forEach((p, i) => {
    if (p.kind === "update" && p.id.startsWith("#")) {
      const at = Number(p.id.slice(1));
      let target = merged[at];
      const source = merged[i];
      if (target && target === rows[at]) {
        if (merged === rows) merged = merged.slice();
        target = {
          ...target,
          value: { ...target.value },
          given: [...target.given],
          extras: { tags: target.extras.tags, customFields: { ...target.extras.customFields } },
        };
        merged[at] = target;
      }
      if (target && source) {
        Object.assign(target.value, pick(source.value, Object.keys(source.value), source.given));
        target.given = [...new Set([...target.given, ...source.given])];
        target.extras.tags = source.extras.tags ?? target.extras.tags;
        Object.assign(target.extras.customFields, source.extras.customFields);
      }
    }
  });

  const creates: { index: number; values: Record<string, unknown> }[] = [];
  const updates: { index: number; id: string; changes: Record<string, unknown> }[] = [];
  for (const [i, p] of plans.entries()) {
    const r = merged[i];
    const original = rows[i];
    if (!r || !original) continue;
    if (p.kind === "fail") {
      fail(original, p.issue);
    } else if (p.kind === "skip") {
      outcome.skipped += 1;
    } else if (p.kind === "update" && p.id.startsWith("#")) {
      outcome.updated += 1;
    } else {
      const resolved = resolvedDeals.get(i) ?? refs.resolve(r.value, r.given);
      if ("error" in resolved) fail(original, resolved.error);
      else if (p.kind === "create") creates.push({ index: i, values: resolved.create });
      else updates.push({ index: i, id: p.id, changes: resolved.update() });
    }
  }

  // Tags the written rows name but the organization lacks are created (planning failed the rows
  // of those who may not create them).
  await createTags(
    tx,
    actor,
    [...creates, ...updates].flatMap(({ index }) => merged[index]?.extras.tags ?? []),
    tagIds,
  );
  onPlanned?.();
  const extrasOf = (index: number) => merged[index]?.extras ?? { tags: null, customFields: {} };
  const fieldsByKey = new Map(customFields.map((f) => [f.key, f]));

  const table = { contacts, companies, deals }[kind];
  if (creates.length > 0) {
    // The values are the batch's own objects; columns the table lacks (a deal's contactId) are not written.
    const inserted = await insertMany(
      tx,
      table,
      creates.map(({ values }) => {
        values.orgId = actor.orgId;
        values.createdBy = actor.userId;
        values.ownerId = actor.userId;
        return values;
      }),
    );
    outcome.inserted += inserted.length;
    await insertMany(
      tx,
      recordHistory,
      inserted.map(({ id }) => ({
        orgId: actor.orgId,
        entityType: entityTypeOf[kind],
        entityId: id,
        field: "created",
        newValue: { importId: jobId },
        changedBy: actor.userId,
      })),
    );
    if (kind === "deals") {
      const links = inserted.flatMap(({ id }, i) => {
        const contactId = creates[i]?.values.contactId;
        return typeof contactId === "string" ? [{ orgId: actor.orgId, dealId: id, contactId }] : [];
      });
      if (links.length > 0) await tx.insert(dealContacts).values(links);
    }
    await insertRows(
      tx,
      taggings,
      inserted.flatMap(({ id }, i) =>
        (extrasOf(creates[i]?.index ?? -1).tags ?? []).map((name) => ({
          orgId: actor.orgId,
          tagId: tagIds.get(name.toLowerCase()),
          entityType: entityTypeOf[kind],
          entityId: id,
        })),
      ),
    );
    await insertRows(
      tx,
      customFieldValues,
      inserted.flatMap(({ id }, i) =>
        valueRows(actor.orgId, id, extrasOf(creates[i]?.index ?? -1).customFields, fieldsByKey),
      ),
    );
  }
  for (const u of updates) {
    if (kind === "contacts") {
      const where = and(eq(contacts.orgId, actor.orgId), eq(contacts.id, u.id));
      const [before] = await tx.select(contactColumns).from(contacts).where(where).for("update");
      const [after] = await tx.update(contacts).set(u.changes).where(where).returning(contactColumns);
      if (before && after) await recordChanges(tx, actor, "contact", u.id, before, after, contactTrackedFields);
    } else {
      const where = and(eq(companies.orgId, actor.orgId), eq(companies.id, u.id));
      const [before] = await tx.select(companyColumns).from(companies).where(where).for("update");
      const [after] = await tx.update(companies).set(u.changes).where(where).returning(companyColumns);
      if (before && after) await recordChanges(tx, actor, "company", u.id, before, after, companyTrackedFields);
    }
    outcome.updated += 1;
  }
  await updateExtras(
    tx,
    actor,
    entityTypeOf[kind],
    updates.map((u) => ({ id: u.id, extras: extrasOf(u.index) })),
    tagIds,
    fieldsByKey,
  );
  return outcome;
}

/** The value rows of one record's custom fields (keys the organization does not have are dropped). */
function valueRows(
  orgId: string,
  entityId: string,
  values: RowExtras["customFields"],
  fieldsByKey: Map<string, LabelledDefinition>,
) {
  return Object.entries(values).flatMap(([key, value]) => {
    const field = fieldsByKey.get(key);
    return field ? [{ orgId, fieldId: field.id, entityId, ...storedColumns(field.type, value) }] : [];
  });
}

/** Tag ids by lower-cased name, of the tags among `names` the organization has. */
async function existingTags(db: DbOrTx, orgId: string, names: string[]): Promise<Map<string, string>> {
  const byName = new Map<string, string>();
  const lowered = [...new Set(names.map((name) => name.toLowerCase()))];
  if (lowered.length === 0) return byName;
  const found = await db
    .select({ id: tags.id, name: sql<string>`lower(${tags.name})` })
    .from(tags)
    .where(and(eq(tags.orgId, orgId), inArray(sql`lower(${tags.name})`, lowered)));
  for (const t of found) byName.set(t.name, t.id);
  return byName;
}

/**
 * Creates the tags among `names` that `byName` lacks, when the actor may manage tags, and adds them
 * to it (a concurrent import creating the same one is absorbed by the unique index).
 */
async function createTags(tx: DbOrTx, actor: Actor, names: string[], byName: Map<string, string>) {
  if (!can(actor.role, "tags.manage")) return;
  // The first spelling a file uses names a tag it creates.
  const missing = new Map<string, string>();
  for (const name of names) {
    const lower = name.toLowerCase();
    if (!byName.has(lower) && !missing.has(lower)) missing.set(lower, name);
  }
  if (missing.size === 0) return;
  await tx
    .insert(tags)
    .values([...missing.values()].map((name) => ({ orgId: actor.orgId, name })))
    .onConflictDoNothing();
  for (const [lower, id] of await existingTags(tx, actor.orgId, [...missing.keys()])) byName.set(lower, id);
}

/**
 * Tags and custom field values of updated records, a few statements per batch: the tags a row gives
 * replace the record's tags, the custom field values it gives are set (the others stay), and each
 * change is recorded in the record's history as the record pages do.
 */
async function updateExtras(
  tx: DbOrTx,
  actor: Actor,
  entityType: EntityType,
  updates: { id: string; extras: RowExtras }[],
  tagIds: Map<string, string>,
  fieldsByKey: Map<string, LabelledDefinition>,
) {
  const history: Record<string, unknown>[] = [];
  const change = (entityId: string, field: string, oldValue: unknown, newValue: unknown) => {
    if (JSON.stringify(oldValue) !== JSON.stringify(newValue)) {
      history.push({ orgId: actor.orgId, entityType, entityId, field, oldValue, newValue, changedBy: actor.userId });
    }
  };

  const retagged = updates.filter((u) => u.extras.tags !== null);
  if (retagged.length > 0) {
    const ids = [...new Set(retagged.map((u) => u.id))];
    const scope = and(
      eq(taggings.orgId, actor.orgId),
      eq(taggings.entityType, entityType),
      inArray(taggings.entityId, ids),
    );
    const before = await tx.select({ entityId: taggings.entityId, tagId: taggings.tagId }).from(taggings).where(scope);
    await tx.delete(taggings).where(scope);
    // A record given twice in a batch keeps the last row's tags.
    const after = new Map(
      retagged.map((u) => [
        u.id,
        [...new Set((u.extras.tags ?? []).map((n) => tagIds.get(n.toLowerCase()) as string))],
      ]),
    );
    await insertRows(
      tx,
      taggings,
      [...after].flatMap(([entityId, ids]) =>
        ids.map((tagId) => ({ orgId: actor.orgId, tagId, entityType, entityId })),
      ),
    );
    for (const [entityId, now] of after) {
      const old = before.filter((b) => b.entityId === entityId).map((b) => b.tagId);
      change(entityId, "tags", old.sort(), [...now].sort());
    }
  }

  const valued = updates.filter((u) => Object.keys(u.extras.customFields).length > 0);
  if (valued.length > 0) {
    const ids = [...new Set(valued.map((u) => u.id))];
    const current = await customFieldsByRecord(tx, actor.orgId, entityType, ids);
    const latest = new Map<string, RowExtras["customFields"]>();
    for (const u of valued) latest.set(u.id, { ...latest.get(u.id), ...u.extras.customFields });
    const rows = [...latest].flatMap(([entityId, values]) => valueRows(actor.orgId, entityId, values, fieldsByKey));
    if (rows.length > 0) {
      // The pairs travel as two uuid arrays, one parameter each, however many rows the batch has.
      const entityIds = `{${rows.map((r) => r.entityId).join(",")}}`;
      const fieldIds = `{${rows.map((r) => r.fieldId).join(",")}}`;
      await tx.execute(
        sql`delete from ${customFieldValues} where ${customFieldValues.orgId} = ${actor.orgId} and (${customFieldValues.entityId}, ${customFieldValues.fieldId}) in (select * from unnest(${entityIds}::text::uuid[], ${fieldIds}::text::uuid[]))`,
      );
      await insertRows(tx, customFieldValues, rows);
    }
    for (const [entityId, values] of latest) {
      for (const [key, value] of Object.entries(values)) {
        if (fieldsByKey.has(key)) change(entityId, `customFields.${key}`, current.get(entityId)?.[key] ?? null, value);
      }
    }
  }
  if (history.length > 0) await insertMany(tx, recordHistory, history);
}

/** A row's values to create a record with (a fresh object), or its changes to one (computed when asked). */
type Resolved = { create: Record<string, unknown>; update: () => Record<string, unknown> } | { error: RowIssue };

/**
 * Looks up, once per batch, the companies, pipelines, stages and contacts rows refer to by name:
 * of companies and contacts, only those the actor may see.
 */
async function references(
  tx: DbOrTx,
  actor: Actor,
  kind: ImportKind,
  rows: { value: Record<string, unknown> }[],
): Promise<{ resolve(value: Record<string, unknown>, given: string[]): Resolved }> {
  const companyNames = [
    ...new Set(
      rows
        .map((r) => r.value.company)
        .filter((c): c is string => typeof c === "string")
        .map((c) => c.toLowerCase()),
    ),
  ];
  const companyIds = new Map<string, string>();
  if (kind !== "companies" && companyNames.length > 0) {
    const found = await tx
      .select({ id: companies.id, name: sql<string>`lower(${companies.name})`, domain: companies.domain })
      .from(companies)
      .where(
        and(
          visibleCompanies(actor),
          isNull(companies.deletedAt),
          sql`(lower(${companies.name}) in ${companyNames} or ${companies.domain} in ${companyNames})`,
        ),
      )
      .orderBy(companies.id);
    for (const c of found) {
      if (!companyIds.has(c.name)) companyIds.set(c.name, c.id);
      if (c.domain && !companyIds.has(c.domain)) companyIds.set(c.domain, c.id);
    }
  }
  const companyOf = (value: Record<string, unknown>): string | null | { error: RowIssue } => {
    if (typeof value.company !== "string") return null;
    return (
      companyIds.get(value.company.toLowerCase()) ?? {
        error: { field: "company", message: `No company named “${value.company}”; import companies first.` },
      }
    );
  };

  if (kind === "contacts") {
    return {
      resolve(value, given) {
        const companyId = companyOf(value);
        if (companyId && typeof companyId === "object") return companyId;
        const create: Record<string, unknown> = {};
        for (const key in value) if (key !== "company") create[key] = value[key];
        create.companyId = companyId;
        create.lifecycleStage = (value.lifecycleStage as LifecycleStage | undefined) ?? "lead";
        const update = () =>
          pick({ ...value, companyId }, contactTrackedFields, [...given, ...(companyId ? ["companyId"] : [])]);
        return { create, update };
      },
    };
  }
  if (kind === "companies") {
    return {
      resolve: (value, given) => ({ create: { ...value }, update: () => pick(value, companyTrackedFields, given) }),
    };
  }

  // Deals: pipelines and stages are few; load them all. Contacts by email, one query. The stages are
  // key-share-locked (in id order, as deleteStage takes two) until the batch commits: a stage deleted
  // or made won/lost meanwhile (both lock it FOR UPDATE first) waits for these deals and then settles
  // them, instead of the batch writing into a stage that is gone or giving its deals the status the
  // stage had before. A key share does not stop stages being renamed or reordered (their positions
  // change under NO KEY UPDATE, in whatever order), so no lock cycle forms with those.
  await tx
    .select({ id: pipelineStages.id })
    .from(pipelineStages)
    .where(eq(pipelineStages.orgId, actor.orgId))
    .orderBy(pipelineStages.id)
    .for("key share");
  const stageRows = await tx
    .select({
      id: pipelineStages.id,
      name: pipelineStages.name,
      position: pipelineStages.position,
      isWon: pipelineStages.isWon,
      isLost: pipelineStages.isLost,
      pipelineId: pipelines.id,
      pipelineName: pipelines.name,
      pipelinePosition: pipelines.position,
    })
    .from(pipelineStages)
    .innerJoin(pipelines, eq(pipelines.id, pipelineStages.pipelineId))
    .where(eq(pipelineStages.orgId, actor.orgId))
    .orderBy(pipelines.position, pipelines.id, pipelineStages.position, pipelineStages.id);
  const emails = [...new Set(rows.map((r) => r.value.contactEmail).filter((e): e is string => typeof e === "string"))];
  const contactIds = new Map<string, string>();
  if (emails.length > 0) {
    const found = await tx
      .select({ id: contacts.id, email: contacts.email })
      .from(contacts)
      .where(and(visibleContacts(actor), inArray(contacts.email, emails), isNull(contacts.deletedAt)))
      .orderBy(contacts.id);
    for (const c of found) if (c.email && !contactIds.has(c.email)) contactIds.set(c.email, c.id);
  }
  // New deals go below the stage's last one, in file order.
  const positions = new Map<string, number>();
  if (stageRows.length > 0) {
    const tops = await tx
      .select({ stageId: deals.stageId, max: sql<number>`max(${deals.position})` })
      .from(deals)
      .where(
        and(
          eq(deals.orgId, actor.orgId),
          inArray(
            deals.stageId,
            stageRows.map((s) => s.id),
          ),
        ),
      )
      .groupBy(deals.stageId);
    for (const t of tops) positions.set(t.stageId, Number(t.max));
  }
  return {
    resolve(value) {
      const pipelineName = typeof value.pipeline === "string" ? value.pipeline.toLowerCase() : null;
      const inPipeline = pipelineName
        ? stageRows.filter((s) => s.pipelineName.toLowerCase() === pipelineName)
        : stageRows.filter((s) => s.pipelineId === stageRows[0]?.pipelineId);
      if (inPipeline.length === 0) {
        return {
          error: {
            field: "pipeline",
            message: pipelineName ? `No pipeline named “${value.pipeline}”.` : "Create a pipeline first.",
          },
        };
      }
      const stageName = typeof value.stage === "string" ? value.stage.toLowerCase() : null;
      const stage = stageName ? inPipeline.find((s) => s.name.toLowerCase() === stageName) : inPipeline[0];
      if (!stage)
        return {
          error: {
            field: "stage",
            message: `No stage named “${value.stage}” in pipeline ${inPipeline[0]?.pipelineName}.`,
          },
        };
      const companyId = companyOf(value);
      if (companyId && typeof companyId === "object") return companyId;
      let contactId: string | undefined;
      if (typeof value.contactEmail === "string") {
        contactId = contactIds.get(value.contactEmail);
        if (!contactId)
          return { error: { field: "contactEmail", message: `No contact with the email ${value.contactEmail}.` } };
      }
      const position = (positions.get(stage.id) ?? 0) + 1024;
      positions.set(stage.id, position);
      const status = statusIn(stage);
      return {
        create: {
          title: value.title,
          amountMinor: value.amountMinor,
          currency: value.currency,
          expectedCloseDate: value.expectedCloseDate ?? null,
          pipelineId: stage.pipelineId,
          stageId: stage.id,
          position,
          status,
          closedAt: status === "open" ? null : new Date(),
          companyId,
          contactId,
        },
        update: () => ({}),
      };
    },
  };
}
