"use client";

import { Menu as MenuIcon, Search, X } from "lucide-react";
import type { Route } from "next";
import dynamic from "next/dynamic";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { type ReactNode, useEffect, useMemo, useRef, useState } from "react";
import { BrandMark } from "~/components/brand";
import { focusRing } from "~/components/button";
import { NAV_ITEMS } from "./nav";
import { ShellContext } from "./shell-context";
import { ShortcutsDialog } from "./shortcuts-dialog";
import { Sidebar } from "./sidebar";

// The palette (and its search code) loads the first time it is opened, not with every page.
const CommandPalette = dynamic(() => import("./command-palette").then((module) => module.CommandPalette), {
  ssr: false,
});

interface AppShellProps {
  organizationName: string;
  userName: string;
  userEmail: string;
  children: ReactNode;
}

/** Typing in a field, or in something editable, is not a shortcut. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

export function AppShell({ organizationName, userName, userEmail, children }: AppShellProps) {
  const router = useRouter();
  const pathname = usePathname();
  const [paletteOpen, setPaletteOpen] = useState(false);
  const [paletteLoaded, setPaletteLoaded] = useState(false);
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const drawer = useRef<HTMLDialogElement>(null);

  const actions = useMemo(
    () => ({
      openPalette: () => {
        setDrawerOpen(false);
        setPaletteLoaded(true);
        setPaletteOpen(true);
      },
      openShortcuts: () => setShortcutsOpen(true),
    }),
    [],
  );

  // ⌘K / Ctrl+K anywhere; "?" and "g then a letter" when not typing.
  useEffect(() => {
    let pendingG: number | null = null;
    const onKey = (event: KeyboardEvent) => {
      if ((event.metaKey || event.ctrlKey) && event.key.toLowerCase() === "k") {
        event.preventDefault();
        actions.openPalette();
        return;
      }
      if (event.metaKey || event.ctrlKey || event.altKey || isTyping(event.target)) return;
      if (document.querySelector("dialog[open], [role=dialog], [role=menu]")) return;
      if (event.key === "?") {
        event.preventDefault();
        setShortcutsOpen(true);
        return;
      }
      if (pendingG !== null) {
        window.clearTimeout(pendingG);
        pendingG = null;
        const item = NAV_ITEMS.find((entry) => entry.key === event.key.toLowerCase());
        if (item) {
          event.preventDefault();
          router.push(item.href as Route);
        }
        return;
      }
      if (event.key === "g") pendingG = window.setTimeout(() => (pendingG = null), 1200);
    };
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("keydown", onKey);
      if (pendingG !== null) window.clearTimeout(pendingG);
    };
  }, [actions, router]);

  useEffect(() => {
    const dialog = drawer.current;
    if (!dialog) return;
    if (drawerOpen && !dialog.open) dialog.showModal();
    if (!drawerOpen && dialog.open) dialog.close();
  }, [drawerOpen]);

  // A link followed inside the drawer closes it.
  const [drawerPath, setDrawerPath] = useState(pathname);
  if (drawerPath !== pathname) {
    setDrawerPath(pathname);
    setDrawerOpen(false);
  }

  const sidebar = <Sidebar organizationName={organizationName} userName={userName} userEmail={userEmail} />;

  return (
    <ShellContext.Provider value={actions}>
      <a
        href="#main"
        className="sr-only z-50 rounded-lg bg-white px-3 py-2 text-sm font-medium text-indigo-700 shadow focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        Skip to content
      </a>
      <aside
        aria-label="Sidebar"
        className="fixed inset-y-0 left-0 z-30 hidden w-64 border-r border-slate-200 bg-white lg:block"
      >
        {sidebar}
      </aside>
      <header className="sticky top-0 z-30 flex h-14 items-center gap-2 border-b border-slate-200 bg-white/90 px-3 backdrop-blur lg:hidden">
        <button
          type="button"
          aria-label="Open navigation"
          aria-expanded={drawerOpen}
          onClick={() => setDrawerOpen(true)}
          className={`inline-flex size-10 items-center justify-center rounded-lg text-slate-600 hover:bg-slate-100 ${focusRing}`}
        >
          <MenuIcon className="size-5" aria-hidden="true" />
        </button>
        <Link href={"/dashboard" as Route} className={`flex items-center gap-2 rounded-md ${focusRing}`}>
          <BrandMark className="size-7" />
          <span className="font-semibold tracking-tight">Nexo</span>
        </Link>
        <button
          type="button"
          aria-label="Search"
          onClick={actions.openPalette}
          className={`ml-auto inline-flex size-10 items-center justify-center rounded-lg text-slate-600 hover:bg-slate-100 ${focusRing}`}
        >
          <Search className="size-5" aria-hidden="true" />
        </button>
      </header>
      <dialog
        ref={drawer}
        aria-label="Navigation"
        onClose={() => setDrawerOpen(false)}
        onClick={(event) => {
          // A tap on the backdrop (the dialog element itself, outside the panel) closes the drawer.
          if (event.target === event.currentTarget) setDrawerOpen(false);
        }}
        onKeyDown={() => undefined}
        className="m-0 h-dvh max-h-none w-72 max-w-[85vw] bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/40 lg:hidden"
      >
        <div className="relative h-full">
          <button
            type="button"
            aria-label="Close navigation"
            onClick={() => setDrawerOpen(false)}
            className={`absolute top-4 right-3 z-10 inline-flex size-8 items-center justify-center rounded-lg text-slate-500 hover:bg-slate-100 ${focusRing}`}
          >
            <X className="size-4" aria-hidden="true" />
          </button>
          {drawerOpen ? sidebar : null}
        </div>
      </dialog>
      <main id="main" className="min-w-0 lg:pl-64">
        {children}
      </main>
      {paletteLoaded ? <CommandPalette open={paletteOpen} onOpenChange={setPaletteOpen} /> : null}
      <ShortcutsDialog open={shortcutsOpen} onClose={() => setShortcutsOpen(false)} />
    </ShellContext.Provider>
  );
}
