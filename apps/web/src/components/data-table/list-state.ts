/**
 * A list page's state — search, filters, sort, visible columns and the chosen saved view — kept in
 * the URL's search parameters, so a view is linkable and the server prefetches exactly the rows the
 * page shows. Pure functions, used alike by server pages and client views: the same URL always
 * gives the same list input, hence the same query key on both sides.
 */

import { isUuid } from "./filter-values";

/**
 * The members of a union the API defines, listed in full: a value missing from the list (or one
 * too many) is a type error. Lets client code carry an API's enum without loading its schema.
 */
export function allOf<T extends string>() {
  return <const V extends readonly T[]>(values: V & ([T] extends [V[number]] ? unknown : "lists too few values")) =>
    values;
}

export type SearchParamsLike = URLSearchParams | Record<string, string | string[] | undefined>;

/** One filter of a list: a URL parameter and the list input field it fills. */
export type FilterDef =
  | {
      kind: "value";
      /** The URL parameter, e.g. `owner`. */
      param: string;
      /** The list procedure's input field, e.g. `ownerId`. */
      input: string;
      label: string;
      control: "member" | "tag" | "select" | "text" | "stage" | "pipeline";
      /** Fixed choices of a `select` control. */
      options?: readonly { value: string; label: string }[];
      /** Whether a value from the URL is one the list accepts (else it is ignored). */
      accepts: (value: string) => boolean;
    }
  | {
      kind: "dateRange";
      /** `created` → `created_from` and `created_to` (days, both inclusive). */
      param: string;
      input: string;
      label: string;
    };

export interface ListConfig {
  /** The list procedure's sorts; the first is its default. */
  sorts: readonly string[];
  filters: readonly FilterDef[];
  /** Columns shown when the URL (or view) names none, in display order. */
  defaultColumns: readonly string[];
}

export type CustomFieldType = "text" | "number" | "date" | "select" | "multi_select" | "checkbox" | "url";
export type CustomFieldOp = "eq" | "contains" | "gt" | "lt" | "in";

export interface CustomFieldDef {
  key: string;
  label: string;
  type: CustomFieldType;
  options: string[] | null;
}

export interface CustomFieldFilterState {
  key: string;
  op: CustomFieldOp;
  /** As written in the URL; typed by the field's definition when the list input is built. */
  values: string[];
}

export interface ListState {
  search: string;
  sort: string;
  /** Filter values by URL parameter (`created_from`, `owner`, …). */
  filters: Record<string, string>;
  customField: CustomFieldFilterState | null;
  /** Visible column ids in order; null for the list's default columns. */
  columns: string[] | null;
  viewId: string | null;
}

/** The operators each type of custom field takes (see the API's customFieldFilter). */
export const CUSTOM_FIELD_OPS: Record<CustomFieldType, readonly CustomFieldOp[]> = {
  text: ["contains", "eq", "in"],
  url: ["contains", "eq", "in"],
  select: ["eq", "in"],
  number: ["eq", "gt", "lt", "in"],
  date: ["eq", "gt", "lt", "in"],
  checkbox: ["eq"],
  multi_select: ["contains", "in", "eq"],
};

const MAX_SEARCH = 200;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const COLUMN_ID = /^[A-Za-z][A-Za-z0-9_.]{0,79}$/;

