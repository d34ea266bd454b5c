import type { Route } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { focusRing } from "./button";

export function TextLink({ href, children }: { href: Route; children: ReactNode }) {
  return (
    <Link href={href} className={`rounded-sm font-medium text-indigo-600 hover:text-indigo-500 ${focusRing}`}>
      {children}
    </Link>
  );
}
