import { DashboardSkeleton } from "./dashboard-skeleton";

export default function Loading() {
  return (
    <div className="mx-auto max-w-7xl px-4 py-6 sm:px-6 sm:py-8">
      <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Dashboard</h1>
      <p className="mt-1 text-sm text-slate-600">Where your pipeline stands and what needs doing today.</p>
      <DashboardSkeleton />
    </div>
  );
}
