import type { Metadata } from "next";
import { getQueryClient, getServerTRPC, HydrateClient } from "~/trpc/server";
import { OrganizationForm } from "./organization-form";

export const metadata: Metadata = { title: "Organization" };

export default async function OrganizationPage() {
  const trpc = await getServerTRPC();
  await getQueryClient().prefetchQuery(trpc.auth.organizations.current.queryOptions());
  return (
    <HydrateClient>
      <OrganizationForm />
    </HydrateClient>
  );
}
