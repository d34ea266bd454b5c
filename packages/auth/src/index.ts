export { API_TOKEN_PREFIX } from "./api-tokens";
export type { AuditEvent } from "./audit-events";
export { auditEvents } from "./audit-events";
export { authRouter } from "./auth.router";
export type { Mail, Mailer } from "./mailer";
export type { RateLimits } from "./rate-limit";
export { defaultRateLimits, retryAfterSeconds } from "./rate-limit";
export type { AuthConfig, AuthService } from "./service";
export { createAuth } from "./service";
