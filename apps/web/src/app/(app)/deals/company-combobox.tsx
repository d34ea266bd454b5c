"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { type KeyboardEvent, useId, useState } from "react";
import { useDebouncedValue } from "~/hooks/use-debounced-value";
import { useTRPC } from "~/trpc/react";

export interface CompanyChoice {
  id: string;
  name: string;
}

interface CompanyComboboxProps {
  label: string;
  name: string;
  value: CompanyChoice | null;
  onChange: (company: CompanyChoice | null) => void;
  error?: string | undefined;
}

/** Finds a company by typing part of its name; the chosen id is submitted with the form. */
export function CompanyCombobox({ label, name, value, onChange, error }: CompanyComboboxProps) {
  const trpc = useTRPC();
  const id = useId();
  const listId = `${id}-list`;
  const [text, setText] = useState(value?.name ?? "");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const search = useDebouncedValue(text.trim(), 200);
  const results = useQuery({
    ...trpc.crm.companies.list.queryOptions({ search: search || undefined, limit: 8, sort: "name" }),
    enabled: open,
    placeholderData: keepPreviousData,
  });
  const options = results.data?.items ?? [];

  function choose(company: CompanyChoice | null) {
    onChange(company);
    setText(company?.name ?? "");
    setOpen(false);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      setOpen(true);
      setActive((i) => Math.min(i + 1, options.length - 1));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive((i) => Math.max(i - 1, 0));
    } else if (event.key === "Enter" && open) {
      const option = options[active];
      if (option) {
        event.preventDefault();
        choose({ id: option.id, name: option.name });
      }
    } else if (event.key === "Escape" && open) {
      // Closes the list, not the dialog around it.
      event.preventDefault();
      event.stopPropagation();
      setOpen(false);
    }
  }

  const activeOption = open ? options[active] : undefined;
  return (
    <div className="relative">
      <label htmlFor={id} className="mb-1.5 flex items-baseline justify-between text-sm font-medium text-slate-700">
        {label}
        <span className="text-xs font-normal text-slate-500">Optional</span>
      </label>
      <input type="hidden" name={name} value={value?.id ?? ""} />
      <input
        id={id}
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={activeOption ? `${listId}-${activeOption.id}` : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-message`}
        autoComplete="off"
        placeholder="Search companies…"
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setActive(0);
          setOpen(true);
          if (value && event.target.value !== value.name) onChange(null);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
        className={`block h-10 w-full rounded-lg border bg-white px-3 text-sm text-slate-900 shadow-sm placeholder:text-slate-400 focus:outline-2 focus:-outline-offset-1 focus:outline-indigo-600 ${error ? "border-red-400" : "border-slate-300"}`}
      />
      <div
        id={listId}
        role="listbox"
        aria-label="Companies"
        hidden={!open || options.length === 0}
        className="absolute inset-x-0 top-[4.25rem] z-10 max-h-56 overflow-y-auto rounded-lg border border-slate-200 bg-white p-1 text-sm shadow-lg"
      >
        {options.map((option, index) => (
          <div
            key={option.id}
            id={`${listId}-${option.id}`}
            role="option"
            tabIndex={-1}
            aria-selected={value?.id === option.id}
            // Chosen on mousedown so the input's blur does not close the list first.
            onMouseDown={(event) => {
              event.preventDefault();
              choose({ id: option.id, name: option.name });
            }}
            onMouseEnter={() => setActive(index)}
            className={`cursor-default truncate rounded-md px-2.5 py-2 ${index === active ? "bg-slate-100 text-slate-900" : "text-slate-700"}`}
          >
            {option.name}
          </div>
        ))}
      </div>
      {open && options.length === 0 ? (
        <p
          role="status"
          className="absolute inset-x-0 top-[4.25rem] z-10 rounded-lg border border-slate-200 bg-white px-2.5 py-2 text-sm text-slate-500 shadow-lg"
        >
          {results.isFetching ? "Searching…" : search ? `No company matches “${search}”` : "No companies yet"}
        </p>
      ) : null}
      <p id={`${id}-message`} className={`mt-1 min-h-5 text-xs leading-5 ${error ? "text-red-600" : "text-slate-500"}`}>
        {error}
      </p>
    </div>
  );
}
