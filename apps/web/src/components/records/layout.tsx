import type { Route } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { focusRing } from "~/components/button";
import { Skeleton } from "~/components/skeleton";
import { FIELD_ROW } from "./field-row";

export function RecordFrame({ children }: { children: ReactNode }) {
  return <div className="mx-auto max-w-6xl px-4 py-5 sm:px-6 sm:py-8">{children}</div>;
}

export function Breadcrumb({ href, label, current }: { href: Route; label: string; current: string }) {
  return (
    <nav aria-label="Breadcrumb" className="mb-3 text-sm">
      <ol className="flex min-w-0 items-center gap-1.5 text-slate-500">
        <li className="shrink-0">
          <Link href={href} className={`rounded-sm hover:text-slate-900 ${focusRing}`}>
            {label}
          </Link>
        </li>
        <li aria-hidden="true" className="text-slate-300">
          /
        </li>
        <li aria-current="page" className="min-w-0 truncate text-slate-700">
          {current}
        </li>
      </ol>
    </nav>
  );
}

/** The record's header card: who or what it is, its key fields, and what can be done to it. */
export function RecordHeader({
  avatar,
  title,
  subtitle,
  actions,
  tags,
  children,
}: {
  avatar: ReactNode;
  title: ReactNode;
  subtitle?: ReactNode;
  actions?: ReactNode;
  tags?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section aria-label="Details" className="rounded-2xl border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
      <div className="flex items-start gap-3 sm:gap-4">
        {avatar}
        <div className="min-w-0 flex-1">
          {title}
          {/* The line stays when empty (null): filling it in (a job title typed in the fields below)
              would push those fields down under the pointer, and a click on the next one would miss. */}
          {subtitle !== undefined ? (
            <div className="mt-0.5 min-h-5 truncate text-sm text-slate-500">{subtitle}</div>
          ) : null}
          {tags ? <div className="mt-2 -ml-1.5">{tags}</div> : null}
        </div>
        {actions ? <div className="flex shrink-0 items-center gap-1">{actions}</div> : null}
      </div>
      <div className="mt-4 grid gap-x-8 border-t border-slate-100 pt-3 md:grid-cols-2">{children}</div>
    </section>
  );
}

/** Timeline first on a wide screen, related records beside it; stacked on a phone (related first). */
export function RecordBody({ aside, children }: { aside: ReactNode; children: ReactNode }) {
  return (
    <div className="mt-6 grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
      <div className="flex min-w-0 flex-col gap-6 lg:col-start-2 lg:row-start-1">{aside}</div>
      <div className="min-w-0 lg:col-start-1 lg:row-start-1">{children}</div>
    </div>
  );
}

export function Panel({
  title,
  count,
  action,
  children,
}: {
  title: string;
  count?: number;
  action?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section aria-label={title} className="rounded-2xl border border-slate-200 bg-white shadow-sm">
      <div className="flex items-center justify-between gap-2 border-b border-slate-100 px-4 py-3">
        <h2 className="text-sm font-semibold text-slate-900">
          {title}
          {count !== undefined ? <span className="ml-1.5 font-normal text-slate-500">{count}</span> : null}
        </h2>
        {action}
      </div>
      <div className="px-4 py-2">{children}</div>
    </section>
  );
}

/** A labelled value that is a link to another record, with its own change button. */
export function LinkedRow({ label, children, action }: { label: string; children: ReactNode; action?: ReactNode }) {
  return (
    <div className={FIELD_ROW}>
      <div className="pt-1.5 text-sm text-slate-500">{label}</div>
      <div className="flex min-h-8 min-w-0 items-center gap-1 text-sm">
        <div className="min-w-0 flex-1">{children}</div>
        {action}
      </div>
    </div>
  );
}

export function RecordLink({ href, children }: { href: Route; children: ReactNode }) {
  return (
    <Link
      href={href}
      className={`block truncate rounded-sm font-medium text-indigo-600 hover:text-indigo-500 ${focusRing}`}
    >
      {children}
    </Link>
  );
}

