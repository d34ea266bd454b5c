"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useMemo, useState } from "react";
import { usePermissions } from "~/hooks/use-permissions";
import { useTRPC } from "~/trpc/react";
import { focusRing } from "./button";
import { Popover, PopoverContent, PopoverTrigger } from "./popover";

interface TagPickerProps {
  /** Ids of the selected tags. */
  value: string[];
  onChange: (tagIds: string[]) => void;
  /** The trigger's accessible name; defaults to "Tags". */
  label?: string;
  disabled?: boolean;
  /** Content of the trigger button; by default the chosen tags as chips. */
  trigger?: React.ReactNode;
  className?: string;
}

/** Chooses tags from the organization's list; admins can create a missing one from the filter box. */
export function TagPicker({ value, onChange, label = "Tags", disabled, trigger, className = "" }: TagPickerProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can } = usePermissions();
  const filterId = useId();
  const [open, setOpen] = useState(false);
  const [filter, setFilter] = useState("");
  const [error, setError] = useState<string | null>(null);
  const tags = useQuery(trpc.crm.tags.list.queryOptions(undefined, { staleTime: 60_000 }));
  const create = useMutation(
    trpc.crm.tags.create.mutationOptions({
      onSuccess: async (tag) => {
        setFilter("");
        setError(null);
        onChange([...value, tag.id]);
        await queryClient.invalidateQueries({ queryKey: trpc.crm.tags.list.queryKey() });
      },
      onError: (cause) => setError(cause.data?.zodError?.fieldErrors?.name?.[0] ?? cause.message),
    }),
  );

  const all = tags.data ?? [];
  const selected = useMemo(() => all.filter((tag) => value.includes(tag.id)), [all, value]);
  const needle = filter.trim().toLowerCase();
  const shown = needle ? all.filter((tag) => tag.name.toLowerCase().includes(needle)) : all;
  const exact = all.some((tag) => tag.name.toLowerCase() === needle);

  const toggle = (id: string) => onChange(value.includes(id) ? value.filter((v) => v !== id) : [...value, id]);

  return (
    <Popover open={open} onOpenChange={setOpen}>
      <PopoverTrigger
        disabled={disabled}
        className={`inline-flex min-h-8 max-w-full flex-wrap items-center gap-1 rounded-lg px-1.5 py-1 text-left text-sm text-slate-600 hover:bg-slate-100 disabled:cursor-not-allowed ${focusRing} ${className}`}
      >
        {trigger ? null : <span className="sr-only">{label}: </span>}
        {trigger ??
          (selected.length ? (
            selected.map((tag) => <TagChip key={tag.id} name={tag.name} color={tag.color} />)
          ) : (
            <span className="text-slate-400">Add tags</span>
          ))}
      </PopoverTrigger>
      <PopoverContent className="w-64 p-2">
        <label htmlFor={filterId} className="sr-only">
          Find or create a tag
        </label>
        <input
          id={filterId}
          value={filter}
          onChange={(event) => setFilter(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Enter" && needle && !exact && can("tags.manage")) {
              event.preventDefault();
              create.mutate({ name: filter.trim() });
            }
          }}
          placeholder={can("tags.manage") ? "Find or create a tag" : "Find a tag"}
          className="mb-2 block h-9 w-full rounded-lg border border-slate-300 bg-white px-2.5 text-sm text-slate-900 placeholder:text-slate-400 focus:outline-2 focus:-outline-offset-1 focus:outline-indigo-600"
        />
        <ul className="max-h-60 overflow-y-auto" aria-label={label}>
          {shown.map((tag) => (
            <li key={tag.id}>
              <label className="flex cursor-pointer items-center gap-2 rounded-lg px-2 py-1.5 hover:bg-slate-100">
                <input
                  type="checkbox"
                  checked={value.includes(tag.id)}
                  onChange={() => toggle(tag.id)}
                  className="size-4 rounded border-slate-300 accent-indigo-600"
                />
                <TagChip name={tag.name} color={tag.color} />
              </label>
            </li>
          ))}
          {tags.isPending ? <li className="px-2 py-1.5 text-slate-500">Loading tags…</li> : null}
          {!tags.isPending && shown.length === 0 && !needle ? (
            <li className="px-2 py-1.5 text-slate-500">No tags yet.</li>
          ) : null}
        </ul>
        {needle && !exact && can("tags.manage") ? (
          <button
            type="button"
            disabled={create.isPending}
            onClick={() => create.mutate({ name: filter.trim() })}
            className={`mt-1 w-full rounded-lg px-2 py-1.5 text-left text-sm text-indigo-700 hover:bg-indigo-50 ${focusRing}`}
          >
            Create tag “{filter.trim()}”
          </button>
        ) : null}
        {error ? (
          <p role="alert" className="mt-1 px-2 text-xs text-red-600">
            {error}
          </p>
        ) : null}
      </PopoverContent>
    </Popover>
  );
}

/** A tag as a small coloured chip. */
export function TagChip({ name, color }: { name: string; color?: string | null }) {
  return (
    <span className="inline-flex max-w-40 items-center gap-1.5 truncate rounded-md bg-slate-100 px-1.5 py-0.5 text-xs font-medium text-slate-700">
      <span
        aria-hidden="true"
        className="size-2 shrink-0 rounded-full bg-slate-400"
        style={color ? { backgroundColor: color } : undefined}
      />
      <span className="truncate">{name}</span>
    </span>
  );
}
