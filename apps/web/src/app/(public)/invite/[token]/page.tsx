import type { Metadata } from "next";
import { AuthCard } from "~/components/auth-shell";
import { DateTime } from "~/components/date-time";
import { ROLE_LABELS } from "~/components/role-badge";
import { TextLink } from "~/components/text-link";
import { getQueryClient, getServerTRPC, getSession } from "~/trpc/server";
import { AcceptInvite } from "./accept-invite";

export const metadata: Metadata = { title: "Join an organization", referrer: "no-referrer" };

export default async function InvitePage({ params }: PageProps<"/invite/[token]">) {
  const { token } = await params;
  const trpc = await getServerTRPC();
  const [invite, session] = await Promise.all([
    getQueryClient()
      .fetchQuery(trpc.auth.invites.inspect.queryOptions({ token }))
      .catch(() => null),
    getSession(),
  ]);

  if (!invite) {
    return (
      <AuthCard
        title="This invite can’t be used"
        description="This invite link is not valid: it was used, revoked or has expired."
      >
        <p className="mt-4 text-sm text-slate-600">
          Ask the person who invited you for a new link. Already a member? <TextLink href="/login">Sign in</TextLink>
        </p>
      </AuthCard>
    );
  }
  const role = ROLE_LABELS[invite.role].toLowerCase();
  return (
    <AuthCard
      title={`Join ${invite.organization.name}`}
      description={
        <>
          You’re invited to join as {role === "admin" ? "an" : "a"} {role}. The invite expires{" "}
          <DateTime value={invite.expiresAt} />.
        </>
      }
    >
      <AcceptInvite
        token={token}
        invitedEmail={invite.email}
        signedInAs={session ? { name: session.user.name, email: session.user.email } : null}
      />
    </AuthCard>
  );
}
