"use client";

import { useState } from "react";
import { StandIn, useDeferred } from "./deferred";
import type { FilterOption } from "./filter-panel";
import { type CustomFieldDef, filterCount, type ListConfig, type ListState, visibleColumns } from "./list-state";
import { SearchBox } from "./search-box";
import { ColumnsLabel, FiltersLabel, toolbarButtonClass, ViewLabel } from "./triggers";
import { type EntityType, useActiveView } from "./use-active-view";
import type { ListStateUpdate } from "./use-list-state";

// The menus and the filter panel (Radix, and the forms behind them) load after the list itself.
const loadViews = () => import("./saved-views").then((m) => m.SavedViews);
const loadFilters = () => import("./filter-panel").then((m) => m.FilterPanel);
const loadColumns = () => import("./column-chooser").then((m) => m.ColumnChooser);

interface ListToolbarProps {
  entityType: EntityType;
  /** "contacts" */
  plural: string;
  config: ListConfig;
  state: ListState;
  onChange: (update: ListStateUpdate) => void;
  onSearch: (search: string) => void;
  fields: readonly CustomFieldDef[];
  filterOptions: Partial<Record<string, readonly FilterOption[]>>;
  searchLabel: string;
  searchPlaceholder: string;
  /** A new search is loading. */
  searching: boolean;
  /** The columns the chooser offers, in their natural order. */
  columns: readonly { id: string; label: string; custom?: boolean }[];
}

/** Saved views, search, filters and the column chooser of a list page. */
export function ListToolbar({
  entityType,
  plural,
  config,
  state,
  onChange,
  onSearch,
  fields,
  filterOptions,
  searchLabel,
  searchPlaceholder,
  searching,
  columns,
}: ListToolbarProps) {
  const [Views, loadViewsNow] = useDeferred(loadViews);
  const [Filters, loadFiltersNow] = useDeferred(loadFilters);
  const [Columns, loadColumnsNow] = useDeferred(loadColumns);
  // Which control was clicked before its code arrived: it opens as soon as it has.
  const [openOnLoad, setOpenOnLoad] = useState<"views" | "filters" | "columns" | null>(null);
  const { active, changed } = useActiveView(entityType, config, state);
  const intent = (which: "views" | "filters" | "columns", load: () => void) => (open: boolean) => {
    if (open) setOpenOnLoad(which);
    load();
  };

  return (
    <>
      <StandIn
        ready={Views !== null}
        onIntent={intent("views", loadViewsNow)}
        className={`${toolbarButtonClass} min-w-0 shrink`}
        popup="menu"
        label={<ViewLabel name={active?.name ?? `All ${plural}`} edited={changed} />}
      >
        {Views ? (
          <Views
            entityType={entityType}
            plural={plural}
            config={config}
            state={state}
            fields={fields}
            onApply={(next) => onChange(() => next)}
            defaultOpen={openOnLoad === "views"}
          />
        ) : null}
      </StandIn>
      <SearchBox
        value={state.search}
        onSearch={onSearch}
        label={searchLabel}
        placeholder={searchPlaceholder}
        busy={searching}
      />
      <StandIn
        ready={Filters !== null}
        onIntent={intent("filters", loadFiltersNow)}
        className={toolbarButtonClass}
        popup="dialog"
        label={<FiltersLabel count={filterCount(state, config)} />}
      >
        {Filters ? (
          <Filters
            config={config}
            state={state}
            onChange={onChange}
            fields={fields}
            options={filterOptions}
            defaultOpen={openOnLoad === "filters"}
          />
        ) : null}
      </StandIn>
      <StandIn
        ready={Columns !== null}
        onIntent={intent("columns", loadColumnsNow)}
        className={toolbarButtonClass}
        popup="menu"
        label={<ColumnsLabel />}
      >
        {Columns ? (
          <Columns
            columns={columns}
            visible={visibleColumns(state, config)}
            onChange={(next) => onChange({ columns: next })}
            onReset={() => onChange({ columns: null })}
            defaultOpen={openOnLoad === "columns"}
          />
        ) : null}
      </StandIn>
    </>
  );
}
