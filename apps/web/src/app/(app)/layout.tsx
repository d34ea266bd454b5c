import type { ReactNode } from "react";
import { requireSession } from "~/trpc/server";
import { AppHeader } from "./app-header";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const session = await requireSession();
  return (
    <div className="min-h-dvh">
      <AppHeader organizationName={session.organization.name} userName={session.user.name} />
      {children}
    </div>
  );
}
