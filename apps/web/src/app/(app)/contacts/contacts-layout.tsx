import type { ReactNode } from "react";

export function PageHeading({ action }: { action: ReactNode }) {
  return (
    <div className="flex items-start justify-between gap-4">
      <div className="min-w-0">
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Contacts</h1>
        <p className="mt-1 text-sm text-slate-600">Everyone your team works with, in one place.</p>
      </div>
      {action}
    </div>
  );
}

/** Column template shared by the list's header and rows on wide screens. */
export const LIST_COLUMNS = "md:grid-cols-[minmax(0,2.2fr)_minmax(0,2fr)_minmax(0,1.3fr)_9rem]";

export function ContactsSkeleton({ rows = 6 }: { rows?: number }) {
  return (
    <div role="status" className="mt-4 overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
      <div aria-hidden="true" className={`hidden h-10 border-b border-slate-200 bg-slate-50 md:grid ${LIST_COLUMNS}`} />
      <ul aria-hidden="true" className="divide-y divide-slate-100">
        {Array.from({ length: rows }, (_, index) => (
          <li key={index} className="flex animate-pulse items-center gap-3 px-4 py-3.5">
            <span className="size-9 shrink-0 rounded-full bg-slate-200" />
            <span className="flex-1 space-y-2">
              <span className="block h-3 w-1/3 rounded bg-slate-200" />
              <span className="block h-3 w-1/2 rounded bg-slate-100 md:hidden" />
            </span>
            <span className="hidden h-3 w-1/4 rounded bg-slate-100 md:block" />
            <span className="hidden h-3 w-1/6 rounded bg-slate-100 md:block" />
          </li>
        ))}
      </ul>
      <span className="sr-only">Loading contacts…</span>
    </div>
  );
}
