import type { Metadata } from "next";
import { getQueryClient, getServerTRPC, HydrateClient, requireSession } from "~/trpc/server";
import { isImportKind } from "./import-client";
import { ImportView } from "./import-view";
import { RECENT_IMPORTS_INPUT } from "./kinds";

export const metadata: Metadata = { title: "Import" };

export default async function ImportPage({ searchParams }: PageProps<"/import">) {
  await requireSession();
  const { kind: requested } = await searchParams;
  const kind = isImportKind(requested) ? requested : "contacts";
  const trpc = await getServerTRPC();
  const queryClient = getQueryClient();
  // The role decides whether the page offers the wizard at all; only then are its queries allowed.
  const current = await queryClient.fetchQuery(trpc.auth.organizations.current.queryOptions());
  if (current.permissions.includes("import.run")) {
    await Promise.all([
      queryClient.prefetchQuery(trpc.crm.imports.fields.queryOptions({ kind })),
      queryClient.prefetchQuery(trpc.crm.imports.list.queryOptions(RECENT_IMPORTS_INPUT)),
    ]);
  }
  return (
    <HydrateClient>
      <ImportView key={kind} kind={kind} />
    </HydrateClient>
  );
}
