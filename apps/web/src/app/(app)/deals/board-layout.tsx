import type { Route } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { focusRing } from "~/components/button";
import { Skeleton } from "~/components/skeleton";

export function BoardHeading({ actions }: { actions?: ReactNode }) {
  return (
    <div className="flex flex-wrap items-start justify-between gap-4">
      <div className="min-w-0">
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Deals</h1>
        <p className="mt-1 text-sm text-slate-600">Drag deals through your pipeline as they move forward.</p>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <ViewToggle />
        {actions}
      </div>
    </div>
  );
}

/** Board | List: two views of the same deals. */
function ViewToggle() {
  const item = `inline-flex h-8 items-center rounded-md px-3 text-sm font-medium ${focusRing}`;
  return (
    <nav aria-label="Deal views" className="inline-flex rounded-lg border border-slate-200 bg-slate-50 p-0.5">
      <Link href="/deals" aria-current="page" className={`${item} bg-white text-slate-900 shadow-sm`}>
        Board
      </Link>
      {/* The list view is its own route (deals/list). */}
      <Link href={"/deals/list" as Route} className={`${item} text-slate-600 hover:text-slate-900`}>
        List
      </Link>
    </nav>
  );
}

/** Column width on every screen: a phone shows most of one column and the edge of the next. */
export const COLUMN_WIDTH = "w-[82vw] max-w-72 sm:w-72";

export function BoardSkeleton({ columns = 5 }: { columns?: number }) {
  return (
    <div role="status" className="mt-4 flex gap-3 overflow-hidden pb-4">
      {Array.from({ length: columns }, (_, column) => (
        <div
          key={column}
          aria-hidden="true"
          className={`${COLUMN_WIDTH} shrink-0 rounded-xl border border-slate-200 bg-slate-50 p-2`}
        >
          <div className="h-[4.25rem] space-y-2 px-1.5 pt-1.5">
            <Skeleton className="h-4 w-24" />
            <Skeleton className="h-3 w-36" />
          </div>
          <div className="space-y-2">
            {Array.from({ length: 3 - (column % 3) }, (_, card) => (
              <div key={card} className="h-[6.5rem] rounded-lg border border-slate-200 bg-white p-3">
                <Skeleton className="h-4 w-3/4" />
                <Skeleton className="mt-2 h-3 w-1/2" />
                <Skeleton className="mt-5 h-4 w-1/3" />
              </div>
            ))}
          </div>
        </div>
      ))}
      <span className="sr-only">Loading the board…</span>
    </div>
  );
}
