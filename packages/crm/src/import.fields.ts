/**
 * What a CSV column can map to for each kind of record, how headers are recognised, and how one
 * row's cells become validated values. Validation reuses the create schemas the forms use, so an
 * imported record obeys exactly the rules of one typed in by hand.
 */
import type { z } from "zod";
import { createCompanyInput } from "./companies.schemas";
import { dealFields } from "./deals.schemas";
import { createContactInput } from "./schemas";

export const importKinds = ["contacts", "companies", "deals"] as const;
export type ImportKind = (typeof importKinds)[number];

/** Target fields per kind, each with the header spellings it is recognised by (normalized). */
export const importFields = {
  contacts: {
    firstName: ["firstname", "first", "givenname", "forename", "name"],
    lastName: ["lastname", "last", "surname", "familyname"],
    email: ["email", "emailaddress", "mail", "e-mail"],
    phone: ["phone", "phonenumber", "telephone", "tel", "mobile"],
    jobTitle: ["jobtitle", "title", "position", "role"],
    notes: ["notes", "note", "comments", "description"],
    lifecycleStage: ["lifecyclestage", "lifecycle", "stage", "status"],
    company: ["company", "companyname", "organization", "organisation", "account"],
  },
  companies: {
    name: ["name", "company", "companyname", "organization", "organisation", "account"],
    domain: ["domain", "website", "url", "web", "site"],
    industry: ["industry", "sector"],
    size: ["size", "companysize", "employees"],
    address: ["address", "location", "streetaddress"],
    phone: ["phone", "phonenumber", "telephone", "tel"],
  },
  deals: {
    title: ["title", "name", "dealname", "deal"],
    amount: ["amount", "value", "dealvalue", "price"],
    currency: ["currency", "currencycode"],
    pipeline: ["pipeline", "pipelinename"],
    stage: ["stage", "dealstage", "stagename"],
    expectedCloseDate: ["expectedclosedate", "closedate", "expectedclose", "close"],
    company: ["company", "companyname", "account", "organization", "organisation"],
    contactEmail: ["contactemail", "contact", "email"],
  },
} as const satisfies Record<ImportKind, Record<string, readonly string[]>>;

export type ImportField<K extends ImportKind> = keyof (typeof importFields)[K] & string;

/** `First Name`, `first_name`, `FIRST-NAME` → `firstname`. */
function normalizeHeader(header: string): string {
  return header.toLowerCase().replace(/[\s_.\-()]+/g, "");
}

/**
 * For each column, the field it fills (or null: ignored). `overrides` (header → field or null)
 * win over the guesses; a field is filled by at most one column, the first that claims it.
 */
export function mapHeaders(
  kind: ImportKind,
  headers: readonly string[],
  overrides: Record<string, string | null> = {},
): { mapping: (string | null)[]; problems: string[] } {
  const fields = importFields[kind] as Record<string, readonly string[]>;
  const problems: string[] = [];
  for (const [header, field] of Object.entries(overrides)) {
    if (!headers.includes(header)) problems.push(`The mapping names a column "${header}" the file does not have.`);
    if (field !== null && !(field in fields)) {
      problems.push(`"${field}" is not a ${kind} field; use one of: ${Object.keys(fields).join(", ")}.`);
    }
  }
  const taken = new Set<string>();
  const mapping = headers.map((header) => {
    const wanted =
      header in overrides
        ? overrides[header]
        : (Object.keys(fields).find((f) => normalizeHeader(f) === normalizeHeader(header)) ??
          Object.keys(fields).find((f) => fields[f]?.includes(normalizeHeader(header))));
    if (!wanted || taken.has(wanted)) return null;
    taken.add(wanted);
    return wanted;
  });
  return { mapping, problems };
}

export function requiredFields(kind: ImportKind): string[] {
  return { contacts: ["firstName"], companies: ["name"], deals: ["title"] }[kind];
}

const contactRow = createContactInput.omit({ companyId: true, socialLinks: true, customFields: true });
const companyRow = createCompanyInput.omit({ ownerId: true, customFields: true });
const dealRow = dealFields
  .omit({ ownerId: true, companyId: true, contactIds: true, amountMinor: true, customFields: true })
  .extend({
    currency: dealFields.shape.currency.default("EUR"),
    expectedCloseDate: dealFields.shape.expectedCloseDate,
  });

export type ContactRow = z.output<typeof contactRow> & { company: string | null };
export type CompanyRow = z.output<typeof companyRow>;
export type DealRow = z.output<typeof dealRow> & {
  amountMinor: number;
  pipeline: string | null;
  stage: string | null;
  company: string | null;
  contactEmail: string | null;
};
export type RowValues = { contacts: ContactRow; companies: CompanyRow; deals: DealRow };

/** `given`: the fields the row has a value for (an update changes only those). */
export type RowResult<K extends ImportKind> =
  | { ok: true; value: RowValues[K]; given: string[] }
  | { ok: false; message: string };

function issuesText(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
}

/** `1,234.50` or `1234,5` (major units) → 123450 minor units; null when not a plain amount. */
export function parseAmount(text: string): number | null {
  if (text.trim() !== "" && !/\d/.test(text)) return null;
  const cleaned = text.replace(/[\s'\u00a0]/g, "").replace(/^[^\d-]+|[^\d]+$/g, "");
  if (cleaned === "") return 0;
  // The last separator followed by one or two digits is the decimal mark; the others group digits.
  const match = /^(-?[\d.,]*?)(?:[.,](\d{1,2}))?$/.exec(cleaned);
  if (!match) return null;
  const whole = (match[1] ?? "").replace(/[.,]/g, "");
  if (!/^-?\d*$/.test(whole)) return null;
  const cents = (match[2] ?? "").padEnd(2, "0");
  const value = Number(whole || "0") * 100 + Number(cents) * (whole.startsWith("-") ? -1 : 1);
  return Number.isSafeInteger(value) ? value : null;
}

/** Validates one row's mapped cells; empty cells count as not given. */
export function validateRow<K extends ImportKind>(kind: K, cells: Record<string, string>): RowResult<K> {
  const given = Object.fromEntries(Object.entries(cells).filter(([, v]) => v.trim() !== ""));
  const text = (field: string) => given[field]?.trim() ?? null;
  if (kind === "contacts") {
    const parsed = contactRow.safeParse(given);
    if (!parsed.success) return { ok: false, message: issuesText(parsed.error) };
    return { ok: true, value: { ...parsed.data, company: text("company") } as RowValues[K], given: Object.keys(given) };
  }
  if (kind === "companies") {
    const parsed = companyRow.safeParse(given);
    if (!parsed.success) return { ok: false, message: issuesText(parsed.error) };
    return { ok: true, value: parsed.data as RowValues[K], given: Object.keys(given) };
  }
  const amountMinor = parseAmount(given.amount ?? "");
  if (amountMinor === null || amountMinor < 0) {
    return { ok: false, message: "amount: Use a positive amount like 1200 or 1,200.50." };
  }
  const parsed = dealRow.safeParse(given);
  if (!parsed.success) return { ok: false, message: issuesText(parsed.error) };
  return {
    ok: true,
    value: {
      ...parsed.data,
      amountMinor,
      pipeline: text("pipeline"),
      stage: text("stage"),
      company: text("company"),
      contactEmail: text("contactEmail")?.toLowerCase() ?? null,
    } as RowValues[K],
    given: Object.keys(given),
  };
}
