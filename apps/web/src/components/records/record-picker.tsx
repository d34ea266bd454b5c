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

function useCompanySearch(search: string, enabled: boolean) {
  const trpc = useTRPC();
  const debounced = useDebouncedValue(search.trim(), 250);
  const query = useQuery({
    ...trpc.crm.companies.list.queryOptions({
      search: debounced || undefined,
      sort: debounced ? "name" : "newest",
      limit: RESULTS,
    }),
    enabled,
    placeholderData: keepPreviousData,
  });
  return {
    items: query.data?.items ?? [],
    busy: query.isFetching || debounced !== search.trim(),
    pending: query.isPending,
  };
}

function useContactSearch(search: string, enabled: boolean) {
  const trpc = useTRPC();
  const debounced = useDebouncedValue(search.trim(), 250);
  const query = useQuery({
    ...trpc.crm.contacts.list.queryOptions({ search: debounced || undefined, limit: RESULTS }),
    enabled,
    placeholderData: keepPreviousData,
  });
  return {
    items: query.data?.items ?? [],
    busy: query.isFetching || debounced !== search.trim(),
    pending: query.isPending,
  };
}

const optionClass = `flex w-full items-center gap-2 rounded-lg px-2 py-1.5 text-left text-sm text-slate-700 hover:bg-slate-100 ${focusRing}`;

interface CompanyPickerProps {
  value: RecordRef | null;
  onChange: (company: RecordRef | null) => void;
  /** The trigger's content and accessible name. */
  trigger: ReactNode;
  triggerLabel: string;
  disabled?: boolean;
}

/** Finds a company by name and picks it (or none). */
export function CompanyPicker({ value, onChange, trigger, triggerLabel, disabled }: CompanyPickerProps) {
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState("");
  const results = useCompanySearch(search, open);
  const pick = (company: RecordRef | null) => {
    setOpen(false);
    setSearch("");
    if (company?.id !== value?.id) onChange(company);
  };
  return (
    <Popover open={open} onOpenChange={setOpen}>
      <PopoverTrigger
        disabled={disabled}
        aria-label={triggerLabel}
        className={`inline-flex size-8 shrink-0 items-center justify-center rounded-md text-slate-400 hover:bg-slate-100 hover:text-slate-700 disabled:hidden ${focusRing}`}
      >
        {trigger}
      </PopoverTrigger>
      <PopoverContent align="end" aria-label="Choose a company">
        <SearchInput value={search} onChange={setSearch} label="Find a company" busy={results.busy && open} />
        <ul className="max-h-64 overflow-y-auto" aria-label="Companies">
          {results.items.map((company) => (
            <li key={company.id}>
              <button
                type="button"
                className={optionClass}
                onClick={() => pick({ id: company.id, name: company.name })}
              >
                <span className="min-w-0 flex-1 truncate">{company.name}</span>
                {company.domain ? <span className="shrink-0 text-xs text-slate-400">{company.domain}</span> : null}
                {company.id === value?.id ? <Check /> : null}
              </button>
            </li>
          ))}
          {!results.pending && results.items.length === 0 ? (
            <li className="px-2 py-1.5 text-slate-500">
              {search.trim() ? "No company matches." : "No companies yet."}
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
  onChange: (contacts: RecordRef[]) => void;
  trigger: ReactNode;
  triggerLabel: string;
  disabled?: boolean;
}

/** Finds contacts by name and ticks them on or off; each tick is a change. */
export function ContactsPicker({ value, onChange, trigger, triggerLabel, disabled }: ContactsPickerProps) {
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState("");
  const results = useContactSearch(search, open);
  const chosen = new Set(value.map((c) => c.id));
  const found = results.items
    .map((c) => ({ id: c.id, name: `${c.firstName} ${c.lastName}`.trim(), detail: c.email ?? c.jobTitle ?? "" }))
    .filter((c) => !chosen.has(c.id));
  const toggle = (contact: RecordRef) =>
    onChange(chosen.has(contact.id) ? value.filter((c) => c.id !== contact.id) : [...value, contact]);
  return (
    <Popover open={open} onOpenChange={setOpen}>
      <PopoverTrigger
        disabled={disabled}
        aria-label={triggerLabel}
        className={`inline-flex size-8 shrink-0 items-center justify-center rounded-md text-slate-400 hover:bg-slate-100 hover:text-slate-700 disabled:hidden ${focusRing}`}
      >
        {trigger}
      </PopoverTrigger>
      <PopoverContent align="end" aria-label="Choose contacts">
        <SearchInput value={search} onChange={setSearch} label="Find a contact" busy={results.busy && open} />
        <ul className="max-h-64 overflow-y-auto" aria-label="Contacts">
          {[...value.map((c) => ({ ...c, detail: "" })), ...found].map((contact) => (
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
                  <span className="max-w-32 truncate text-xs text-slate-400">{contact.detail}</span>
                ) : null}
              </label>
            </li>
          ))}
          {!results.pending && found.length === 0 && value.length === 0 ? (
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
