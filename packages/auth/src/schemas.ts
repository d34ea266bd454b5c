import { z } from "zod";

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
