import type { ReactNode } from "react";
import { requireSession } from "~/trpc/server";
import { AppShell } from "./_shell/app-shell";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const session = await requireSession();
  return (
    <AppShell organizationName={session.organization.name} userName={session.user.name} userEmail={session.user.email}>
      {children}
    </AppShell>
  );
}
