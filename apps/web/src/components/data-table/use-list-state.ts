"use client";

import { useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { type ListConfig, type ListState, readListState, writeListState } from "./list-state";

export type ListStateUpdate = Partial<ListState> | ((current: ListState) => ListState);

/**
 * The list state in the URL, and a setter that rewrites the URL in place (replaceState: no server
 * round trip, no history entry per keystroke; Next keeps `useSearchParams` in step with it).
 */
export function useListState(config: ListConfig): [ListState, (update: ListStateUpdate) => void] {
  const params = useSearchParams();
  const state = useMemo(() => readListState(params, config), [params, config]);
  const setState = useCallback(
    (update: ListStateUpdate) => {
      const current = readListState(new URLSearchParams(window.location.search), config);
      const next = typeof update === "function" ? update(current) : { ...current, ...update };
      const url = new URL(window.location.href);
      url.search = writeListState(next, config).toString();
      if (url.href !== window.location.href) window.history.replaceState(null, "", url);
    },
    [config],
  );
  return [state, setState];
}
