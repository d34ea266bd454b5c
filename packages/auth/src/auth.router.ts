import { isUniqueViolation, protectedProcedure, publicProcedure, TRPCError, type TRPCRouterRecord } from "@nexo/trpc";
import { createAccount, findAccount, findCredentials, findFirstAccount } from "./accounts.queries";
import { hashPassword, verifyPassword } from "./passwords";
import { loginInput, registerInput } from "./schemas";

export const authRouter = {
  register: publicProcedure.input(registerInput).mutation(async ({ ctx, input }) => {
    const passwordHash = await hashPassword(input.password);
    // The unique index decides, not a lookup first: two simultaneous sign-ups cannot both pass.
    const account = await createAccount(ctx.db, {
      name: input.name,
      email: input.email,
      passwordHash,
      organizationName: input.organizationName,
    }).catch((error: unknown) => {
      if (isUniqueViolation(error, "users_email_key")) {
        throw new TRPCError({ code: "CONFLICT", message: "An account with this email already exists." });
      }
      throw error;
    });
    const { user, organization, role } = account;
    await ctx.auth.startSession({ userId: user.id, orgId: organization.id, role }, ctx);
    ctx.log.info({ userId: user.id, orgId: organization.id }, "account registered");
    return account;
  }),

  login: publicProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    const credentials = await findCredentials(ctx.db, input.email);
    // Always verify, against a dummy hash for unknown emails, and answer both failures alike, so
    // neither the message nor the timing tells which emails have accounts.
    const valid = await verifyPassword(credentials?.passwordHash, input.password);
    if (!credentials || !valid) {
      ctx.log.info({ ip: ctx.ip }, "sign-in rejected");
      throw new TRPCError({ code: "UNAUTHORIZED", message: "Invalid email or password." });
    }
    const account = await findFirstAccount(ctx.db, credentials.id);
    if (!account) {
      throw new TRPCError({ code: "FORBIDDEN", message: "This account does not belong to any organization." });
    }
    const { user, organization, role } = account;
    await ctx.auth.startSession({ userId: user.id, orgId: organization.id, role }, ctx);
    ctx.log.info({ userId: user.id, orgId: organization.id }, "signed in");
    return account;
  }),

  logout: protectedProcedure.mutation(async ({ ctx }) => {
    await ctx.auth.endSession(ctx.session.id, ctx.resHeaders);
    return { ok: true as const };
  }),

  me: protectedProcedure.query(async ({ ctx }) => {
    const account = await findAccount(ctx.db, ctx.session);
    if (!account) {
      // The user or the membership was deleted: the session is worthless from now on.
      await ctx.auth.endSession(ctx.session.id, ctx.resHeaders);
      throw new TRPCError({ code: "UNAUTHORIZED", message: "Please sign in." });
    }
    return account;
  }),
} satisfies TRPCRouterRecord;
