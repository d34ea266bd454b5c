"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState } from "react";
import { Avatar } from "~/components/avatar";
import { BrandMark } from "~/components/brand";
import { Button, buttonClass, focusRing } from "~/components/button";
import { useTRPC } from "~/trpc/react";
import { OrganizationSwitcher } from "./organization-switcher";

interface AppHeaderProps {
  organizationName: string;
  userName: string;
}

export function AppHeader({ organizationName, userName }: AppHeaderProps) {
  const trpc = useTRPC();
  const pathname = usePathname();
  const [leaving, setLeaving] = useState(false);
  const leave = () => {
    setLeaving(true);
    // A full page load, not a client navigation: it drops every cached query of this session.
    window.location.assign("/login");
  };
  const logout = useMutation(
    trpc.auth.logout.mutationOptions({
      onSuccess: leave,
      // The session had already ended (expired, or logged out in another tab): nothing to undo.
      onError: (error) => {
        if (error.data?.code === "UNAUTHORIZED") leave();
      },
    }),
  );

  return (
    <header className="sticky top-0 z-30 border-b border-slate-200 bg-white/90 backdrop-blur">
      <div className="mx-auto flex h-14 max-w-6xl items-center gap-3 px-4 sm:px-6">
        <Link href="/contacts" className={`flex shrink-0 items-center gap-2 rounded-md ${focusRing}`}>
          <BrandMark className="size-7" />
          <span className="sr-only font-semibold tracking-tight sm:not-sr-only">Nexo</span>
        </Link>
        <span aria-hidden="true" className="text-slate-300">
          /
        </span>
        <OrganizationSwitcher organizationName={organizationName} />
        <div className="ml-auto flex shrink-0 items-center gap-2 sm:gap-3">
          <Link
            href="/settings"
            aria-current={pathname.startsWith("/settings") ? "page" : undefined}
            className={`${buttonClass("ghost", "sm")} px-2 aria-[current=page]:bg-slate-100 aria-[current=page]:text-slate-900 sm:px-3`}
          >
            <svg className="size-5 sm:size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
              <path
                fillRule="evenodd"
                d="M7.84 1.8A1 1 0 0 1 8.82 1h2.36a1 1 0 0 1 .98.8l.28 1.4c.5.2.96.47 1.38.8l1.36-.46a1 1 0 0 1 1.19.45l1.18 2.04a1 1 0 0 1-.2 1.25l-1.08.95a6.1 6.1 0 0 1 0 1.54l1.08.95a1 1 0 0 1 .2 1.25l-1.18 2.04a1 1 0 0 1-1.19.45l-1.36-.46c-.42.33-.88.6-1.38.8l-.28 1.4a1 1 0 0 1-.98.8H8.82a1 1 0 0 1-.98-.8l-.28-1.4a5.9 5.9 0 0 1-1.38-.8l-1.36.46a1 1 0 0 1-1.19-.45L2.45 13.4a1 1 0 0 1 .2-1.25l1.08-.95a6.1 6.1 0 0 1 0-1.54l-1.08-.95a1 1 0 0 1-.2-1.25l1.18-2.04a1 1 0 0 1 1.19-.45l1.36.46c.42-.33.88-.6 1.38-.8l.28-1.4ZM10 13a3 3 0 1 0 0-6 3 3 0 0 0 0 6Z"
                clipRule="evenodd"
              />
            </svg>
            <span className="sr-only sm:not-sr-only">Settings</span>
          </Link>
          <div className="flex items-center gap-2" title={userName}>
            <Avatar name={userName} className="size-8 text-xs" />
            {/* On a phone the avatar stands in for the name, which stays available to screen readers. */}
            <p className="sr-only max-w-48 truncate text-sm text-slate-600 sm:not-sr-only">
              <span className="sr-only">Signed in as </span>
              {userName}
            </p>
          </div>
          <Button variant="secondary" size="sm" pending={logout.isPending || leaving} onClick={() => logout.mutate()}>
            Log out
          </Button>
        </div>
      </div>
      {logout.error ? (
        <p role="alert" className="bg-red-50 px-4 py-2 text-center text-sm text-red-700">
          {logout.error.message}
        </p>
      ) : null}
    </header>
  );
}
