import type { Metadata } from "next";
import Link from "next/link";
import { focusRing } from "~/components/button";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };

export default function LoginPage() {
  return (
    <>
      <div className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
        <h1 className="text-xl font-semibold text-slate-900">Sign in</h1>
        <p className="mt-1 text-sm text-slate-600">Welcome back. Sign in to see your contacts.</p>
        <LoginForm />
      </div>
      <p className="mt-6 text-center text-sm text-slate-600">
        New to Nexo?{" "}
        <Link href="/register" className={`rounded-sm font-medium text-indigo-600 hover:text-indigo-500 ${focusRing}`}>
          Create an account
        </Link>
      </p>
    </>
  );
}
