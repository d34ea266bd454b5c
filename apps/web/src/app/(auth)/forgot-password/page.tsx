import type { Metadata } from "next";
import { TextLink } from "~/components/text-link";
import { ForgotPasswordForm } from "./forgot-password-form";

export const metadata: Metadata = { title: "Reset your password" };

export default function ForgotPasswordPage() {
  return (
    <>
      <ForgotPasswordForm />
      <p className="mt-6 text-center text-sm text-slate-600">
        Remembered it? <TextLink href="/login">Sign in</TextLink>
      </p>
    </>
  );
}
