import { TRPCError } from "@nexo/trpc";
import { type Account, findCredentials, findFirstAccount, NO_USER } from "./accounts.queries";
import { type AuditSource, recordAudit } from "./audit";
import { verifyPassword } from "./passwords";

export const invalidCredentials = () => new TRPCError({ code: "UNAUTHORIZED", message: "Invalid email or password." });

type SignInContext = AuditSource & {
  db: Parameters<typeof findCredentials>[0];
  log: { info(obj: object, msg?: string): void };
};

/**
 * Checks an email and password; on failure audits `login.failed` and throws UNAUTHORIZED.
 *
 * An unknown email and a wrong password take the same steps: the password is verified against a
 * dummy hash, and the account lookup runs (with an id that matches nothing), so neither the answer
 * nor the time it takes tells which emails have accounts. `via` tells the audit log where the
 * attempt came from when it was not the sign-in form.
 */
export async function checkCredentials(
  ctx: SignInContext,
  input: { email: string; password: string },
  via?: "invite",
): Promise<{ userId: string; firstAccount: Account | undefined }> {
  const credentials = await findCredentials(ctx.db, input.email);
  const valid = await verifyPassword(credentials?.passwordHash, input.password);
  const firstAccount = await findFirstAccount(ctx.db, credentials?.id ?? NO_USER);
  if (!credentials || !valid) {
    ctx.log.info({ ip: ctx.ip }, "sign-in rejected");
    const details = { ...(credentials ? {} : { reason: "unknown email" }), ...(via ? { via } : {}) };
    await recordAudit(ctx.db, ctx, {
      event: "login.failed",
      orgId: firstAccount?.organization.id ?? null,
      actorId: credentials?.id ?? null,
      details: Object.keys(details).length > 0 ? details : undefined,
    });
    throw invalidCredentials();
  }
  return { userId: credentials.id, firstAccount };
}
