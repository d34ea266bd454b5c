import { and, asc, type Db, eq, memberships, organizations, type Role, users } from "@nexo/db";

/**
 * Matches no user: stands in for the id of an unknown email, so that the lookups a known email
 * needs still run (and cost the same) for an unknown one.
 */
export const NO_USER = "00000000-0000-0000-0000-000000000000";

/** A user as seen through one of their memberships: what the auth procedures return. */
export interface Account {
  user: { id: string; name: string; email: string };
  organization: { id: string; name: string };
  role: Role;
}

const accountColumns = {
  user: { id: users.id, name: users.name, email: users.email },
  organization: { id: organizations.id, name: organizations.name },
  role: memberships.role,
};

function selectAccounts(db: Db) {
  return db
    .select(accountColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(organizations, eq(organizations.id, memberships.orgId));
}

/** Creates a user, their organization and their owner membership, all or nothing. */
export function createAccount(
  db: Db,
  input: { name: string; email: string; passwordHash: string; organizationName: string },
): Promise<Account> {
  return db.transaction(async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({ name: input.name, email: input.email, passwordHash: input.passwordHash })
      .returning(accountColumns.user);
    const [organization] = await tx
      .insert(organizations)
      .values({ name: input.organizationName })
      .returning(accountColumns.organization);
    if (!user || !organization) throw new Error("INSERT … RETURNING returned no row");
    const role = "owner";
    await tx.insert(memberships).values({ orgId: organization.id, userId: user.id, role });
    return { user, organization, role };
  });
}

/** What login checks a password against; undefined for an unknown email. */
export async function findCredentials(
  db: Db,
  email: string,
): Promise<{ id: string; passwordHash: string } | undefined> {
  const [row] = await db
    .select({ id: users.id, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.email, email));
  return row;
}

/** The account through the user's oldest membership: the organization a login opens. */
export async function findFirstAccount(db: Db, userId: string): Promise<Account | undefined> {
  const [row] = await selectAccounts(db)
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.createdAt), asc(memberships.orgId))
    .limit(1);
  return row;
}

/** The account behind a session, or undefined once the user or the membership is gone. */
export async function findAccount(
  db: Db,
  { userId, orgId }: { userId: string; orgId: string },
): Promise<Account | undefined> {
  const [row] = await selectAccounts(db).where(and(eq(memberships.userId, userId), eq(memberships.orgId, orgId)));
  return row;
}

/** Every organization the user belongs to, oldest membership first. */
export function listAccounts(db: Db, userId: string) {
  return selectAccounts(db)
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.createdAt), asc(memberships.orgId));
}

/** The organizations of a user, for events (password change, reset) that concern all of them. */
export async function orgIdsOf(db: Pick<Db, "select">, userId: string): Promise<string[]> {
  const rows = await db.select({ orgId: memberships.orgId }).from(memberships).where(eq(memberships.userId, userId));
  return rows.map((r) => r.orgId);
}

export async function findPasswordHash(db: Db, userId: string): Promise<string | undefined> {
  const [row] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
  return row?.passwordHash;
}
