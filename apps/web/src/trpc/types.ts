import type { AppRouter } from "@nexo/gateway";
import type { TRPCClientErrorLike } from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type ApiError = TRPCClientErrorLike<AppRouter>;

export type Me = RouterOutputs["auth"]["me"];
export type Contact = RouterOutputs["crm"]["contacts"]["list"]["items"][number];
export type CurrentOrganization = RouterOutputs["auth"]["organizations"]["current"];
export type Permission = CurrentOrganization["permissions"][number];
export type Role = CurrentOrganization["role"];
export type UserSession = RouterOutputs["auth"]["sessions"]["list"][number];
export type Member = RouterOutputs["auth"]["members"]["list"][number];
export type Invite = RouterOutputs["auth"]["invites"]["list"]["items"][number];
export type ApiToken = RouterOutputs["auth"]["apiTokens"]["list"][number];
export type AuditEntry = RouterOutputs["auth"]["audit"]["list"]["items"][number];
export type AuditEventName = RouterOutputs["auth"]["audit"]["events"][number];
