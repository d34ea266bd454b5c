import type { ReactNode } from "react";
import { Button, buttonClass } from "~/components/button";
import { EmptyState } from "~/components/empty-state";
import { Skeleton } from "~/components/skeleton";
import { ROW_HEIGHT } from "./data-table";

interface ListFrameProps {
  title: string;
  /** Above the title (e.g. the deals' Board | List switch). */
  eyebrow?: ReactNode;
  /** The count line under the title. */
  count: ReactNode;
  /** Export, import, new record. */
  actions: ReactNode;
  /** Views, search, filters, columns; none while there are no records at all. */
  toolbar: ReactNode | null;
  /** Active filter chips and the bulk actions bar. */
  status: ReactNode;
  children: ReactNode;
}

/** The layout every list page shares, so contacts, companies and deals read alike. */
export function ListFrame({ title, eyebrow, count, actions, toolbar, status, children }: ListFrameProps) {
  return (
    <div className="mx-auto max-w-7xl px-4 py-6 sm:px-6 sm:py-8">
      {eyebrow}
      <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-3">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
          <div className="mt-1 min-h-5">{count}</div>
        </div>
        <div className="flex flex-wrap items-center gap-2">{actions}</div>
      </div>
      {toolbar ? <div className="mt-5 flex flex-wrap items-center gap-2">{toolbar}</div> : null}
      <div className="mt-3 space-y-3 empty:hidden">{status}</div>
      <div className={toolbar ? "mt-3" : "mt-6"}>{children}</div>
    </div>
  );
}

/** An `<a download>` to the same-origin export route, which streams the gateway's CSV. */
export function ExportLink({
  kind,
  query,
  label,
}: {
  kind: "contacts" | "companies" | "deals";
  query: string;
  label: string;
}) {
  return (
    <a href={`/api/export/${kind}?${query}`} download className={buttonClass("secondary", "sm")}>
      <svg className="-ml-0.5 size-4 text-slate-500" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
        <path d="M10.75 2.75a.75.75 0 0 0-1.5 0v8.61L6.3 8.24a.75.75 0 1 0-1.1 1.02l4.25 4.5a.75.75 0 0 0 1.1 0l4.25-4.5a.75.75 0 0 0-1.1-1.02l-2.95 3.12V2.75Z" />
        <path d="M3.5 12.75a.75.75 0 0 0-1.5 0v2.5A2.75 2.75 0 0 0 4.75 18h10.5A2.75 2.75 0 0 0 18 15.25v-2.5a.75.75 0 0 0-1.5 0v2.5c0 .69-.56 1.25-1.25 1.25H4.75c-.69 0-1.25-.56-1.25-1.25v-2.5Z" />
      </svg>
      {label}
    </a>
  );
}

/** Rows of placeholders as tall as real rows, under a header like the table's. */
export function TableSkeleton({ rows = 8, label }: { rows?: number; label: string }) {
  return (
    <div role="status" className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
      <div aria-hidden="true" className="flex h-10 items-center gap-6 border-b border-slate-200 bg-slate-50 px-3">
        <Skeleton className="size-4" />
        <Skeleton className="h-3 w-24" />
        <Skeleton className="hidden h-3 w-32 sm:block" />
        <Skeleton className="hidden h-3 w-20 md:block" />
        <Skeleton className="hidden h-3 w-24 lg:block" />
      </div>
      <ul aria-hidden="true">
        {Array.from({ length: rows }, (_, index) => (
          <li
            key={index}
            className="flex items-center gap-6 border-b border-slate-100 px-3 last:border-b-0"
            style={{ height: ROW_HEIGHT }}
          >
            <Skeleton className="size-4" />
            <span className="flex w-48 items-center gap-2.5">
              <span className="size-7 shrink-0 animate-pulse rounded-full bg-slate-200/80" />
              <Skeleton className="h-3 w-full" />
            </span>
            <Skeleton className="hidden h-3 w-40 sm:block" />
            <Skeleton className="hidden h-3 w-24 md:block" />
            <Skeleton className="hidden h-3 w-28 lg:block" />
          </li>
        ))}
      </ul>
      <span className="sr-only">{label}</span>
    </div>
  );
}

export function ListError({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <div role="alert" className="rounded-xl border border-red-200 bg-red-50 p-6 text-center">
      <p className="text-sm text-red-700">{message}</p>
      <Button variant="secondary" className="mt-4" onClick={onRetry}>
        Try again
      </Button>
    </div>
  );
}

/** Nothing matches the search and filters. */
export function NoMatches({ plural, onClear }: { plural: string; onClear: () => void }) {
  return (
    <EmptyState
      title={`No ${plural} match these filters`}
      description="Try another search, or remove some filters."
      action={
        <Button variant="secondary" onClick={onClear}>
          Clear filters
        </Button>
      }
    />
  );
}

/** A whole list page while its data loads: title, toolbar and rows in their final places. */
export function ListSkeleton({ title, label }: { title: string; label: string }) {
  return (
    <div className="mx-auto max-w-7xl px-4 py-6 sm:px-6 sm:py-8">
      <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-3">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
          <div className="mt-1 flex h-5 items-center">
            <Skeleton className="h-3.5 w-24" />
          </div>
        </div>
        <div className="flex items-center gap-2">
          <Skeleton className="h-8 w-28 rounded-lg" />
          <Skeleton className="h-8 w-32 rounded-lg" />
        </div>
      </div>
      <div className="mt-5 flex flex-wrap items-center gap-2">
        <Skeleton className="h-9 w-36 rounded-lg" />
        <Skeleton className="order-first h-9 flex-1 basis-full rounded-lg sm:order-none sm:basis-56" />
        <Skeleton className="h-9 w-24 rounded-lg" />
        <Skeleton className="h-9 w-28 rounded-lg" />
      </div>
      <div className="mt-3">
        <TableSkeleton label={label} />
      </div>
    </div>
  );
}
