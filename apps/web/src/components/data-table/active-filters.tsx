"use client";

import { focusRing } from "~/components/button";
import { formatDate } from "~/lib/format";
import { OP_LABELS } from "./custom-field-ops";
import type { FilterOption } from "./filter-panel";
import type { CustomFieldDef, ListConfig, ListState } from "./list-state";
import type { ListStateUpdate } from "./use-list-state";

interface ActiveFiltersProps {
  config: ListConfig;
  state: ListState;
  onChange: (update: ListStateUpdate) => void;
  fields: readonly CustomFieldDef[];
  /** Choices known only at run time (tags, pipelines, stages), by URL parameter. */
  options: Partial<Record<string, readonly FilterOption[]>>;
  /** Member names by user id. */
  memberNames: ReadonlyMap<string, string>;
}

/** The active filters as removable chips, with "Clear filters". */
function setFilter(onChange: ActiveFiltersProps["onChange"], name: string, value: string | null) {
  onChange((current) => {
    const filters = { ...current.filters };
    if (value) filters[name] = value;
    else delete filters[name];
    return { ...current, filters };
  });
}

export function ActiveFilters({ config, state, onChange, fields, options, memberNames }: ActiveFiltersProps) {
  const chips: { key: string; label: string; remove: () => void }[] = [];
  for (const filter of config.filters) {
    if (filter.kind === "dateRange") {
      const from = state.filters[`${filter.param}_from`];
      const to = state.filters[`${filter.param}_to`];
      if (!from && !to) continue;
      const text =
        from && to
          ? `${formatDate(from)} – ${formatDate(to)}`
          : from
            ? `from ${formatDate(from)}`
            : `until ${formatDate(to!)}`;
      chips.push({
        key: filter.param,
        label: `${filter.label}: ${text}`,
        remove: () =>
          onChange((s) => {
            const filters = { ...s.filters };
            delete filters[`${filter.param}_from`];
            delete filters[`${filter.param}_to`];
            return { ...s, filters };
          }),
      });
      continue;
    }
    const value = state.filters[filter.param];
    if (!value) continue;
    const choices = options[filter.param] ?? filter.options ?? [];
    const text =
      filter.control === "member"
        ? (memberNames.get(value) ?? "Former member")
        : (choices.find((o) => o.value === value)?.label ?? value);
    chips.push({
      key: filter.param,
      label: `${filter.label}: ${text}`,
      remove: () => setFilter(onChange, filter.param, null),
    });
  }
  if (state.customField) {
    const def = fields.find((f) => f.key === state.customField?.key);
    const op = def ? (OP_LABELS[def.type][state.customField.op] ?? state.customField.op) : state.customField.op;
    const values = state.customField.values.map((v) =>
      def?.type === "checkbox" ? (v === "true" ? "checked" : "not checked") : def?.type === "date" ? formatDate(v) : v,
    );
    chips.push({
      key: "cf",
      label: `${def?.label ?? state.customField.key} ${op} ${values.join(", ")}`,
      remove: () => onChange({ customField: null }),
    });
  }
  if (chips.length === 0) return null;
  return (
    <ul aria-label="Active filters" className="flex flex-wrap items-center gap-2">
      {chips.map((chip) => (
        <li
          key={chip.key}
          className="inline-flex max-w-full items-center gap-1 rounded-full border border-indigo-200 bg-indigo-50 py-0.5 pr-1 pl-2.5 text-xs font-medium text-indigo-800"
        >
          <span className="truncate">{chip.label}</span>
          <button
            type="button"
            onClick={chip.remove}
            aria-label={`Remove filter ${chip.label}`}
            className={`rounded-full p-0.5 text-indigo-500 hover:bg-indigo-100 hover:text-indigo-800 ${focusRing}`}
          >
            <svg className="size-3.5" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
              <path d="M6.28 5.22a.75.75 0 0 0-1.06 1.06L8.94 10l-3.72 3.72a.75.75 0 1 0 1.06 1.06L10 11.06l3.72 3.72a.75.75 0 1 0 1.06-1.06L11.06 10l3.72-3.72a.75.75 0 0 0-1.06-1.06L10 8.94 6.28 5.22Z" />
            </svg>
          </button>
        </li>
      ))}
      <li>
        <button
          type="button"
          onClick={() => onChange((s) => ({ ...s, filters: {}, customField: null, search: "" }))}
          className={`rounded-md px-1.5 py-0.5 text-xs font-medium text-slate-600 hover:text-slate-900 ${focusRing}`}
        >
          Clear filters
        </button>
      </li>
    </ul>
  );
}
