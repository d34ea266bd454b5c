import { ContactsSkeleton, PageHeading } from "./contacts-layout";

export default function Loading() {
  return (
    <main className="mx-auto max-w-6xl px-4 py-6 sm:px-6 sm:py-8">
      <PageHeading action={<span className="h-10 w-36 animate-pulse rounded-lg bg-slate-200" />} />
      <div className="mt-6 h-10 w-full animate-pulse rounded-lg bg-slate-200/70" />
      <ContactsSkeleton />
    </main>
  );
}
