"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Avatar } from "~/components/avatar";
import { BrandMark } from "~/components/brand";
import { Button, focusRing } from "~/components/button";
import { useTRPC } from "~/trpc/react";

interface AppHeaderProps {
  organizationName: string;
  userName: string;
}

export function AppHeader({ organizationName, userName }: AppHeaderProps) {
  const trpc = useTRPC();
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
        <p className="min-w-0 truncate text-sm font-medium text-slate-800" title={organizationName}>
          <span className="sr-only">Organization: </span>
          {organizationName}
        </p>
        <div className="ml-auto flex shrink-0 items-center gap-3">
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
