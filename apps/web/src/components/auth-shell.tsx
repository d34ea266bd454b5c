import type { ReactNode } from "react";
import { BrandMark } from "./brand";

/** The centred card layout of the pages people see before they are signed in. */
export function AuthShell({ children }: { children: ReactNode }) {
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

export function AuthCard({
  title,
  description,
  children,
}: {
  title: string;
  description?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <div className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
      <h1 className="text-xl font-semibold text-slate-900">{title}</h1>
      {description ? <p className="mt-1 text-sm text-slate-600">{description}</p> : null}
      {children}
    </div>
  );
}
