export { authRouter } from "./auth.router";
export type { AuthConfig, AuthService } from "./service";
export { createAuth } from "./service";
