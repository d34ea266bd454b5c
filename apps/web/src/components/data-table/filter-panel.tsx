"use client";

import { useEffect, useId, useRef, useState } from "react";
import { MemberSelect } from "~/components/member-select";
import { Popover, PopoverContent, PopoverTrigger } from "~/components/popover";
import { OP_LABELS } from "./custom-field-ops";
import {
  CUSTOM_FIELD_OPS,
  type CustomFieldDef,
  type CustomFieldFilterState,
  type CustomFieldOp,
  type FilterDef,
  filterCount,
  type ListConfig,
  type ListState,
} from "./list-state";
import { FiltersLabel, toolbarButtonClass } from "./triggers";
import type { ListStateUpdate } from "./use-list-state";

export interface FilterOption {
  value: string;
  label: string;
  /** Options of one group (a pipeline's stages) are shown together. */
  group?: string;
}

interface FiltersProps {
  config: ListConfig;
  state: ListState;
  onChange: (update: ListStateUpdate) => void;
  /** The custom fields of this kind of record. */
  fields: readonly CustomFieldDef[];
  /** Choices known only at run time (tags, pipelines, stages), by URL parameter. */
  options: Partial<Record<string, readonly FilterOption[]>>;
  /** Opens the panel as it mounts (it loads after the page, on first use). */
  defaultOpen?: boolean;
}

const controlClass =
  "block h-10 w-full rounded-lg border border-slate-300 bg-white px-2.5 text-sm text-slate-900 shadow-sm focus:outline-2 focus:-outline-offset-1 focus:outline-indigo-600";
const labelClass = "mb-1 block text-xs font-medium text-slate-600";

function setFilter(onChange: FiltersProps["onChange"], name: string, value: string | null) {
  onChange((current) => {
    const filters = { ...current.filters };
    if (value) filters[name] = value;
    else delete filters[name];
    return { ...current, filters };
  });
}

/** The "Filters" button and its panel: every filter the list procedure offers, applied as they change. */
export function FilterPanel({ config, state, onChange, fields, options, defaultOpen }: FiltersProps) {
  const count = filterCount(state, config);
  return (
    <Popover defaultOpen={defaultOpen}>
      <PopoverTrigger className={toolbarButtonClass}>
        <FiltersLabel count={count} />
      </PopoverTrigger>
      <PopoverContent aria-label="Filters" className="w-80 space-y-3">
        {config.filters.map((filter) => (
          <FilterControl
            key={filter.param}
            filter={filter}
            state={state}
            onChange={onChange}
            options={options[filter.param] ?? (filter.kind === "value" ? filter.options : undefined) ?? []}
          />
        ))}
        {fields.length > 0 ? <CustomFieldFilter fields={fields} state={state} onChange={onChange} /> : null}
      </PopoverContent>
    </Popover>
  );
}

function FilterControl({
  filter,
  state,
  onChange,
  options,
}: {
  filter: FilterDef;
  state: ListState;
  onChange: FiltersProps["onChange"];
  options: readonly FilterOption[];
}) {
  const id = useId();
  if (filter.kind === "dateRange") {
    const from = state.filters[`${filter.param}_from`] ?? "";
    const to = state.filters[`${filter.param}_to`] ?? "";
    return (
      <fieldset>
        <legend className={labelClass}>{filter.label}</legend>
        <div className="grid grid-cols-2 gap-2">
          <input
            type="date"
            aria-label={`${filter.label} from`}
            value={from}
            max={to || undefined}
            onChange={(event) => setFilter(onChange, `${filter.param}_from`, event.target.value || null)}
            className={controlClass}
          />
          <input
            type="date"
            aria-label={`${filter.label} to`}
            value={to}
            min={from || undefined}
            onChange={(event) => setFilter(onChange, `${filter.param}_to`, event.target.value || null)}
            className={controlClass}
          />
        </div>
      </fieldset>
    );
  }
  const value = state.filters[filter.param] ?? "";
  if (filter.control === "member") {
    return (
      <div>
        <label htmlFor={id} className={labelClass}>
          {filter.label}
        </label>
        <MemberSelect
          id={id}
          value={value || null}
          allowEmpty
          emptyLabel="Anyone"
          onChange={(userId) => setFilter(onChange, filter.param, userId)}
        />
      </div>
    );
  }
  if (filter.control === "text") {
    return <TextFilter filter={filter} value={value} onChange={onChange} />;
  }
  const groups = [...new Set(options.map((o) => o.group).filter(Boolean))] as string[];
  return (
    <div>
      <label htmlFor={id} className={labelClass}>
        {filter.label}
      </label>
      <select
        id={id}
        value={value}
        onChange={(event) => setFilter(onChange, filter.param, event.target.value || null)}
        className={controlClass}
      >
        <option value="">Any</option>
        {groups.length > 0
          ? groups.map((group) => (
              <optgroup key={group} label={group}>
                {options
                  .filter((o) => o.group === group)
                  .map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
              </optgroup>
            ))
          : options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
      </select>
    </div>
  );
}

/** Typing settles before the list reloads. */
function TextFilter({
  filter,
  value,
  onChange,
}: {
  filter: Extract<FilterDef, { kind: "value" }>;
  value: string;
  onChange: FiltersProps["onChange"];
}) {
  const id = useId();
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text.trim() === value) return;
    const timer = setTimeout(() => setFilter(onChange, filter.param, text.trim() || null), 400);
    return () => clearTimeout(timer);
  }, [text, value, filter.param, onChange]);
  return (
    <div>
      <label htmlFor={id} className={labelClass}>
        {filter.label}
      </label>
      <input id={id} value={text} onChange={(event) => setText(event.target.value)} className={controlClass} />
    </div>
  );
}

