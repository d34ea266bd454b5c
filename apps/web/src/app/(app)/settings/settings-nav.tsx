"use client";

import type { Route } from "next";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { focusRing } from "~/components/button";
import type { Permission } from "~/trpc/types";

const SECTIONS: Array<{ href: Route; label: string; requires?: Permission }> = [
  { href: "/settings/profile", label: "Profile" },
  { href: "/settings/sessions", label: "Sessions" },
  { href: "/settings/members", label: "Members & invites" },
  { href: "/settings/api-tokens", label: "API tokens" },
  { href: "/settings/audit", label: "Audit log", requires: "audit.read" },
  { href: "/settings/organization", label: "Organization" },
];

/** A column on wide screens; on a phone a row of tabs that scrolls sideways. */
export function SettingsNav({ permissions }: { permissions: readonly Permission[] }) {
  const pathname = usePathname();
  const sections = SECTIONS.filter((section) => !section.requires || permissions.includes(section.requires));
  return (
    <nav
      aria-label="Settings"
      className="-mx-4 overflow-x-auto border-b border-slate-200 px-4 md:mx-0 md:border-0 md:px-0"
    >
      <ul className="flex gap-1 md:flex-col">
        {sections.map((section) => {
          const current = pathname === section.href;
          return (
            <li key={section.href} className="shrink-0">
              <Link
                href={section.href}
                aria-current={current ? "page" : undefined}
                className={`block border-b-2 px-3 py-2.5 text-sm font-medium whitespace-nowrap md:rounded-lg md:border-0 md:py-2 ${
                  current
                    ? "border-indigo-600 text-indigo-700 md:bg-white md:shadow-sm md:ring-1 md:ring-slate-200"
                    : "border-transparent text-slate-600 hover:text-slate-900 md:hover:bg-slate-100"
                } ${focusRing}`}
              >
                {section.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
