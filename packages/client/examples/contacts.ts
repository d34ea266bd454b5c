import { createNexoClient, isNexoClientError } from "@nexo/client";

/** Lists the first page of contacts and creates one. */
export async function listAndCreate(url: string, token: string) {
  const nexo = createNexoClient({ url, token });

  const page = await nexo.crm.contacts.list.query({ limit: 10 });
  for (const contact of page.items) console.log(`${contact.firstName} ${contact.lastName} <${contact.email ?? "-"}>`);

  try {
    const created = await nexo.crm.contacts.create.mutate({
      firstName: "Ada",
      lastName: "Lovelace",
      email: "ada@example.com",
    });
    console.log(`created ${created.id} at ${created.createdAt.toISOString()}`);
    return { listed: page.items, created };
  } catch (error) {
    // Typed errors: e.g. FORBIDDEN for a viewer's token, BAD_REQUEST with per-field issues.
    if (isNexoClientError(error)) console.error(error.data?.code, error.message);
    throw error;
  }
}

// Run directly: NEXO_URL=http://127.0.0.1:4000 NEXO_TOKEN=nexo_pat_… pnpm exec tsx examples/contacts.ts
if (import.meta.url === `file://${process.argv[1]}`) {
  const { NEXO_URL, NEXO_TOKEN } = process.env;
  if (!NEXO_URL || !NEXO_TOKEN) {
    console.error("Set NEXO_URL and NEXO_TOKEN.");
    process.exit(1);
  }
  await listAndCreate(NEXO_URL, NEXO_TOKEN);
}
