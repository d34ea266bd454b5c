import { and, auditLog, type Db, desc, eq, gte, lt, lte, type SQL, users } from "@nexo/db";
import type { AuditEvent } from "./audit-events";

export type { AuditEvent } from "./audit-events";

export interface AuditEntryInput {
  event: AuditEvent;
  orgId: string | null;
  actorId: string | null;
  target?: { type: "user" | "invite" | "token" | "session" | "organization"; id: string };
  /** Small context for people reading the log. Never a secret, token or password. */
  details?: Record<string, string | number | boolean | null>;
}

/** Who did it and from where, as the procedure's context knows it. */
export interface AuditSource {
  ip: string;
  headers: Headers;
}

/** Writes one entry; pass the transaction of the event itself so both commit or neither does. */
export async function recordAudit(db: Pick<Db, "insert">, source: AuditSource, entry: AuditEntryInput) {
  await recordAudits(db, source, [entry]);
}

/** Writes several entries in one statement (one round trip, whatever their number). */
export async function recordAudits(db: Pick<Db, "insert">, source: AuditSource, entries: AuditEntryInput[]) {
  if (entries.length === 0) return;
  const userAgent = source.headers.get("user-agent")?.slice(0, 300) ?? null;
  await db.insert(auditLog).values(
    entries.map((entry) => ({
      orgId: entry.orgId,
      actorId: entry.actorId,
      event: entry.event,
      targetType: entry.target?.type ?? null,
      targetId: entry.target?.id ?? null,
      ip: source.ip || null,
      userAgent,
      details: entry.details ?? null,
    })),
  );
}

export interface AuditQuery {
  cursor?: string | null | undefined;
  limit: number;
  event?: AuditEvent | undefined;
  actorId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

/** One organization's entries, newest first, keyset-paginated on the time-ordered id. */
export async function listAudit(db: Db, orgId: string, query: AuditQuery) {
  const conditions: (SQL | undefined)[] = [eq(auditLog.orgId, orgId)];
  if (query.cursor) conditions.push(lt(auditLog.id, query.cursor));
  if (query.event) conditions.push(eq(auditLog.event, query.event));
  if (query.actorId) conditions.push(eq(auditLog.actorId, query.actorId));
  if (query.from) conditions.push(gte(auditLog.createdAt, query.from));
  if (query.to) conditions.push(lte(auditLog.createdAt, query.to));
  const rows = await db
    .select({
      id: auditLog.id,
      event: auditLog.event,
      actorId: auditLog.actorId,
      actorName: users.name,
      actorEmail: users.email,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      ip: auditLog.ip,
      userAgent: auditLog.userAgent,
      details: auditLog.details,
      createdAt: auditLog.createdAt,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(and(...conditions))
    .orderBy(desc(auditLog.id))
    .limit(query.limit + 1);
  const hasMore = rows.length > query.limit;
  const page = hasMore ? rows.slice(0, query.limit) : rows;
  return {
    items: page.map(({ actorId, actorName, actorEmail, ...rest }) => ({
      ...rest,
      event: rest.event as AuditEvent,
      actor: actorId && actorName !== null ? { id: actorId, name: actorName, email: actorEmail ?? "" } : null,
    })),
    nextCursor: hasMore ? (page.at(-1)?.id ?? null) : null,
  };
}
