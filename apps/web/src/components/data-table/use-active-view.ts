"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { type ListConfig, type ListState, sameQuery, stateFromView } from "./list-state";

export type EntityType = "contact" | "company" | "deal";

/** The saved views of a list, the one chosen in the URL, and whether the list was changed since. */
export function useActiveView(entityType: EntityType, config: ListConfig, state: ListState) {
  const trpc = useTRPC();
  const views = useQuery(trpc.crm.views.list.queryOptions({ entityType }));
  const all = views.data ?? [];
  const active = all.find((view) => view.id === state.viewId) ?? null;
  const changed = active ? !sameQuery(stateFromView(active, config), state, config) : false;
  return { views, all, active, changed };
}
