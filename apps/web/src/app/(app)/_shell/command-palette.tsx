"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Command } from "cmdk";
import { Building2, CircleDollarSign, Moon, Plus, Search, Sun, Upload, UserRound } from "lucide-react";
import type { Route } from "next";
import { useRouter } from "next/navigation";
import { type ReactNode, useEffect, useRef, useState } from "react";
import { Spinner } from "~/components/button";
import { useTheme } from "~/components/theme";
import { useDebouncedValue } from "~/hooks/use-debounced-value";
import { formatMoney } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { NAV_ITEMS } from "./nav";

interface Action {
  id: string;
  label: string;
  href?: string;
  run?: () => void;
  icon: ReactNode;
  keywords?: string[];
}

const iconClass = "size-4 shrink-0 text-slate-400";

const itemClass =
  "flex cursor-default items-center gap-3 rounded-lg px-3 py-2 text-sm text-slate-700 select-none data-[selected=true]:bg-indigo-50 data-[selected=true]:text-indigo-800";

const groupClass =
  "px-2 pb-1 [&_[cmdk-group-heading]]:px-3 [&_[cmdk-group-heading]]:pt-3 [&_[cmdk-group-heading]]:pb-1.5 [&_[cmdk-group-heading]]:text-xs [&_[cmdk-group-heading]]:font-semibold [&_[cmdk-group-heading]]:tracking-wide [&_[cmdk-group-heading]]:text-slate-500 [&_[cmdk-group-heading]]:uppercase";

/** The "New …" quick actions: each opens its page's create form (`?new=1`). */
const CREATE_ACTIONS = [
  { thing: "contact", href: "/contacts", keywords: ["person"] },
  { thing: "company", href: "/companies", keywords: ["account", "organisation"] },
  { thing: "deal", href: "/deals", keywords: ["opportunity"] },
  { thing: "task", href: "/tasks", keywords: ["todo", "reminder"] },
];

function matches(action: Action, needle: string): boolean {
  if (!needle) return true;
  const haystack = [action.label, ...(action.keywords ?? [])].join(" ").toLowerCase();
  return needle
    .toLowerCase()
    .split(/\s+/)
    .every((word) => haystack.includes(word));
}