/**
 * One custom field filter (the API takes one at a time): the field, an operator that fits its type
 * and a value typed for it.
 */
function CustomFieldFilter({
  fields,
  state,
  onChange,
}: {
  fields: readonly CustomFieldDef[];
  state: ListState;
  onChange: FiltersProps["onChange"];
}) {
  const id = useId();
  const current = state.customField;
  const field = fields.find((f) => f.key === current?.key) ?? null;
  const [draft, setDraft] = useState<{ key: string; op: CustomFieldOp; value: string }>(() => ({
    key: current?.key ?? "",
    op: current?.op ?? "eq",
    value: current?.values.join(", ") ?? "",
  }));
  // The panel follows the URL when it changes elsewhere (a chip removed, a view chosen), not when
  // it changes because of this panel: a field chosen without a value yet must stay chosen.
  const applied = useRef(JSON.stringify(current));
  useEffect(() => {
    const key = JSON.stringify(current);
    if (key === applied.current) return;
    applied.current = key;
    setDraft({ key: current?.key ?? "", op: current?.op ?? "eq", value: current?.values.join(", ") ?? "" });
  }, [current]);

  const chosen = fields.find((f) => f.key === draft.key) ?? field;
  const ops = chosen ? (Object.keys(OP_LABELS[chosen.type]) as CustomFieldOp[]) : [];

  function apply(next: { key: string; op: CustomFieldOp; value: string }) {
    setDraft(next);
    const def = fields.find((f) => f.key === next.key);
    const complete = def && next.value.trim() !== "" && CUSTOM_FIELD_OPS[def.type].includes(next.op);
    const customField: CustomFieldFilterState | null = complete
      ? { key: next.key, op: next.op, values: [next.value.trim()] }
      : null;
    applied.current = JSON.stringify(customField);
    onChange((s) => ({ ...s, customField }));
  }

  return (
    <fieldset>
      <legend className={labelClass}>Custom field</legend>
      <div className="grid grid-cols-[minmax(0,1fr)_6rem] gap-2">
        <select
          id={id}
          aria-label="Custom field"
          value={draft.key}
          onChange={(event) => {
            const def = fields.find((f) => f.key === event.target.value);
            const op = def ? ((Object.keys(OP_LABELS[def.type]) as CustomFieldOp[])[0] ?? "eq") : "eq";
            apply({ key: event.target.value, op, value: def?.type === "checkbox" ? "true" : "" });
          }}
          className={controlClass}
        >
          <option value="">None</option>
          {fields.map((f) => (
            <option key={f.key} value={f.key}>
              {f.label}
            </option>
          ))}
        </select>
        <select
          aria-label="Condition"
          value={draft.op}
          disabled={!chosen}
          onChange={(event) => apply({ ...draft, op: event.target.value as CustomFieldOp })}
          className={controlClass}
        >
          {ops.map((op) => (
            <option key={op} value={op}>
              {chosen ? OP_LABELS[chosen.type][op] : op}
            </option>
          ))}
        </select>
      </div>
      {chosen ? (
        <div className="mt-2">
          <CustomFieldValueInput field={chosen} value={draft.value} onChange={(value) => apply({ ...draft, value })} />
        </div>
      ) : null}
    </fieldset>
  );
}

function CustomFieldValueInput({
  field,
  value,
  onChange,
}: {
  field: CustomFieldDef;
  value: string;
  onChange: (value: string) => void;
}) {
  const label = `${field.label} value`;
  if (field.type === "checkbox") {
    return (
      <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)} className={controlClass}>
        <option value="true">Checked</option>
        <option value="false">Not checked</option>
      </select>
    );
  }
  if (field.type === "select" || field.type === "multi_select") {
    return (
      <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)} className={controlClass}>
        <option value="">Choose…</option>
        {(field.options ?? []).map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    );
  }
  return <DebouncedInput label={label} type={field.type} value={value} onChange={onChange} />;
}

function DebouncedInput({
  label,
  type,
  value,
  onChange,
}: {
  label: string;
  type: CustomFieldDef["type"];
  value: string;
  onChange: (value: string) => void;
}) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text === value) return;
    const timer = setTimeout(() => onChange(text), type === "date" ? 0 : 400);
    return () => clearTimeout(timer);
  }, [text, value, type, onChange]);
  return (
    <input
      aria-label={label}
      type={type === "number" ? "number" : type === "date" ? "date" : "text"}
      inputMode={type === "number" ? "decimal" : undefined}
      step={type === "number" ? "any" : undefined}
      value={text}
      onChange={(event) => setText(event.target.value)}
      className={controlClass}
    />
  );
}
