import { type ReactNode, useId } from "react";

interface SectionProps {
  title: string;
  description?: ReactNode;
  /** A button or two beside the title. */
  action?: ReactNode;
  children: ReactNode;
}

/** A white card with a heading, the building block of every settings page. */
export function Section({ title, description, action, children }: SectionProps) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="rounded-xl border border-slate-200 bg-white shadow-sm">
      <div className="flex flex-wrap items-start justify-between gap-3 border-b border-slate-100 px-4 py-4 sm:px-6">
        <div className="min-w-0">
          <h2 id={id} className="text-base font-semibold text-slate-900">
            {title}
          </h2>
          {description ? <p className="mt-1 text-sm text-slate-600">{description}</p> : null}
        </div>
        {action}
      </div>
      <div className="px-4 py-4 sm:px-6">{children}</div>
    </section>
  );
}

/** A query that failed: its message, in the place its content would be. */
export function LoadError({ message }: { message: string }) {
  return (
    <p role="alert" className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
      {message}
    </p>
  );
}

export function ListSkeleton({ rows = 3, label }: { rows?: number; label: string }) {
  return (
    <div role="status">
      <ul aria-hidden="true" className="divide-y divide-slate-100">
        {Array.from({ length: rows }, (_, index) => (
          <li key={index} className="flex animate-pulse items-center gap-3 py-3.5">
            <span className="size-9 shrink-0 rounded-full bg-slate-200" />
            <span className="flex-1 space-y-2">
              <span className="block h-3 w-1/3 rounded bg-slate-200" />
              <span className="block h-3 w-1/2 rounded bg-slate-100" />
            </span>
          </li>
        ))}
      </ul>
      <span className="sr-only">Loading {label}…</span>
    </div>
  );
}