/** ⌘K: records across contacts, companies and deals, plus quick actions and places to go. */
export function CommandPalette({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [theme, setTheme] = useTheme();
  const dialog = useRef<HTMLDialogElement>(null);
  const [query, setQuery] = useState("");
  const needle = query.trim();
  const debounced = useDebouncedValue(needle, 150);
  const results = useQuery({
    ...trpc.crm.search.queryOptions({ q: debounced, limit: 5 }),
    enabled: open && debounced.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      setQuery("");
      element.showModal();
    }
    if (!open && element.open) element.close();
  }, [open]);

  const go = (href: string) => {
    onOpenChange(false);
    router.push(href as Route);
  };

  const dark = theme === "dark" || (theme === "system" && matchMedia("(prefers-color-scheme: dark)").matches);
  const actions: Action[] = [
    ...CREATE_ACTIONS.map(({ thing, href, keywords }) => ({
      id: `new-${thing}`,
      label: `New ${thing}`,
      href: `${href}?new=1`,
      icon: <Plus className={iconClass} />,
      keywords: ["create", "add", ...keywords],
    })),
    {
      id: "import",
      label: "Import a CSV",
      href: "/import?kind=contacts",
      icon: <Upload className={iconClass} />,
      keywords: ["upload", "spreadsheet"],
    },
    {
      id: "theme",
      label: dark ? "Switch to light theme" : "Switch to dark theme",
      run: () => setTheme(dark ? "light" : "dark"),
      icon: dark ? <Sun className={iconClass} /> : <Moon className={iconClass} />,
      keywords: ["theme", "appearance", "mode"],
    },
  ];
  const places: Action[] = NAV_ITEMS.map((item) => ({
    id: `go-${item.href}`,
    label: `Go to ${item.label}`,
    href: item.href,
    icon: <item.icon className={iconClass} />,
  }));

  const shownActions = actions.filter((action) => matches(action, needle));
  const shownPlaces = places.filter((action) => matches(action, needle));
  const hits = needle && debounced ? results.data : undefined;
  const searching = needle.length > 0 && (debounced !== needle || results.isFetching);
  const noHits = !!hits && hits.contacts.length + hits.companies.length + hits.deals.length === 0 && !searching;

  const runAction = (action: Action) => {
    if (action.href) go(action.href);
    else {
      action.run?.();
      onOpenChange(false);
    }
  };

  return (
    <dialog
      ref={dialog}
      aria-label="Search and quick actions"
      // A close event arrives a task after `close()`; if ⌘K opened the palette again in between, it is
      // stale and must not close it.
      onClose={() => {
        if (!dialog.current?.open) onOpenChange(false);
      }}
      onClick={(event) => {
        if (event.target === event.currentTarget) onOpenChange(false);
      }}
      onKeyDown={() => undefined}
      className="mx-auto mt-[12vh] w-[calc(100%-2rem)] max-w-xl overflow-hidden rounded-2xl bg-white p-0 text-slate-900 shadow-2xl backdrop:bg-slate-900/40 backdrop:backdrop-blur-[2px]"
    >
      {open ? (
        <Command shouldFilter={false} label="Search and quick actions" loop>
          <div className="flex items-center gap-2 border-b border-slate-200 px-4">
            <Search className="size-4 shrink-0 text-slate-400" aria-hidden="true" />
            <Command.Input
              value={query}
              onValueChange={setQuery}
              placeholder="Search contacts, companies, deals, or type a command…"
              className="h-12 w-full bg-transparent text-sm text-slate-900 outline-none placeholder:text-slate-400"
            />
            {searching ? <Spinner className="size-4 text-slate-400" /> : null}
          </div>
          <Command.List className="max-h-[min(60vh,28rem)] overflow-y-auto py-1">
            {hits?.contacts.length ? (
              <Command.Group heading="Contacts" className={groupClass}>
                {hits.contacts.map((contact) => {
                  const name = [contact.firstName, contact.lastName].filter(Boolean).join(" ");
                  return (
                    <Command.Item
                      key={contact.id}
                      value={`contact-${contact.id}`}
                      onSelect={() => go(`/contacts/${contact.id}`)}
                      className={itemClass}
                    >
                      <UserRound className={iconClass} aria-hidden="true" />
                      <span className="truncate font-medium">{name || contact.email}</span>
                      {contact.email && name ? <span className="truncate text-slate-500">{contact.email}</span> : null}
                    </Command.Item>
                  );
                })}
              </Command.Group>
            ) : null}
            {hits?.companies.length ? (
              <Command.Group heading="Companies" className={groupClass}>
                {hits.companies.map((company) => (
                  <Command.Item
                    key={company.id}
                    value={`company-${company.id}`}
                    onSelect={() => go(`/companies/${company.id}`)}
                    className={itemClass}
                  >
                    <Building2 className={iconClass} aria-hidden="true" />
                    <span className="truncate font-medium">{company.name}</span>
                    {company.domain ? <span className="truncate text-slate-500">{company.domain}</span> : null}
                  </Command.Item>
                ))}
              </Command.Group>
            ) : null}
            {hits?.deals.length ? (
              <Command.Group heading="Deals" className={groupClass}>
                {hits.deals.map((deal) => (
                  <Command.Item
                    key={deal.id}
                    value={`deal-${deal.id}`}
                    onSelect={() => go(`/deals/${deal.id}`)}
                    className={itemClass}
                  >
                    <CircleDollarSign className={iconClass} aria-hidden="true" />
                    <span className="truncate font-medium">{deal.title}</span>
                    {deal.amountMinor !== null && deal.amountMinor !== undefined ? (
                      <span className="ml-auto shrink-0 text-slate-500 tabular-nums">
                        {formatMoney(deal.amountMinor, deal.currency)}
                      </span>
                    ) : null}
                  </Command.Item>
                ))}
              </Command.Group>
            ) : null}
            {noHits ? (
              <p className="px-5 py-3 text-sm text-slate-500">No contacts, companies or deals match “{needle}”.</p>
            ) : null}
            {results.isError && needle ? (
              <p role="alert" className="px-5 py-3 text-sm text-red-600">
                {results.error.message}
              </p>
            ) : null}
            {shownActions.length ? (
              <Command.Group heading="Quick actions" className={groupClass}>
                {shownActions.map((action) => (
                  <Command.Item
                    key={action.id}
                    value={action.id}
                    onSelect={() => runAction(action)}
                    className={itemClass}
                  >
                    {action.icon}
                    {action.label}
                  </Command.Item>
                ))}
              </Command.Group>
            ) : null}
            {shownPlaces.length ? (
              <Command.Group heading="Go to" className={groupClass}>
                {shownPlaces.map((action) => (
                  <Command.Item
                    key={action.id}
                    value={action.id}
                    onSelect={() => runAction(action)}
                    className={itemClass}
                  >
                    {action.icon}
                    {action.label}
                  </Command.Item>
                ))}
              </Command.Group>
            ) : null}
          </Command.List>
          <div className="flex items-center gap-4 border-t border-slate-200 px-4 py-2 text-xs text-slate-500">
            <span>
              <kbd className="font-sans">↑↓</kbd> to move
            </span>
            <span>
              <kbd className="font-sans">Enter</kbd> to open
            </span>
            <span>
              <kbd className="font-sans">Esc</kbd> to close
            </span>
          </div>
        </Command>
      ) : null}
    </dialog>
  );
}
