"use client";

import { useEffect } from "react";

type Schemas = typeof import("@nexo/crm/schemas");

let loading: Promise<Schemas> | null = null;

/**
 * The API's input schemas (zod), loaded on demand: the list pages need them only to check an edit
 * before sending it, so they stay out of the JavaScript a list needs to show up.
 */
export function loadSchemas(): Promise<Schemas> {
  loading ??= import("@nexo/crm/schemas");
  return loading;
}

/** Starts loading the schemas once the page is idle, so the first edit does not wait for them. */
export function usePreloadSchemas(): void {
  useEffect(() => {
    const start = () => void loadSchemas();
    if ("requestIdleCallback" in window) {
      const id = window.requestIdleCallback(start, { timeout: 3000 });
      return () => window.cancelIdleCallback(id);
    }
    const timer = setTimeout(start, 1000);
    return () => clearTimeout(timer);
  }, []);
}

/** A zod error's first message per top-level field, as forms show them. */
export function fieldErrorsOf(issues: readonly { path: readonly PropertyKey[]; message: string }[]) {
  const fields: Partial<Record<string, string>> = {};
  for (const issue of issues) {
    const name = String(issue.path[0] ?? "");
    if (name && !fields[name]) fields[name] = issue.message;
  }
  return fields;
}
