import { z } from "zod";
import { auditEvents } from "./audit-events";

// Trim and lower-case before the format check: zod runs a schema's checks in order, so `z.email().trim()`
// would reject " ada@example.com ".
const email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: "Enter a valid email address." }).max(254, { error: "Email is too long." }));

export const registerInput = z.object({
  name: z.string().trim().min(1, { error: "Enter your name." }).max(100, { error: "Use at most 100 characters." }),
  email,
  password: z
    .string()
    .min(10, { error: "Use at least 10 characters." })
    .max(256, { error: "Use at most 256 characters." }),
  organizationName: z
    .string()
    .trim()
    .min(1, { error: "Enter your organization's name." })
    .max(100, { error: "Use at most 100 characters." }),
});

/** No length policy beyond a cap: passwords set under an older policy must still sign in. */
export const loginInput = z.object({
  email,
  password: z.string().min(1, { error: "Enter your password." }).max(256, { error: "Use at most 256 characters." }),
});

export type RegisterInput = z.input<typeof registerInput>;
export type LoginInput = z.input<typeof loginInput>;

const newPassword = z
  .string()
  .min(10, { error: "Use at least 10 characters." })
  .max(256, { error: "Use at most 256 characters." });
const currentPassword = z
  .string()
  .min(1, { error: "Enter your password." })
  .max(256, { error: "Use at most 256 characters." });
const name = registerInput.shape.name;
const uuid = (what: string) => z.uuid({ error: `Not a valid ${what} id.` });
/** Invite, reset and API tokens are 43 base64url characters (256 bits); anything else is refused early. */
const linkToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/, { error: "This link is not valid." });

/** Roles that can be given by invitation or role change: ownership only moves by transfer. */
export const assignableRole = z.enum(["admin", "member", "viewer"], {
  error: "Choose admin, member or viewer.",
});

export const switchOrganizationInput = z.object({ orgId: uuid("organization") });

export const changePasswordInput = z.object({ currentPassword, newPassword });

export const updateOrganizationInput = z
  .object({
    name: registerInput.shape.organizationName.optional(),
    recordVisibility: z.enum(["all", "own"], { error: "Choose all or own." }).optional(),
  })
  .refine((v) => v.name !== undefined || v.recordVisibility !== undefined, { error: "Nothing to update." });

export const sessionIdInput = z.object({
  id: z.string().regex(/^[0-9a-f]{32}$/, { error: "Not a valid session id." }),
});
export const revokeAllSessionsInput = z.object({ exceptCurrent: z.boolean().default(false) }).default({
  exceptCurrent: false,
});

export const memberInput = z.object({ userId: uuid("user") });
export const changeRoleInput = z.object({ userId: uuid("user"), role: assignableRole });

export const createInviteInput = z.object({
  role: assignableRole,
  /** Optional: when given, only this email can accept. */
  email: email.optional(),
  expiresInDays: z
    .number()
    .int()
    .min(1, { error: "At least 1 day." })
    .max(30, { error: "At most 30 days." })
    .default(7),
});
export const inviteIdInput = z.object({ id: uuid("invite") });
export const inviteTokenInput = z.object({ token: linkToken });
export const listInvitesInput = z
  .object({
    status: z.enum(["pending", "all"]).default("pending"),
    cursor: uuid("invite").nullish(),
    limit: z.number().int().min(1).max(100).default(50),
  })
  .default({ status: "pending", limit: 50 });

export const acceptInviteInput = z.discriminatedUnion(
  "mode",
  [
    /** The visitor is signed in and joins with that account. */
    z.object({ mode: z.literal("signedIn"), token: linkToken }),
    /** An existing account proves itself with its password. */
    z.object({ mode: z.literal("existingAccount"), token: linkToken, email, password: currentPassword }),
    z.object({ mode: z.literal("newAccount"), token: linkToken, name, email, password: newPassword }),
  ],
  { error: "Choose signedIn, existingAccount or newAccount." },
);
export type AcceptInviteInput = z.input<typeof acceptInviteInput>;

export const requestPasswordResetInput = z.object({ email });
export const completePasswordResetInput = z.object({ token: linkToken, password: newPassword });

export const createApiTokenInput = z.object({
  name: z
    .string()
    .trim()
    .min(1, { error: "Give the token a name." })
    .max(100, { error: "Use at most 100 characters." }),
  /** Null or absent: the token does not expire. */
  expiresInDays: z
    .number()
    .int()
    .min(1, { error: "At least 1 day." })
    .max(3650, { error: "At most 3650 days." })
    .nullish(),
});
export const apiTokenIdInput = z.object({ id: uuid("token") });

// Postgres timestamps end in year 294276 and JavaScript's start far earlier: keep filters to sane dates.
const auditDate = z
  .date({ error: "Not a valid date." })
  .min(new Date("2000-01-01T00:00:00Z"), { error: "Pick a date after 2000." })
  .max(new Date("9999-12-31T23:59:59Z"), { error: "Pick a date before the year 10000." });

export const listAuditInput = z
  .object({
    cursor: uuid("entry").nullish(),
    limit: z.number().int().min(1).max(100).default(50),
    event: z.enum(auditEvents, { error: "Unknown event type." }).optional(),
    actorId: uuid("user").optional(),
    from: auditDate.optional(),
    to: auditDate.optional(),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { error: "The start must not be after the end.", path: ["to"] })
  .default({ limit: 50 });
