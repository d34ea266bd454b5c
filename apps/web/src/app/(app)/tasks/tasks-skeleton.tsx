import { Skeleton } from "~/components/skeleton";

/** The groups' shape while tasks load. */
export function TasksSkeleton() {
  return (
    <div role="status" className="mt-6 space-y-6">
      <span className="sr-only">Loading tasks…</span>
      {[3, 2].map((rows, group) => (
        <div key={group}>
          <Skeleton className="mb-2 h-5 w-24" />
          <div className="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white shadow-sm">
            {Array.from({ length: rows }, (_, i) => (
              <div key={i} className="flex items-start gap-3 px-4 py-3">
                <Skeleton className="size-5 rounded-full" />
                <div className="flex-1 space-y-1.5">
                  <Skeleton className="h-4 w-2/3" />
                  <Skeleton className="h-3 w-1/3" />
                </div>
                <Skeleton className="h-3 w-16" />
              </div>
            ))}
          </div>
        </div>
      ))}
    </div>
  );
}
