"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { type ReactNode, useId, useState } from "react";
import { focusRing, Spinner } from "~/components/button";
import { Popover, PopoverContent, PopoverTrigger } from "~/components/popover";
import { useDebouncedValue } from "~/hooks/use-debounced-value";
import { useTRPC } from "~/trpc/react";

export interface RecordRef {
  id: string;
  name: string;
}

const RESULTS = 8;

function SearchInput({
  value,
  onChange,
  label,
  busy,
}: {
  value: string;
  onChange: (v: string) => void;
  label: string;
  busy: boolean;
}) {
  const id = useId();
  return (
    <div className="relative mb-2">
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <input
        id={id}
        type="search"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        placeholder={label}
        autoComplete="off"
        className="block h-9 w-full rounded-lg border border-slate-300 bg-white pr-8 pl-2.5 text-sm text-slate-900 placeholder:text-slate-400 focus:outline-2 focus:-outline-offset-1 focus:outline-indigo-600"
      />
      {busy ? <Spinner className="absolute top-2.5 right-2.5 size-4 text-slate-400" /> : null}
    </div>
  );
}

export type RecordKind = "contact" | "company" | "deal";

interface Found extends RecordRef {
  detail: string;
}

/** Records of one kind matching what was typed (the newest when nothing is typed yet). */
function useRecordSearch(kind: RecordKind, search: string, enabled: boolean) {
  const trpc = useTRPC();
  const term = useDebouncedValue(search.trim(), 250);
  const input = { search: term || undefined, limit: RESULTS };
  const paging = { enabled, placeholderData: keepPreviousData };
  const contacts = useQuery({
    ...trpc.crm.contacts.list.queryOptions(input),
    ...paging,
    enabled: enabled && kind === "contact",
  });
  const companies = useQuery({
    ...trpc.crm.companies.list.queryOptions(input),
    ...paging,
    enabled: enabled && kind === "company",
  });
  const deals = useQuery({
    ...trpc.crm.deals.list.queryOptions(input),
    ...paging,
    enabled: enabled && kind === "deal",
  });
  const query = kind === "contact" ? contacts : kind === "company" ? companies : deals;
  const items: Found[] =
    kind === "contact"
      ? (contacts.data?.items ?? []).map((c) => ({
          id: c.id,
          name: `${c.firstName} ${c.lastName}`.trim(),
          detail: c.email ?? c.jobTitle ?? "",
        }))
      : kind === "company"
        ? (companies.data?.items ?? []).map((c) => ({ id: c.id, name: c.name, detail: c.domain ?? "" }))
        : (deals.data?.items ?? []).map((d) => ({ id: d.id, name: d.title, detail: "" }));
  return { items, busy: query.isFetching || term !== search.trim(), pending: query.isPending };
}

const optionClass = `flex w-full items-center gap-2 rounded-lg px-2 py-1.5 text-left text-sm text-slate-700 hover:bg-slate-100 ${focusRing}`;

interface RecordPickerProps {
  kind: RecordKind;
  value: RecordRef | null;
  onChange: (company: RecordRef | null) => void;
  /** The trigger's content and accessible name. */
  trigger: ReactNode;
  triggerLabel: string;
  disabled?: boolean;
  /** Classes of the trigger; an icon button by default. */
  triggerClassName?: string;
}

const NOUN: Record<RecordKind, { one: string; many: string }> = {
  contact: { one: "contact", many: "Contacts" },
  company: { one: "company", many: "Companies" },
  deal: { one: "deal", many: "Deals" },
};

const iconTrigger = `inline-flex size-8 shrink-0 items-center justify-center rounded-md text-slate-400 hover:bg-slate-100 hover:text-slate-700 disabled:hidden ${focusRing}`;

/** Finds a contact, company or deal by name and picks it (or none). */
export function RecordPicker({
  kind,
  value,
  onChange,
  trigger,
  triggerLabel,
  disabled,
  triggerClassName = iconTrigger,
}: RecordPickerProps) {
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState("");
  const results = useRecordSearch(kind, search, open);
  const noun = NOUN[kind];
  const pick = (chosen: RecordRef | null) => {
    setOpen(false);
    setSearch("");
    if (chosen?.id !== value?.id) onChange(chosen);
  };
  return (
    <Popover open={open} onOpenChange={setOpen}>
      <PopoverTrigger disabled={disabled} aria-label={triggerLabel} className={triggerClassName}>
        {trigger}
      </PopoverTrigger>
      <PopoverContent align="end" aria-label={`Choose a ${noun.one}`}>
        <SearchInput value={search} onChange={setSearch} label={`Find a ${noun.one}`} busy={results.busy && open} />
        <ul className="max-h-64 overflow-y-auto" aria-label={noun.many}>
          {results.items.map((found) => (
            <li key={found.id}>
              <button type="button" className={optionClass} onClick={() => pick({ id: found.id, name: found.name })}>
                <span className="min-w-0 flex-1 truncate">{found.name}</span>
                {found.detail ? (
                  <span className="max-w-32 shrink-0 truncate text-xs text-slate-500">{found.detail}</span>
                ) : null}
                {found.id === value?.id ? <Check /> : null}
              </button>
            </li>
          ))}
          {!results.pending && results.items.length === 0 ? (
            <li className="px-2 py-1.5 text-slate-500">
              {search.trim() ? `No ${noun.one} matches.` : `No ${noun.many.toLowerCase()} yet.`}
            </li>
          ) : null}
        </ul>
        {value ? (
          <button
            type="button"
            className={`${optionClass} mt-1 border-t border-slate-100 pt-2 text-red-600`}
            onClick={() => pick(null)}
          >
            Remove {value.name}
          </button>
        ) : null}
      </PopoverContent>
    </Popover>
  );
}

