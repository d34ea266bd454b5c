import type { Metadata } from "next";
import Link from "next/link";
import { focusRing } from "~/components/button";
import { RegisterForm } from "./register-form";

export const metadata: Metadata = { title: "Create your account" };

export default function RegisterPage() {
  return (
    <>
      <div className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
        <h1 className="text-xl font-semibold text-slate-900">Create your account</h1>
        <p className="mt-1 text-sm text-slate-600">Set up a workspace for your team in under a minute.</p>
        <RegisterForm />
      </div>
      <p className="mt-6 text-center text-sm text-slate-600">
        Already have an account?{" "}
        <Link href="/login" className={`rounded-sm font-medium text-indigo-600 hover:text-indigo-500 ${focusRing}`}>
          Sign in
        </Link>
      </p>
    </>
  );
}
