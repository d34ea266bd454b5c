"use client";

import { Button } from "~/components/button";

export default function ErrorPage({ retry }: { error: unknown; retry: () => void }) {
  return (
    <main className="mx-auto flex min-h-dvh max-w-md flex-col items-center justify-center gap-4 px-6 text-center">
      <h1 className="text-xl font-semibold">Something went wrong</h1>
      <p className="text-sm text-slate-600">We couldn’t load this page. Please try again in a moment.</p>
      <Button onClick={retry}>Try again</Button>
    </main>
  );
}
