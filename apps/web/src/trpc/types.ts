import type { AppRouter } from "@nexo/gateway";
import type { TRPCClientErrorLike } from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type ApiError = TRPCClientErrorLike<AppRouter>;

export type Me = RouterOutputs["auth"]["me"];
export type Contact = RouterOutputs["crm"]["contacts"]["list"]["items"][number];