interface ContactsPickerProps {
  value: RecordRef[];
  /** Saves the new set; the list shows it until the save settles. */
  onChange: (contacts: RecordRef[]) => Promise<unknown>;
  trigger: ReactNode;
  triggerLabel: string;
  disabled?: boolean;
}

/** Finds contacts by name and ticks them on or off; each tick is a change. */
export function ContactsPicker({ value, onChange, trigger, triggerLabel, disabled }: ContactsPickerProps) {
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState("");
  const results = useRecordSearch("contact", search, open);
  // A tick shows at once, before the record's cached copy is patched.
  const [saving, setSaving] = useState<RecordRef[] | null>(null);
  const current = saving ?? value;
  const chosen = new Set(current.map((c) => c.id));
  const found = results.items.filter((c) => !chosen.has(c.id));
  const toggle = (contact: RecordRef) => {
    const next = chosen.has(contact.id) ? current.filter((c) => c.id !== contact.id) : [...current, contact];
    setSaving(next);
    void onChange(next).finally(() => setSaving(null));
  };
  return (
    <Popover open={open} onOpenChange={setOpen}>
      <PopoverTrigger disabled={disabled} aria-label={triggerLabel} className={iconTrigger}>
        {trigger}
      </PopoverTrigger>
      <PopoverContent align="end" aria-label="Choose contacts">
        <SearchInput value={search} onChange={setSearch} label="Find a contact" busy={results.busy && open} />
        <ul className="max-h-64 overflow-y-auto" aria-label="Contacts">
          {[...current.map((c) => ({ ...c, detail: "" })), ...found].map((contact) => (
            <li key={contact.id}>
              <label className="flex cursor-pointer items-center gap-2 rounded-lg px-2 py-1.5 hover:bg-slate-100">
                <input
                  type="checkbox"
                  checked={chosen.has(contact.id)}
                  onChange={() => toggle({ id: contact.id, name: contact.name })}
                  className="size-4 rounded border-slate-300 accent-indigo-600"
                />
                <span className="min-w-0 flex-1 truncate text-sm text-slate-700">{contact.name}</span>
                {contact.detail ? (
                  <span className="max-w-32 truncate text-xs text-slate-500">{contact.detail}</span>
                ) : null}
              </label>
            </li>
          ))}
          {!results.pending && found.length === 0 && current.length === 0 ? (
            <li className="px-2 py-1.5 text-slate-500">{search.trim() ? "No contact matches." : "No contacts yet."}</li>
          ) : null}
        </ul>
      </PopoverContent>
    </Popover>
  );
}

function Check() {
  return (
    <svg className="size-4 shrink-0 text-indigo-600" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
      <path
        fillRule="evenodd"
        d="M16.7 5.3a1 1 0 0 1 0 1.4l-8 8a1 1 0 0 1-1.4 0l-4-4a1 1 0 1 1 1.4-1.4L8 12.58l7.3-7.3a1 1 0 0 1 1.4 0Z"
        clipRule="evenodd"
      />
    </svg>
  );
}

export function PencilIcon() {
  return (
    <svg className="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
      <path d="m5.43 13.96-.86 2.59a.5.5 0 0 0 .63.63l2.59-.86a2 2 0 0 0 .78-.48l7.5-7.5a1.77 1.77 0 0 0-2.5-2.5l-7.5 7.5a2 2 0 0 0-.48.78Z" />
    </svg>
  );
}

/**
 * A record chosen by typing its name, with the matches listed right below: for forms in a dialog,
 * where a popover would open behind the modal.
 */
export function RecordSearchField({
  kind,
  value,
  onChange,
}: {
  kind: RecordKind;
  value: RecordRef | null;
  onChange: (record: RecordRef | null) => void;
}) {
  const [search, setSearch] = useState("");
  const results = useRecordSearch(kind, search, value === null);
  const noun = NOUN[kind];
  if (value) {
    return (
      <div className="flex h-10 min-w-0 flex-1 items-center gap-2 rounded-lg border border-slate-300 bg-slate-50 pr-1 pl-3 text-sm">
        <span className="min-w-0 flex-1 truncate text-slate-900">{value.name}</span>
        <button
          type="button"
          onClick={() => onChange(null)}
          className={`rounded-md px-2 py-1 text-xs font-medium text-slate-600 hover:bg-slate-200 ${focusRing}`}
        >
          Change<span className="sr-only"> the {noun.one}</span>
        </button>
      </div>
    );
  }
  return (
    <div className="min-w-0 flex-1">
      <SearchInput value={search} onChange={setSearch} label={`Find a ${noun.one}`} busy={results.busy} />
      <ul aria-label={noun.many} className="max-h-40 overflow-y-auto rounded-lg border border-slate-200 p-1">
        {results.items.map((found) => (
          <li key={found.id}>
            <button type="button" className={optionClass} onClick={() => onChange({ id: found.id, name: found.name })}>
              <span className="min-w-0 flex-1 truncate">{found.name}</span>
              {found.detail ? (
                <span className="max-w-32 shrink-0 truncate text-xs text-slate-500">{found.detail}</span>
              ) : null}
            </button>
          </li>
        ))}
        {!results.pending && results.items.length === 0 ? (
          <li className="px-2 py-1.5 text-sm text-slate-500">
            {search.trim() ? `No ${noun.one} matches.` : `No ${noun.many.toLowerCase()} yet.`}
          </li>
        ) : null}
      </ul>
    </div>
  );
}
