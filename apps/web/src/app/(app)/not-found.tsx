import Link from "next/link";
import { buttonClass } from "~/components/button";

/** A record or page that does not exist (or belongs to another organization), inside the app's shell. */
export default function AppNotFound() {
  return (
    <div className="mx-auto flex min-h-[70dvh] max-w-md flex-col items-center justify-center gap-4 px-6 text-center">
      <p className="text-sm font-semibold text-indigo-600">404</p>
      <h1 className="text-xl font-semibold">Page not found</h1>
      <p className="text-sm text-slate-600">
        This record or page doesn’t exist, was deleted, or belongs to another organization.
      </p>
      <Link href="/dashboard" className={buttonClass()}>
        Go to the dashboard
      </Link>
    </div>
  );
}
