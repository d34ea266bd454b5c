import type { ReactNode } from "react";
import { getQueryClient, getServerTRPC, requireSession } from "~/trpc/server";
import { SettingsNav } from "./settings-nav";

export default async function SettingsLayout({ children }: { children: ReactNode }) {
  await requireSession();
  const trpc = await getServerTRPC();
  const current = await getQueryClient().fetchQuery(trpc.auth.organizations.current.queryOptions());
  return (
    <div className="mx-auto max-w-6xl px-4 py-6 sm:px-6 sm:py-8">
      <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Settings</h1>
      <p className="mt-1 text-sm text-slate-600">Your account, your team and {current.name}.</p>
      <div className="mt-6 gap-8 md:grid md:grid-cols-[12rem_minmax(0,1fr)]">
        <SettingsNav permissions={current.permissions} />
        <div className="mt-6 min-w-0 md:mt-0">{children}</div>
      </div>
    </div>
  );
}
