import { type Db, eq, memberships, organizations, type Role, users } from "@nexo/db";
import { type Context, createCallerFactory, router } from "@nexo/trpc";
import { crmRouter } from "./crm.router";

const createCaller = createCallerFactory(router({ crm: crmRouter }));

const silentLog = { debug() {}, info() {}, warn() {}, error() {} };

/** Creates an organization with one user of the given role and returns a caller acting as them. */
export async function signedInCaller(db: Db, orgName: string, role: Role = "owner", existingOrgId?: string) {
  const [org] = existingOrgId
    ? await db.select().from(organizations).where(eq(organizations.id, existingOrgId))
    : await db.insert(organizations).values({ name: orgName }).returning();
  const [user] = await db
    .insert(users)
    .values({ name: `${orgName} user`, email: `${crypto.randomUUID()}@example.com`, passwordHash: "x" })
    .returning();
  if (!org || !user) throw new Error("fixture insert failed");
  await db.insert(memberships).values({ orgId: org.id, userId: user.id, role });
  const session = { id: crypto.randomUUID(), userId: user.id, orgId: org.id, role, via: "cookie" } as const;
  return { caller: callerWith(db, session), org, user, session };
}

function callerWith(db: Db, session: Context["session"]) {
  return createCaller({
    db,
    log: silentLog,
    requestId: "test",
    headers: new Headers(),
    ip: "127.0.0.1",
    resHeaders: new Headers(),
    session,
  });
}

/**
 * The same signed-in user's caller with every statement run on `db`: a transaction that a test holds
 * open (`holdOpen`), to see what a concurrent call does meanwhile.
 */
export function callerOn(db: unknown, signedIn: Awaited<ReturnType<typeof signedInCaller>>) {
  return callerWith(db as Db, signedIn.session);
}

export function anonymousCaller(db: Db) {
  return callerWith(db, null);
}
