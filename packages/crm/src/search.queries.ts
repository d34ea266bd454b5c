import { companies, contacts, type Db, deals, preparedStatement, type SQL, sql } from "@nexo/db";
import { containsPattern, foldedTerm } from "./lists";
import { type Viewer, visibleCompanies, visibleContacts, visibleDeals } from "./visibility";

/**
 * pg_trgm's default word-similarity threshold (0.6) misses a single dropped letter in a short
 * word ("nortwind" → 0.58); this one still keeps unrelated words out.
 */
const WORD_SIMILARITY_THRESHOLD = 0.45;

/**
 * How many of the newest live records of a kind are read in id order per requested result,
 * testing the substring on each, before the trigram index is asked instead. A term found in at
 * least one record in a hundred fills its results from this window without touching the index
 * (for "anna" in 100k contacts: about 170 rows read instead of ranking 2,764 matches); a rarer one
 * costs the window plus an index lookup that returns few rows.
 */
export const RECENT_WINDOW_PER_RESULT = 100;

/**
 * Records matching only by similarity that are scored per kind: the best `limit` of the first
 * `FUZZY_POOL_FACTOR * limit` the trigram index returns (in table order). A typo of a common name
 * ("garcai") has thousands of near-equal matches, and a term whose trigrams are common but rarely
 * adjacent ("muller" against "müller") has thousands of candidates the index cannot tell from
 * matches; checking and scoring all of them is what made search slow. With fewer matches than the
 * pool (the usual typo), the result is exactly the best ones.
 */
export const FUZZY_POOL_FACTOR = 2;

interface Kind {
  /** Prefix of this kind's CTE names. */
  name: string;
  table: typeof contacts | typeof companies | typeof deals;
  /** Output fields (JSON key → column); `id` comes first and is always there. */
  fields: Record<string, SQL>;
  visible: SQL;
}

function kinds(viewer: Viewer): Kind[] {
  return [
    {
      name: "contacts",
      table: contacts,
      fields: {
        firstName: sql`${contacts.firstName}`,
        lastName: sql`${contacts.lastName}`,
        email: sql`${contacts.email}`,
        companyId: sql`${contacts.companyId}`,
      },
      visible: visibleContacts(viewer),
    },
    {
      name: "companies",
      table: companies,
      fields: { name: sql`${companies.name}`, domain: sql`${companies.domain}` },
      visible: visibleCompanies(viewer),
    },
    {
      name: "deals",
      table: deals,
      fields: {
        title: sql`${deals.title}`,
        amountMinor: sql`${deals.amountMinor}`,
        currency: sql`${deals.currency}`,
        status: sql`${deals.status}`,
        stageId: sql`${deals.stageId}`,
      },
      visible: visibleDeals(viewer),
    },
  ];
}

const ident = (name: string) => sql.raw(`"${name}"`);

/**
 * One kind's CTEs, ending in `<name>_hits` (at most `limit` rows with `tier` and `score`):
 *
 * 1. Substring matches, those where the term starts a word first ("ann" finds Anna before
 *    Hoffmann), newest first. The newest `RECENT_WINDOW_PER_RESULT * limit` live records are read
 *    in id order, keeping those containing the term (`_window`, read only as far as needed): the
 *    first `limit` where the term starts a word end the search (`_starts`, the exact answer); else
 *    the window's matches in that order (`_recent`). Only when the
 *    window holds fewer than `limit` substring matches does the trigram index find them all
 *    (`_all`), in the same order. So the result is exact except when the window has fewer than
 *    `limit` word-start matches but enough others: then an older word-start match is not looked for.
 * 2. Only when there are fewer than `limit` of those: records within the word-similarity
 *    threshold that do not contain the term, best similarity first (`_fuzzy`), from a bounded pool.
 *
 * The term reaches the scans through the materialized `p` CTE (an init plan), so the plan never
 * depends on the term: the planner cannot pick a plan that is fast for common terms and reads the
 * whole table for rare ones, and a prepared statement's generic plan is the same plan.
 */
