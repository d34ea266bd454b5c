"use client";

import { useSearchParams } from "next/navigation";
import { useEffect, useRef } from "react";

/**
 * "New …" from the command palette arrives as `?new=1`: the page's create form opens (when the
 * role allows it) and the flag leaves the URL, so a reload or a shared link does not open it again.
 */
/** `allowed` is undefined while the caller's permissions are still unknown: the flag waits for them. */
export function useOpenOnNewParam(open: () => void, allowed: boolean | undefined) {
  const wantsNew = useSearchParams().get("new") === "1";
  const openRef = useRef(open);
  openRef.current = open;
  useEffect(() => {
    if (!wantsNew || allowed === undefined) return;
    const url = new URL(window.location.href);
    url.searchParams.delete("new");
    window.history.replaceState(null, "", url);
    if (allowed) openRef.current();
  }, [wantsNew, allowed]);
}
