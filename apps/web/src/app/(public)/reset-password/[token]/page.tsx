import type { Metadata } from "next";
import { AuthCard } from "~/components/auth-shell";
import { TextLink } from "~/components/text-link";
import { getQueryClient, getServerTRPC } from "~/trpc/server";
import { ResetPasswordForm } from "./reset-password-form";

export const metadata: Metadata = { title: "Choose a new password", referrer: "no-referrer" };

export default async function ResetPasswordPage({ params }: PageProps<"/reset-password/[token]">) {
  const { token } = await params;
  const trpc = await getServerTRPC();
  const link = await getQueryClient()
    .fetchQuery(trpc.auth.passwordReset.check.queryOptions({ token }))
    .catch(() => null);

  if (!link) {
    return (
      <AuthCard
        title="This link can’t be used"
        description="This reset link is not valid: it was used or has expired. Reset links work once, for 30 minutes."
      >
        <p className="mt-4 text-sm text-slate-600">
          <TextLink href="/forgot-password">Ask for a new link</TextLink> or ask an admin of your organization for one.
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title="Choose a new password"
      description={
        <>
          For <span className="font-medium text-slate-900">{link.email}</span>. You will be signed out everywhere.
        </>
      }
    >
      <ResetPasswordForm token={token} email={link.email} />
    </AuthCard>
  );
}
