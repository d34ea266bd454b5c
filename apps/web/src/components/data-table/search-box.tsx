"use client";

import { useEffect, useId, useRef, useState } from "react";
import { Spinner } from "~/components/button";

const DEBOUNCE_MS = 300;

interface SearchBoxProps {
  /** The search the list shows (from the URL). */
  value: string;
  onSearch: (value: string) => void;
  label: string;
  placeholder: string;
  busy: boolean;
}

/** A search field that applies what is typed once typing pauses, and follows the URL when it changes. */
export function SearchBox({ value, onSearch, label, placeholder, busy }: SearchBoxProps) {
  const id = useId();
  const [text, setText] = useState(value);
  const sent = useRef(value);
  useEffect(() => {
    // Changed elsewhere (a view chosen, filters cleared): show it.
    if (value !== sent.current) {
      sent.current = value;
      setText(value);
    }
  }, [value]);
  useEffect(() => {
    const next = text.trim();
    if (next === sent.current) return;
    const timer = setTimeout(() => {
      sent.current = next;
      onSearch(next);
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, onSearch]);
  const pending = busy || text.trim() !== sent.current;

  return (
    <search className="relative order-first min-w-0 flex-1 basis-full sm:order-none sm:basis-56">
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <svg
        className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-slate-400"
        viewBox="0 0 20 20"
        fill="currentColor"
        aria-hidden="true"
      >
        <path
          fillRule="evenodd"
          d="M9 3.5a5.5 5.5 0 1 0 0 11 5.5 5.5 0 0 0 0-11ZM2 9a7 7 0 1 1 12.45 4.39l3.08 3.08a.75.75 0 1 1-1.06 1.06l-3.08-3.08A7 7 0 0 1 2 9Z"
          clipRule="evenodd"
        />
      </svg>
      <input
        id={id}
        type="search"
        value={text}
        onChange={(event) => setText(event.target.value)}
        placeholder={placeholder}
        autoComplete="off"
        spellCheck={false}
        maxLength={200}
        className="block h-9 w-full rounded-lg border border-slate-300 bg-white pr-9 pl-9 text-sm text-slate-900 shadow-sm placeholder:text-slate-400 focus:outline-2 focus:-outline-offset-1 focus:outline-indigo-600"
      />
      <span className="absolute top-1/2 right-3 -translate-y-1/2 text-slate-400">
        {pending ? <Spinner /> : null}
        <span className="sr-only" aria-live="polite">
          {pending ? "Searching…" : ""}
        </span>
      </span>
    </search>
  );
}
