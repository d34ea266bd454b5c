import type { Metadata } from "next";
import { getQueryClient, getServerTRPC, HydrateClient } from "~/trpc/server";
import { Section } from "../section";
import { auditListQuery, NO_FILTERS } from "./audit-query";
import { AuditView } from "./audit-view";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage() {
  const trpc = await getServerTRPC();
  const queryClient = getQueryClient();
  const current = await queryClient.fetchQuery(trpc.auth.organizations.current.queryOptions());
  if (!current.permissions.includes("audit.read")) {
    return (
      <Section title="Audit log">
        <p className="text-sm text-slate-600">Only owners and admins can read the audit log.</p>
      </Section>
    );
  }
  await Promise.all([
    queryClient.prefetchInfiniteQuery(auditListQuery(trpc, NO_FILTERS)),
    queryClient.prefetchQuery(trpc.auth.audit.events.queryOptions()),
    queryClient.prefetchQuery(trpc.auth.members.list.queryOptions()),
  ]);
  return (
    <HydrateClient>
      <AuditView />
    </HydrateClient>
  );
}
