import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { BrandMark } from "~/components/brand";
import { getSession } from "~/trpc/server";

export default async function AuthLayout({ children }: { children: ReactNode }) {
  if (await getSession()) redirect("/contacts");
  return (
    <div className="flex min-h-dvh flex-col items-center bg-gradient-to-b from-indigo-50 to-slate-50 px-4 py-12 sm:justify-center sm:py-16">
      <div className="mb-8 flex items-center gap-2.5">
        <BrandMark className="size-9" />
        <span className="text-xl font-semibold tracking-tight text-slate-900">Nexo CRM</span>
      </div>
      <main className="w-full max-w-sm">{children}</main>
    </div>
  );
}
