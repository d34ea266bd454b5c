import type { Metadata } from "next";
import { Avatar } from "~/components/avatar";
import { RoleBadge } from "~/components/role-badge";
import { requireSession } from "~/trpc/server";
import { Section } from "../section";
import { ChangePasswordForm } from "./change-password-form";

export const metadata: Metadata = { title: "Profile" };

export default async function ProfilePage() {
  const { user, organization, role } = await requireSession();
  return (
    <div className="space-y-6">
      <Section title="Profile" description="How you appear to your team.">
        <div className="flex items-center gap-4">
          <Avatar name={user.name} className="size-12 text-base" />
          <dl className="min-w-0 text-sm">
            <dt className="sr-only">Name</dt>
            <dd className="truncate font-medium text-slate-900">{user.name}</dd>
            <dt className="sr-only">Email</dt>
            <dd className="truncate text-slate-600">{user.email}</dd>
            <dt className="sr-only">Role in {organization.name}</dt>
            <dd className="mt-1">
              <RoleBadge role={role} />
            </dd>
          </dl>
        </div>
      </Section>
      <Section
        title="Change password"
        description="Changing your password signs you out on every other device; this one stays signed in."
      >
        <ChangePasswordForm />
      </Section>
    </div>
  );
}
