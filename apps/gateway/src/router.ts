import { authRouter } from "@nexo/auth";
import { crmRouter } from "@nexo/crm";
import { router } from "@nexo/trpc";

export const appRouter = router({
  auth: authRouter,
  crm: crmRouter,
});

/** The whole API's type: the web app and the SDK import it type-only. */
export type AppRouter = typeof appRouter;
