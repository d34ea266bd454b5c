import type { ReactNode } from "react";
import { AuthShell } from "~/components/auth-shell";

/** Link pages (invites, password resets) open whether or not someone is signed in. */
export default function PublicLayout({ children }: { children: ReactNode }) {
  return <AuthShell>{children}</AuthShell>;
}
