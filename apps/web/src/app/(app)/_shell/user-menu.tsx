"use client";

import { useMutation } from "@tanstack/react-query";
import { ChevronsUpDown, Keyboard, LogOut, Monitor, Moon, Sun, UserRound } from "lucide-react";
import type { Route } from "next";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Avatar } from "~/components/avatar";
import { focusRing, Spinner } from "~/components/button";
import {
  Menu,
  MenuContent,
  MenuItem,
  MenuLabel,
  MenuRadioGroup,
  MenuRadioItem,
  MenuSeparator,
  MenuTrigger,
} from "~/components/menu";
import { type ThemePreference, useTheme } from "~/components/theme";
import { useToast } from "~/components/toast";
import { useTRPC } from "~/trpc/react";
import { useShell } from "./shell-context";

const THEMES: { value: ThemePreference; label: string; icon: typeof Sun }[] = [
  { value: "light", label: "Light", icon: Sun },
  { value: "dark", label: "Dark", icon: Moon },
  { value: "system", label: "System", icon: Monitor },
];

export function UserMenu({ userName, userEmail }: { userName: string; userEmail: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const notify = useToast();
  const { openShortcuts } = useShell();
  const [theme, setTheme] = useTheme();
  const [leaving, setLeaving] = useState(false);
  const leave = () => {
    setLeaving(true);
    // A full page load, not a client navigation: it drops every cached query of this session.
    window.location.assign("/login");
  };
  const logout = useMutation(
    trpc.auth.logout.mutationOptions({
      onSuccess: leave,
      onError: (error) => {
        // The session had already ended (expired, or logged out in another tab): nothing to undo.
        if (error.data?.code === "UNAUTHORIZED") leave();
        else notify(error.message, { tone: "error" });
      },
    }),
  );

  return (
    <Menu>
      <MenuTrigger
        className={`flex w-full items-center gap-2.5 rounded-lg px-2 py-2 text-left hover:bg-slate-100 ${focusRing}`}
      >
        <Avatar name={userName} className="size-8 text-xs" />
        <span className="min-w-0 flex-1">
          <span className="block truncate text-sm font-medium text-slate-900">{userName}</span>
          <span className="block truncate text-xs text-slate-500">{userEmail}</span>
        </span>
        {logout.isPending || leaving ? (
          <Spinner className="size-4 text-slate-400" />
        ) : (
          <ChevronsUpDown className="size-4 text-slate-400" aria-hidden="true" />
        )}
        <span className="sr-only">Account menu</span>
      </MenuTrigger>
      <MenuContent side="top" align="start" className="w-60">
        <MenuItem onSelect={() => router.push("/settings/profile" as Route)}>
          <UserRound className="size-4 text-slate-400" aria-hidden="true" />
          Profile and password
        </MenuItem>
        <MenuItem onSelect={openShortcuts}>
          <Keyboard className="size-4 text-slate-400" aria-hidden="true" />
          Keyboard shortcuts
          <kbd className="ml-auto text-xs text-slate-400">?</kbd>
        </MenuItem>
        <MenuSeparator />
        <MenuLabel>Theme</MenuLabel>
        <MenuRadioGroup value={theme} onValueChange={(value) => setTheme(value as ThemePreference)}>
          {THEMES.map(({ value, label, icon: Icon }) => (
            <MenuRadioItem key={value} value={value}>
              <Icon className="size-4 text-slate-400" aria-hidden="true" />
              {label}
            </MenuRadioItem>
          ))}
        </MenuRadioGroup>
        <MenuSeparator />
        <MenuItem onSelect={() => logout.mutate()} disabled={logout.isPending || leaving}>
          <LogOut className="size-4 text-slate-400" aria-hidden="true" />
          Log out
        </MenuItem>
      </MenuContent>
    </Menu>
  );
}
