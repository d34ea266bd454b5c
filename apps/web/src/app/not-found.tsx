import Link from "next/link";
import { buttonClass } from "~/components/button";

export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-dvh max-w-md flex-col items-center justify-center gap-4 px-6 text-center">
      <p className="text-sm font-semibold text-indigo-600">404</p>
      <h1 className="text-xl font-semibold">Page not found</h1>
      <p className="text-sm text-slate-600">The page you were looking for doesn’t exist or has moved.</p>
      <Link href="/dashboard" className={buttonClass()}>
        Go to the dashboard
      </Link>
    </main>
  );
}
