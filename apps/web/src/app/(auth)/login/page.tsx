import type { Metadata } from "next";
import { AuthCard } from "~/components/auth-shell";
import { TextLink } from "~/components/text-link";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: PageProps<"/login">) {
  const { reset } = await searchParams;
  return (
    <>
      {reset === "1" ? (
        <p
          role="status"
          className="mb-4 rounded-lg border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800"
        >
          Your password was changed. Sign in with the new one.
        </p>
      ) : null}
      <AuthCard title="Sign in" description="Welcome back. Sign in to see your contacts.">
        <LoginForm />
        <p className="mt-4 text-center text-sm">
          <TextLink href="/forgot-password">Forgot password?</TextLink>
        </p>
      </AuthCard>
      <p className="mt-6 text-center text-sm text-slate-600">
        New to Nexo? <TextLink href="/register">Create an account</TextLink>
      </p>
    </>
  );
}
