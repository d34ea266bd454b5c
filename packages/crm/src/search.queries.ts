import { and, companies, contacts, type Db, deals, desc, ilike, isNull, or, sql } from "@nexo/db";
import type { DbOrTx } from "./history";
import { escapeLike } from "./lists";
import { type Viewer, visibleCompanies, visibleContacts, visibleDeals } from "./visibility";

/**
 * Substring or trigram word-similarity match (typo-tolerant), both served by the trigram GIN
 * index; substring matches rank first, then by similarity.
 */
function matcher(
  searchText: typeof contacts.searchText | typeof companies.searchText | typeof deals.searchText,
  q: string,
) {
  const substring = ilike(searchText, `%${escapeLike(q)}%`);
  return {
    where: or(substring, sql`${q} <% ${searchText}`),
    rank: [desc(sql`(${substring})`), desc(sql`word_similarity(${q}, ${searchText})`)],
  };
}

/**
 * pg_trgm's default word-similarity threshold (0.6) misses a single dropped letter in a short
 * word ("nortwind" → 0.58); this one still keeps unrelated words out.
 */
const WORD_SIMILARITY_THRESHOLD = 0.45;

/** One search across contacts, companies and deals, grouped by kind, best matches first. */
/** Only records the viewer may see (record visibility "own" included). */
export function globalSearch(db: Db, viewer: Viewer, query: string, limit: number) {
  // The threshold is a setting the `<%` operator (and so the index) reads; `set_config(…, true)`
  // scopes it to this transaction. The planner prices `<%` like any cheap operator, so for a
  // table whose matches it estimates at a tenth or more (companies, deals) it picks a sequential
  // scan that runs the trigram comparison on every row of the organization — ten times the work
  // of the trigram index's candidates. Sequential scans are off for these three statements only.
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('pg_trgm.word_similarity_threshold', ${String(WORD_SIMILARITY_THRESHOLD)}, true),
        set_config('enable_seqscan', 'off', true)`,
    );
    return searchAll(tx, viewer, query.toLowerCase(), limit);
  });
}

async function searchAll(db: DbOrTx, viewer: Viewer, q: string, limit: number) {
  const c = matcher(contacts.searchText, q);
  const co = matcher(companies.searchText, q);
  const d = matcher(deals.searchText, q);
  // One after the other: a transaction runs on one connection.
  const contactHits = await db
    .select({
      id: contacts.id,
      firstName: contacts.firstName,
      lastName: contacts.lastName,
      email: contacts.email,
      companyId: contacts.companyId,
    })
    .from(contacts)
    .where(and(visibleContacts(viewer), isNull(contacts.deletedAt), c.where))
    .orderBy(...c.rank, desc(contacts.id))
    .limit(limit);
  const companyHits = await db
    .select({ id: companies.id, name: companies.name, domain: companies.domain })
    .from(companies)
    .where(and(visibleCompanies(viewer), isNull(companies.deletedAt), co.where))
    .orderBy(...co.rank, desc(companies.id))
    .limit(limit);
  const dealHits = await db
    .select({
      id: deals.id,
      title: deals.title,
      amountMinor: deals.amountMinor,
      currency: deals.currency,
      status: deals.status,
      stageId: deals.stageId,
    })
    .from(deals)
    .where(and(visibleDeals(viewer), isNull(deals.deletedAt), d.where))
    .orderBy(...d.rank, desc(deals.id))
    .limit(limit);
  return { contacts: contactHits, companies: companyHits, deals: dealHits };
}