/** The record page's shape while it loads: the same cards, in the same places. */
export function RecordSkeleton({ fields = 8 }: { fields?: number }) {
  return (
    <RecordFrame>
      <div role="status">
        <span className="sr-only">Loading…</span>
        <Skeleton className="mb-3 h-5 w-48" />
        <div className="rounded-2xl border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
          <div className="flex items-start gap-3 sm:gap-4">
            <Skeleton className="size-12 shrink-0 rounded-full sm:size-14" />
            <div className="flex-1 space-y-2 pt-1">
              <Skeleton className="h-7 w-56 max-w-full" />
              <Skeleton className="h-4 w-40" />
            </div>
          </div>
          <div className="mt-4 grid gap-x-8 border-t border-slate-100 pt-3 md:grid-cols-2">
            {Array.from({ length: fields }, (_, i) => (
              <div key={i} className={FIELD_ROW}>
                <Skeleton className="mt-1.5 h-4 w-20" />
                <Skeleton className="mt-1.5 h-5 w-40 max-w-full" />
              </div>
            ))}
          </div>
        </div>
        <div className="mt-6 grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
          <div className="lg:col-start-2 lg:row-start-1">
            <Skeleton className="h-48 w-full rounded-2xl" />
          </div>
          <div className="space-y-4 lg:col-start-1 lg:row-start-1">
            <Skeleton className="h-44 w-full rounded-xl" />
            <Skeleton className="h-24 w-full rounded-xl" />
            <Skeleton className="h-24 w-full rounded-xl" />
          </div>
        </div>
      </div>
    </RecordFrame>
  );
}

const RECORD_ICON = {
  company:
    "M4 16.5v-13h-.25a.75.75 0 0 1 0-1.5h12.5a.75.75 0 0 1 0 1.5H16v13h.25a.75.75 0 0 1 0 1.5h-3.5a.75.75 0 0 1-.75-.75v-2.5a.75.75 0 0 0-.75-.75h-2.5a.75.75 0 0 0-.75.75v2.5a.75.75 0 0 1-.75.75h-3.5a.75.75 0 0 1 0-1.5H4Zm3-11a.5.5 0 0 1 .5-.5h1a.5.5 0 0 1 .5.5v1a.5.5 0 0 1-.5.5h-1a.5.5 0 0 1-.5-.5v-1ZM7.5 9a.5.5 0 0 0-.5.5v1a.5.5 0 0 0 .5.5h1a.5.5 0 0 0 .5-.5v-1a.5.5 0 0 0-.5-.5h-1ZM11 5.5a.5.5 0 0 1 .5-.5h1a.5.5 0 0 1 .5.5v1a.5.5 0 0 1-.5.5h-1a.5.5 0 0 1-.5-.5v-1Zm.5 3.5a.5.5 0 0 0-.5.5v1a.5.5 0 0 0 .5.5h1a.5.5 0 0 0 .5-.5v-1a.5.5 0 0 0-.5-.5h-1Z",
  deal: "M10.75 10.82V14a2.5 2.5 0 0 0 1.06-.46c.38-.3.44-.57.44-.7 0-.12-.06-.39-.44-.69a2.5 2.5 0 0 0-1.06-.45v-.88ZM8.19 8.86c.23.18.52.33.81.42V6.7a2.4 2.4 0 0 0-.81.43c-.39.3-.44.57-.44.7 0 .12.05.39.44.7ZM10 18a8 8 0 1 0 0-16 8 8 0 0 0 0 16Zm.75-13.25a.75.75 0 0 0-1.5 0v.44c-.64.1-1.24.35-1.72.72-.6.48-1.03 1.16-1.03 1.97s.43 1.5 1.03 1.97c.48.37 1.08.62 1.72.72v2.37c-.34-.1-.63-.27-.83-.46l-.51-.57a.75.75 0 1 0-1.12 1l.5.57c.52.55 1.23.92 1.96 1.02v.5a.75.75 0 0 0 1.5 0v-.45c.64-.1 1.24-.35 1.72-.72.6-.48 1.03-1.16 1.03-1.97s-.43-1.5-1.03-1.97a3.6 3.6 0 0 0-1.72-.72V6.71c.28.08.52.2.7.37l.45.46a.75.75 0 1 0 1.1-1.04l-.46-.48a3.7 3.7 0 0 0-1.79-.96v-.31Z",
} as const;

/** The round avatar's counterpart for companies and deals. */
export function RecordIcon({ kind }: { kind: keyof typeof RECORD_ICON }) {
  return (
    <span
      aria-hidden="true"
      className={`flex size-12 shrink-0 items-center justify-center rounded-xl sm:size-14 ${kind === "company" ? "bg-sky-100 text-sky-700" : "bg-emerald-100 text-emerald-700"}`}
    >
      <svg className="size-6 sm:size-7" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
        <path fillRule="evenodd" clipRule="evenodd" d={RECORD_ICON[kind]} />
      </svg>
    </span>
  );
}
