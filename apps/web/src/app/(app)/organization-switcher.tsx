"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import { focusRing, Spinner } from "~/components/button";
import { ROLE_LABELS } from "~/components/role-badge";
import { useTRPC } from "~/trpc/react";

/**
 * The current organization, and a list to open another one. The list is fetched when first opened,
 * so pages load without it.
 */
export function OrganizationSwitcher({ organizationName }: { organizationName: string }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const [leaving, setLeaving] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const organizations = useQuery({ ...trpc.auth.organizations.list.queryOptions(), enabled: open });
  const switchTo = useMutation(
    trpc.auth.switchOrganization.mutationOptions({
      onSuccess: () => {
        setLeaving(true);
        // A full load: every cached query belongs to the organization being left.
        window.location.assign("/dashboard");
      },
    }),
  );

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setOpen(false);
      root.current?.querySelector<HTMLButtonElement>("button")?.focus();
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  return (
    <div ref={root} className="relative min-w-0">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((value) => !value)}
        className={`flex max-w-full min-w-0 items-center gap-1 rounded-md px-1.5 py-1 text-sm font-medium text-slate-800 hover:bg-slate-100 ${focusRing}`}
      >
        <span className="sr-only">Organization: </span>
        <span className="truncate" title={organizationName}>
          {organizationName}
        </span>
        <svg className="size-4 shrink-0 text-slate-400" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
          <path
            fillRule="evenodd"
            d="M5.22 8.22a.75.75 0 0 1 1.06 0L10 11.94l3.72-3.72a.75.75 0 1 1 1.06 1.06l-4.25 4.25a.75.75 0 0 1-1.06 0L5.22 9.28a.75.75 0 0 1 0-1.06Z"
            clipRule="evenodd"
          />
        </svg>
      </button>
      <div
        id={panelId}
        hidden={!open}
        className="absolute top-full left-0 z-40 mt-1 w-72 max-w-[calc(100vw-2rem)] rounded-xl border border-slate-200 bg-white p-1.5 shadow-lg"
      >
        <p className="px-2.5 pt-1.5 pb-1 text-xs font-medium tracking-wide text-slate-500 uppercase">
          Your organizations
        </p>
        {organizations.isPending ? (
          <p role="status" className="flex items-center gap-2 px-2.5 py-2 text-sm text-slate-500">
            <Spinner /> Loading…
          </p>
        ) : organizations.isError ? (
          <p role="alert" className="px-2.5 py-2 text-sm text-red-700">
            {organizations.error.message}
          </p>
        ) : (
          <ul aria-label="Your organizations">
            {organizations.data.map((org) => (
              <li key={org.id}>
                <button
                  type="button"
                  aria-current={org.current ? "true" : undefined}
                  disabled={org.current || switchTo.isPending || leaving}
                  onClick={() => switchTo.mutate({ orgId: org.id })}
                  className={`flex w-full items-center gap-2 rounded-lg px-2.5 py-2 text-left text-sm hover:bg-slate-50 disabled:cursor-default disabled:hover:bg-transparent ${focusRing}`}
                >
                  <span className="min-w-0 flex-1">
                    <span className="block truncate font-medium text-slate-900">{org.name}</span>
                    <span className="block text-xs text-slate-500">{ROLE_LABELS[org.role]}</span>
                  </span>
                  {org.current ? (
                    <svg
                      className="size-4 shrink-0 text-indigo-600"
                      viewBox="0 0 20 20"
                      fill="currentColor"
                      aria-hidden="true"
                    >
                      <path
                        fillRule="evenodd"
                        d="M16.7 5.3a1 1 0 0 1 0 1.4l-8 8a1 1 0 0 1-1.4 0l-4-4a1 1 0 1 1 1.4-1.4L8 12.58l7.3-7.3a1 1 0 0 1 1.4 0Z"
                        clipRule="evenodd"
                      />
                    </svg>
                  ) : switchTo.isPending && switchTo.variables?.orgId === org.id ? (
                    <Spinner className="size-4 text-slate-400" />
                  ) : null}
                  {org.current ? <span className="sr-only">(current)</span> : null}
                </button>
              </li>
            ))}
          </ul>
        )}
        {switchTo.error ? (
          <p role="alert" className="px-2.5 py-2 text-sm text-red-700">
            {switchTo.error.message}
          </p>
        ) : null}
      </div>
    </div>
  );
}
