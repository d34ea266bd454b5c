/** The size of the key figures and charts, so nothing moves when they arrive. */
export function DashboardSkeleton() {
  return (
    <div role="status">
      <div className="mt-6 grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4" aria-hidden="true">
        {Array.from({ length: 4 }, (_, i) => (
          <div key={i} className="h-[6.5rem] animate-pulse rounded-xl border border-slate-200 bg-white p-4">
            <span className="block h-3 w-24 rounded bg-slate-200" />
            <span className="mt-3 block h-6 w-32 rounded bg-slate-200" />
            <span className="mt-3 block h-3 w-28 rounded bg-slate-100" />
          </div>
        ))}
      </div>
      <div className="mt-6 grid grid-cols-1 gap-4 lg:grid-cols-2" aria-hidden="true">
        {Array.from({ length: 4 }, (_, i) => (
          <div key={i} className="h-[22.5rem] animate-pulse rounded-xl border border-slate-200 bg-white p-5">
            <span className="block h-4 w-40 rounded bg-slate-200" />
            <span className="mt-2 block h-3 w-64 rounded bg-slate-100" />
            <span className="mt-6 block h-64 rounded-lg bg-slate-100" />
          </div>
        ))}
      </div>
      <span className="sr-only">Loading the dashboard…</span>
    </div>
  );
}
