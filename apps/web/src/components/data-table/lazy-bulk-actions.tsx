"use client";

import dynamic from "next/dynamic";
import { useEffect } from "react";
import type { BulkActions as BulkActionsType } from "./bulk-actions";

const load = () => import("./bulk-actions");
const BulkActions = dynamic(() => load().then((m) => m.BulkActions), { ssr: false });

/** The bulk actions bar, whose code loads once the page is idle (it shows only after a selection). */
export function LazyBulkActions(props: Parameters<typeof BulkActionsType>[0]) {
  useEffect(() => {
    const id = "requestIdleCallback" in window ? window.requestIdleCallback(() => void load()) : null;
    return () => {
      if (id !== null) window.cancelIdleCallback(id);
    };
  }, []);
  return props.selectedIds.length > 0 ? <BulkActions {...props} /> : null;
}