function kindCtes(kind: Kind, limit: number): SQL {
  const { table } = kind;
  const n = (suffix: string) => sql.raw(`${kind.name}_${suffix}`);
  const names = ["id", ...Object.keys(kind.fields)];
  const cols = sql.join(
    names.map((name) => ident(name)),
    sql`, `,
  );
  const select = sql.join(
    [sql`${table.id} as id`, ...Object.entries(kind.fields).map(([name, column]) => sql`${column} as ${ident(name)}`)],
    sql`, `,
  );
  const live = sql`${kind.visible} and ${table.deletedAt} is null`;
  // Sizes are literals (validated integers), not parameters: with them known, a prepared
  // statement's generic plan costs the same as a custom one and is reused without planning.
  const lim = sql.raw(String(limit));
  const window = sql.raw(String(RECENT_WINDOW_PER_RESULT * limit));
  const pool = sql.raw(String(FUZZY_POOL_FACTOR * limit));
  const tierOf = sql`case when search_text ~ (select word_start from p) then 0 else 1 end`;
  return sql`
    ${n("window")} as (
      select ${cols}, search_text from (
        select ${select}, ${table.searchText} as search_text from ${table}
        where ${live} order by ${table.id} desc limit ${window}
      ) w
      where search_text like (select pat from p)
    ),
    ${n("starts")} as (
      select ${cols} from ${n("window")} where search_text ~ (select word_start from p) limit ${lim}
    ),
    ${n("recent")} as (
      select ${cols}, 0 as tier from ${n("starts")} where (select count(*) from ${n("starts")}) = ${lim}
      union all
      (select ${cols}, ${tierOf} as tier from ${n("window")}
        where (select count(*) from ${n("starts")}) < ${lim}
        order by tier, id desc limit ${lim})
    ),
    ${n("all")} as materialized (
      select ${select}, ${table.searchText} as search_text from ${table}
      where ${live} and ${table.searchText} like (select pat from p)
    ),
    ${n("sub")} as (
      select ${cols}, tier from ${n("recent")} where (select count(*) from ${n("recent")}) = ${lim}
      union all
      (select ${cols}, ${tierOf} as tier from ${n("all")}
        where (select count(*) from ${n("recent")}) < ${lim}
        order by tier, id desc limit ${lim})
    ),
    ${n("pool")} as materialized (
      select ${select}, ${table.searchText} as search_text from ${table}
      where ${live}
        and (select set_config('pg_trgm.word_similarity_threshold', ${sql.raw(`'${WORD_SIMILARITY_THRESHOLD}'`)}, true)) is not null
        and (select q from p) <% ${table.searchText}
        and ${table.searchText} not like (select pat from p)
    ),
    ${n("fuzzy")} as (
      select ${cols}, word_similarity((select q from p), search_text) as score
      from (select * from ${n("pool")} where (select count(*) from ${n("sub")}) < ${lim} limit ${pool}) f
      order by score desc, id desc
      limit ${lim}
    ),
    ${n("hits")} as (
      select * from (
        select ${cols}, tier, 1::real as score from ${n("sub")}
        union all
        select ${cols}, 2 as tier, score from ${n("fuzzy")}
      ) h
      order by tier, score desc, id desc
      limit ${lim}
    )`;
}

function kindJson(kind: Kind): SQL {
  const pairs = sql.join(
    ["id", ...Object.keys(kind.fields)].map((name) => sql`${sql.raw(`'${name}'`)}, ${ident(name)}`),
    sql`, `,
  );
  const hits = sql.raw(`${kind.name}_hits`);
  return sql`(select coalesce(json_agg(json_build_object(${pairs}) order by tier, score desc, id desc), '[]'::json) from ${hits}) as ${ident(kind.name)}`;
}

export interface ContactHit {
  id: string;
  firstName: string;
  lastName: string;
  email: string | null;
  companyId: string | null;
}
export interface CompanyHit {
  id: string;
  name: string;
  domain: string | null;
}
export interface DealHit {
  id: string;
  title: string;
  amountMinor: number;
  currency: string;
  status: (typeof deals.status.enumValues)[number];
  stageId: string;
}
export interface SearchHits {
  contacts: ContactHit[];
  companies: CompanyHit[];
  deals: DealHit[];
}

type SearchRow = { [K in keyof SearchHits]: SearchHits[K] };
type SearchValues = { q: string } & Pick<Viewer, "orgId" | "userId">;
/** One compiled statement per role (what it may see decides the statement) and result limit. */
const searchStatements = new Map<string, (db: Db, values: SearchValues) => Promise<SearchRow[]>>();

/**
 * One search across contacts, companies and deals, grouped by kind, in one statement (one round
 * trip, no transaction). Within a kind, records containing the term come first, newest first;
 * then records within the trigram word-similarity threshold (typo-tolerant), best match first.
 * Only records the viewer may see (record visibility "own" included), never trashed ones.
 */
export async function globalSearch(db: Db, viewer: Viewer, query: string, limit: number): Promise<SearchHits> {
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new RangeError(`Invalid search limit: ${limit}`);
  const key = `${viewer.role}:${limit}`;
  let statement = searchStatements.get(key);
  if (!statement) {
    statement = preparedStatement<keyof SearchValues, SearchRow>(["orgId", "userId", "q"], (v) =>
      globalSearchStatement({ orgId: v.orgId, userId: v.userId, role: viewer.role }, v.q, limit),
    );
    searchStatements.set(key, statement);
  }
  const [row] = await statement(db, { orgId: viewer.orgId, userId: viewer.userId, q: query });
  return { contacts: row?.contacts ?? [], companies: row?.companies ?? [], deals: row?.deals ?? [] };
}

/** The statement behind `globalSearch`: one row with a JSON array per kind. */
function globalSearchStatement(viewer: Viewer, term: string, limit: number): SQL {
  const all = kinds(viewer);
  // The threshold is a setting the `<%` operator (and its index scan) reads. `set_config(…, true)`
  // outside a transaction block lasts until the end of this statement; it runs as a one-time
  // filter in front of each similarity scan, so it is in place before that scan starts.
  //
  // `p` holds the term folded (lowercase, no accents), as a LIKE pattern, and as a regular
  // expression for it at the start of a word: `\m`, then the term with every character that is not a
  // letter, digit or underscore (`\W`) escaped (a backslash before one of those is literal). (No
  // `[:alnum:]`: pgbench, which replays this statement in `pnpm bench`, would take `:alnum` for one
  // of its variables.)
  return sql`with p as materialized (
      select q, ${containsPattern(sql`q`)} as pat,
        ${sql.raw(String.raw`'\m' || regexp_replace(q, '(\W)', '\\\1', 'g')`)} as word_start
      from (select ${foldedTerm(term)} as q) t
    ),
    ${sql.join(
      all.map((kind) => kindCtes(kind, limit)),
      sql`,`,
    )}
    select ${sql.join(all.map(kindJson), sql`, `)}`;
}
