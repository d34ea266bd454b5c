/** A placeholder the size of the content it stands for, so nothing moves when the data arrives. */
export function Skeleton({ className = "h-4 w-32" }: { className?: string }) {
  return <span aria-hidden="true" className={`block animate-pulse rounded-md bg-slate-200/80 ${className}`} />;
}
