"use client";

import { Search } from "lucide-react";
import type { Route } from "next";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { BrandMark } from "~/components/brand";
import { focusRing } from "~/components/button";
import { OrganizationSwitcher } from "../organization-switcher";
import { isActive, NAV_ITEMS } from "./nav";
import { useShell } from "./shell-context";
import { UserMenu } from "./user-menu";

interface SidebarProps {
  organizationName: string;
  userName: string;
  userEmail: string;
}

/** Brand, organization, search, the main places and the user's menu; the drawer on small screens. */
export function Sidebar({ organizationName, userName, userEmail }: SidebarProps) {
  const pathname = usePathname();
  const { openPalette } = useShell();
  return (
    <div className="flex h-full flex-col gap-4 px-3 py-4">
      <div className="flex items-center gap-2 px-1">
        <Link href={"/dashboard" as Route} className={`shrink-0 rounded-md ${focusRing}`}>
          <BrandMark className="size-7" />
          <span className="sr-only">Nexo home</span>
        </Link>
        <OrganizationSwitcher organizationName={organizationName} />
      </div>
      <button
        type="button"
        onClick={openPalette}
        className={`flex h-9 items-center gap-2 rounded-lg border border-slate-200 bg-white px-2.5 text-sm text-slate-500 shadow-xs hover:border-slate-300 hover:text-slate-700 ${focusRing}`}
      >
        <Search className="size-4" aria-hidden="true" />
        <span className="flex-1 text-left">Search…</span>
        <kbd className="rounded border border-slate-200 bg-slate-50 px-1.5 font-sans text-[11px] text-slate-500">
          ⌘K
        </kbd>
      </button>
      <nav aria-label="Main" className="flex-1">
        <ul className="space-y-0.5">
          {NAV_ITEMS.map((item) => {
            const active = isActive(pathname, item.href);
            const Icon = item.icon;
            return (
              <li key={item.href}>
                <Link
                  href={item.href as Route}
                  aria-current={active ? "page" : undefined}
                  className={`flex h-9 items-center gap-3 rounded-lg px-2.5 text-sm font-medium ${focusRing} ${
                    active ? "bg-indigo-50 text-indigo-700" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900"
                  }`}
                >
                  <Icon className={`size-4.5 ${active ? "text-indigo-600" : "text-slate-400"}`} aria-hidden="true" />
                  {item.label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <UserMenu userName={userName} userEmail={userEmail} />
    </div>
  );
}
