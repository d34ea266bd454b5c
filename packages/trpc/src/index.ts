export type { TRPCRouterRecord } from "@trpc/server";
export { TRPCError } from "@trpc/server";
export type { Context, ContextServices, Log, Session } from "./context";
export { createCallerFactory, middleware, orgProcedure, protectedProcedure, publicProcedure, router } from "./init";
export { isUniqueViolation } from "./pg-errors";