export function isDay(value: string): boolean {
  if (!ISO_DAY.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** Days are UTC calendar days, so the server and the browser build the very same query. */
function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

function all(params: SearchParamsLike, name: string): string[] {
  if (params instanceof URLSearchParams) return params.getAll(name);
  const value = params[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function first(params: SearchParamsLike, name: string): string | undefined {
  return all(params, name)[0];
}

export function emptyListState(config: ListConfig): ListState {
  return {
    search: "",
    sort: config.sorts[0] ?? "newest",
    filters: {},
    customField: null,
    columns: null,
    viewId: null,
  };
}

/** Reads the state from the URL; anything malformed is dropped rather than sent to the API. */
export function readListState(params: SearchParamsLike, config: ListConfig): ListState {
  const state = emptyListState(config);
  state.search = (first(params, "q") ?? "").trim().slice(0, MAX_SEARCH);
  const sort = first(params, "sort");
  if (sort && config.sorts.includes(sort)) state.sort = sort;

  for (const filter of config.filters) {
    if (filter.kind === "value") {
      const value = first(params, filter.param)?.trim();
      if (value && filter.accepts(value)) state.filters[filter.param] = value;
    } else {
      const from = first(params, `${filter.param}_from`);
      const to = first(params, `${filter.param}_to`);
      const validFrom = from && isDay(from) ? from : undefined;
      const validTo = to && isDay(to) ? to : undefined;
      if (validFrom) state.filters[`${filter.param}_from`] = validFrom;
      // A range that ends before it starts matches nothing: keep only its start.
      if (validTo && (!validFrom || validFrom <= validTo)) state.filters[`${filter.param}_to`] = validTo;
    }
  }

  const key = first(params, "cf");
  const op = first(params, "cf_op") as CustomFieldOp | undefined;
  const values = all(params, "cf_v").filter((v) => v.length <= 200);
  if (key && /^[a-z][a-z0-9_]{0,39}$/.test(key) && op && ["eq", "contains", "gt", "lt", "in"].includes(op)) {
    if (values.length > 0 && values.length <= 50) state.customField = { key, op, values };
  }

  const columns = first(params, "cols");
  if (columns !== undefined) {
    state.columns = [...new Set(columns.split(",").filter((c) => COLUMN_ID.test(c)))].slice(0, 50);
  }
  const view = first(params, "view");
  if (view && isUuid(view)) state.viewId = view;
  return state;
}

/** The URL parameters of a state, in a stable order (default sort and columns left out). */
export function writeListState(state: ListState, config: ListConfig): URLSearchParams {
  const params = new URLSearchParams();
  if (state.viewId) params.set("view", state.viewId);
  if (state.search) params.set("q", state.search);
  for (const filter of config.filters) {
    const names = filter.kind === "value" ? [filter.param] : [`${filter.param}_from`, `${filter.param}_to`];
    for (const name of names) {
      const value = state.filters[name];
      if (value) params.set(name, value);
    }
  }
  if (state.customField) {
    params.set("cf", state.customField.key);
    params.set("cf_op", state.customField.op);
    for (const value of state.customField.values) params.append("cf_v", value);
  }
  if (state.sort !== config.sorts[0]) params.set("sort", state.sort);
  if (state.columns) params.set("cols", state.columns.join(","));
  return params;
}

/** True when the list shows a subset of the records (search, filters). */
export function isFiltered(state: ListState): boolean {
  return state.search !== "" || Object.keys(state.filters).length > 0 || state.customField !== null;
}

/** How many filters are set (a date range counts once). */
export function filterCount(state: ListState, config: ListConfig): number {
  let count = state.customField ? 1 : 0;
  for (const filter of config.filters) {
    if (filter.kind === "value" ? state.filters[filter.param] : filterRangeSet(state, filter.param)) count += 1;
  }
  return count;
}

function filterRangeSet(state: ListState, param: string): boolean {
  return Boolean(state.filters[`${param}_from`] || state.filters[`${param}_to`]);
}

/** Same records, order and columns (the chosen view aside): used to tell whether a view was changed. */
export function sameQuery(a: ListState, b: ListState, config: ListConfig): boolean {
  const strip = (state: ListState) =>
    writeListState({ ...state, viewId: null, columns: state.columns ?? [...config.defaultColumns] }, config).toString();
  return strip(a) === strip(b);
}

type CustomFieldValue = string | number | boolean | (string | number)[];

/** The API's `customField` filter, typed by the field's definition; undefined when it does not fit. */
export function customFieldInput(
  filter: CustomFieldFilterState | null,
  fields: readonly CustomFieldDef[],
): { key: string; op: CustomFieldOp; value: CustomFieldValue } | undefined {
  if (!filter) return undefined;
  const field = fields.find((f) => f.key === filter.key);
  if (!field || !CUSTOM_FIELD_OPS[field.type].includes(filter.op)) return undefined;
  const list = filter.op === "in" || (field.type === "multi_select" && filter.op === "eq");
  const typed = (raw: string): string | number | boolean | null => {
    switch (field.type) {
      case "number": {
        const n = Number(raw);
        return raw.trim() !== "" && Number.isFinite(n) ? n : null;
      }
      case "date":
        return isDay(raw) ? raw : null;
      case "checkbox":
        return raw === "true" ? true : raw === "false" ? false : null;
      default:
        return raw === "" ? null : raw;
    }
  };
  const values = filter.values.map(typed);
  if (values.some((v) => v === null)) return undefined;
  if (list) return { key: field.key, op: filter.op, value: values as (string | number)[] };
  const [value] = values;
  if (value === undefined || value === null || filter.values.length !== 1) return undefined;
  return { key: field.key, op: filter.op, value };
}

/**
 * The list procedure's filters (no sort, no paging) for a state. Date ranges become `{ from, to }`
 * with `to` the day after the last day shown, as the API's ranges end before `to`.
 */
export function listFilters(
  state: ListState,
  config: ListConfig,
  fields: readonly CustomFieldDef[],
): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  if (state.search) input.search = state.search;
  for (const filter of config.filters) {
    if (filter.kind === "value") {
      const value = state.filters[filter.param];
      if (value) input[filter.input] = value;
    } else {
      const from = state.filters[`${filter.param}_from`];
      const to = state.filters[`${filter.param}_to`];
      if (from || to) {
        input[filter.input] = { ...(from ? { from } : {}), ...(to ? { to: addDays(to, 1) } : {}) };
      }
    }
  }
  const customField = customFieldInput(state.customField, fields);
  if (customField) input.customField = customField;
  return input;
}

function dayOf(value: unknown): string | undefined {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "string" && value.length >= 10 && isDay(value.slice(0, 10))) return value.slice(0, 10);
  return undefined;
}

/** A saved view's filters, sort and columns as list state (the inverse of `listFilters`). */
export function stateFromView(
  view: { id: string; filters: unknown; sort: string | null; columns: string[] | null },
  config: ListConfig,
): ListState {
  const state = emptyListState(config);
  state.viewId = view.id;
  if (view.sort && config.sorts.includes(view.sort)) state.sort = view.sort;
  state.columns = view.columns ? [...view.columns] : null;
  const filters = (view.filters && typeof view.filters === "object" ? view.filters : {}) as Record<string, unknown>;
  if (typeof filters.search === "string") state.search = filters.search;
  for (const filter of config.filters) {
    const value = filters[filter.input];
    if (filter.kind === "value") {
      if (typeof value === "string" && filter.accepts(value)) state.filters[filter.param] = value;
    } else if (value && typeof value === "object") {
      const range = value as { from?: unknown; to?: unknown };
      const from = dayOf(range.from);
      const to = dayOf(range.to);
      if (from) state.filters[`${filter.param}_from`] = from;
      if (to) state.filters[`${filter.param}_to`] = addDays(to, -1);
    }
  }
  const cf = filters.customField as { key?: unknown; op?: unknown; value?: unknown } | undefined;
  if (cf && typeof cf.key === "string" && typeof cf.op === "string" && cf.value !== undefined) {
    const values = Array.isArray(cf.value) ? cf.value.map(String) : [String(cf.value)];
    state.customField = { key: cf.key, op: cf.op as CustomFieldOp, values };
  }
  return state;
}

/**
 * The gateway's CSV export query for these filters and sort: plain values as they are, date
 * ranges as `createdAt.from` / `createdAt.to`, and the custom field filter as JSON.
 */
export function exportQuery(filters: Record<string, unknown>, sort: string): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (value === undefined || value === null) continue;
    if (key === "customField") params.set(key, JSON.stringify(value));
    else if (typeof value === "object") {
      for (const [sub, subValue] of Object.entries(value as Record<string, unknown>)) {
        if (subValue !== undefined) params.set(`${key}.${sub}`, String(subValue));
      }
    } else params.set(key, String(value));
  }
  params.set("sort", sort);
  return params.toString();
}

/** Column visibility for the table from the visible column ids (fixed columns always show). */
export function visibleColumns(state: ListState, config: ListConfig): readonly string[] {
  return state.columns ?? config.defaultColumns;
}
