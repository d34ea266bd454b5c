export type { TRPCRouterRecord } from "@trpc/server";
export { TRPCError } from "@trpc/server";
export type { Context, ContextServices, ExpensiveAction, Log, Session } from "./context";
export type { Meta } from "./init";
export {
  browserProcedure,
  createCallerFactory,
  expensiveProcedure,
  middleware,
  orgProcedure,
  permissionProcedure,
  protectedProcedure,
  publicProcedure,
  router,
} from "./init";
export type { Permission } from "./permissions";
export { allRoles, can, permissions, permissionTable, roleRank } from "./permissions";
export { isUniqueViolation } from "./pg-errors";
export { isQueryTimeout, isServiceUnavailable } from "./service-errors";
