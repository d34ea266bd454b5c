/**
 * What a CSV column can map to for each kind of record, how headers are recognised, and how one
 * row's cells become validated values. Validation reuses the create schemas the forms use, so an
 * imported record obeys exactly the rules of one typed in by hand. Besides the record's own fields a
 * column may hold its tags or one of the organization's custom fields (`customFields.<key>`).
 */
import type { EntityType } from "@nexo/db";
import type { z } from "zod";
import { createCompanyInput } from "./companies.schemas";
import {
  type CustomFieldValue,
  type CustomFieldValues,
  checkValue,
  type LabelledDefinition,
} from "./customFields.queries";
import { dealFields } from "./deals.schemas";
import { createContactInput } from "./schemas";

export const importKinds = ["contacts", "companies", "deals"] as const;
export type ImportKind = (typeof importKinds)[number];

export const entityTypeOf = { contacts: "contact", companies: "company", deals: "deal" } as const satisfies Record<
  ImportKind,
  EntityType
>;

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
    tags: ["tags", "tag", "labels"],
  },
  companies: {
    name: ["name", "company", "companyname", "organization", "organisation", "account"],
    domain: ["domain", "website", "url", "web", "site"],
    industry: ["industry", "sector"],
    size: ["size", "companysize", "employees"],
    address: ["address", "location", "streetaddress"],
    phone: ["phone", "phonenumber", "telephone", "tel"],
    tags: ["tags", "tag", "labels"],
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
    tags: ["tags", "tag", "labels"],
  },
} as const satisfies Record<ImportKind, Record<string, readonly string[]>>;

export type ImportField<K extends ImportKind> = keyof (typeof importFields)[K] & string;

/** How the import wizard names and explains each field. */
const fieldInfo: Record<string, { label: string; hint?: string }> = {
  firstName: { label: "First name" },
  lastName: { label: "Last name" },
  email: { label: "Email", hint: "Contacts with the same email are duplicates." },
  phone: { label: "Phone" },
  jobTitle: { label: "Job title" },
  notes: { label: "Notes" },
  lifecycleStage: { label: "Lifecycle stage", hint: "lead, prospect, customer or churned" },
  company: { label: "Company", hint: "The name or domain of an existing company." },
  name: { label: "Name" },
  domain: { label: "Domain", hint: "Companies with the same domain are duplicates." },
  industry: { label: "Industry" },
  size: { label: "Size" },
  address: { label: "Address" },
  title: { label: "Title" },
  amount: { label: "Amount", hint: "In major units, e.g. 1200.50." },
  currency: { label: "Currency", hint: "A code like EUR; EUR when empty." },
  pipeline: { label: "Pipeline", hint: "A pipeline's name; the first pipeline when empty." },
  stage: { label: "Stage", hint: "A stage's name; the pipeline's first stage when empty." },
  expectedCloseDate: { label: "Expected close date", hint: "A date like 2025-12-31." },
  contactEmail: { label: "Contact email", hint: "The email of an existing contact." },
  tags: { label: "Tags", hint: "Names separated by ; or ,." },
};

const customFieldHints: Record<LabelledDefinition["type"], string> = {
  text: "Text.",
  number: "A number like 1234.5.",
  date: "A date like 2025-12-31.",
  select: "One of:",
  multi_select: "Any of, separated by ;:",
  checkbox: "yes or no (also true/false, 1/0).",
  url: "A link starting with https://.",
};

export const CUSTOM_FIELD_PREFIX = "customFields.";

/** A column's possible destination, as the import wizard lists them. */
export interface ImportTarget {
  /** What a mapping names: `firstName`, `tags`, `customFields.renewal_date`. */
  name: string;
  label: string;
  required: boolean;
  hint: string | null;
  /** Set for custom fields. */
  customField: { key: string; type: LabelledDefinition["type"]; options: string[] | null } | null;
}

export function importTargets(
  kind: ImportKind,
  customFields: readonly LabelledDefinition[],
  options: { canCreateTags: boolean },
): ImportTarget[] {
  const required = requiredFields(kind);
  const tagsHint = options.canCreateTags
    ? "Tags you don’t have yet are created."
    : "Existing tags only: an owner or admin creates new ones.";
  const own = Object.keys(importFields[kind]).map(
    (name): ImportTarget => ({
      name,
      label: fieldInfo[name]?.label ?? name,
      required: required.includes(name),
      hint: name === "tags" ? `${fieldInfo.tags?.hint} ${tagsHint}` : (fieldInfo[name]?.hint ?? null),
      customField: null,
    }),
  );
  const custom = customFields.map(
    (f): ImportTarget => ({
      name: `${CUSTOM_FIELD_PREFIX}${f.key}`,
      label: f.label,
      required: false,
      hint:
        f.type === "select" || f.type === "multi_select"
          ? `${customFieldHints[f.type]} ${(f.options ?? []).join(", ")}`
          : customFieldHints[f.type],
      customField: { key: f.key, type: f.type, options: f.options },
    }),
  );
  return [...own, ...custom];
}

/** `First Name`, `first_name`, `FIRST-NAME` → `firstname`. */
export function normalizeHeader(header: string): string {
  return header.toLowerCase().replace(/[\s_.\-()]+/g, "");
}

/**
 * For each column, the field it fills (or null: ignored). `overrides` (header → field or null)
 * win over the guesses; a field is filled by at most one column, the first that claims it. A header
 * is guessed as, in order: a field's own name, a custom field's key or label, a field's usual
 * spellings (so a custom field labelled "Title" wins over the job title's alias).
 */
export function mapHeaders(
  kind: ImportKind,
  headers: readonly string[],
  overrides: Record<string, string | null> = {},
  customFields: readonly LabelledDefinition[] = [],
): { mapping: (string | null)[]; problems: string[] } {
  const fields = importFields[kind] as Record<string, readonly string[]>;
  const custom = customFields.map((f) => ({
    name: `${CUSTOM_FIELD_PREFIX}${f.key}`,
    spellings: [normalizeHeader(`${CUSTOM_FIELD_PREFIX}${f.key}`), normalizeHeader(f.key), normalizeHeader(f.label)],
  }));
  const targets = new Set([...Object.keys(fields), ...custom.map((c) => c.name)]);
  const problems: string[] = [];
  for (const [header, field] of Object.entries(overrides)) {
    if (!headers.includes(header)) problems.push(`The mapping names a column "${header}" the file does not have.`);
    if (field !== null && !targets.has(field)) {
      problems.push(`"${field}" is not a ${kind} field; use one of: ${[...targets].join(", ")}.`);
    }
  }
  const guess = (header: string) => {
    const n = normalizeHeader(header);
    return (
      Object.keys(fields).find((f) => normalizeHeader(f) === n) ??
      custom.find((c) => c.spellings.includes(n))?.name ??
      Object.keys(fields).find((f) => fields[f]?.includes(n))
    );
  };
  const taken = new Set<string>();
  const mapping = headers.map((header) => {
    const wanted = header in overrides ? overrides[header] : guess(header);
    if (!wanted || taken.has(wanted)) return null;
    taken.add(wanted);
    return wanted;
  });
  return { mapping, problems };
}

/** Every normalized header the importer recognises for a kind's own fields (exports avoid them). */
export function ownSpellings(kind: ImportKind): Set<string> {
  const fields = importFields[kind] as Record<string, readonly string[]>;
  return new Set(Object.entries(fields).flatMap(([name, aliases]) => [normalizeHeader(name), ...aliases]));
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

/** One problem with a row: the field it concerns (null: the row as a whole) and what is wrong. */
export interface RowIssue {
  field: string | null;
  message: string;
}

/** A row's tags (null: the file does not set them) and the custom field values it gives, by key. */
export interface RowExtras {
  tags: string[] | null;
  customFields: CustomFieldValues;
}

/** `given`: the record fields the row has a value for (an update changes only those). */
export type RowResult<K extends ImportKind> =
  | { ok: true; value: RowValues[K]; given: string[]; extras: RowExtras }
  | { ok: false; message: string; issues: RowIssue[] };

function zodIssues(error: z.ZodError): RowIssue[] {
  return error.issues.map((i) => ({ field: i.path.length ? i.path.join(".") : null, message: i.message }));
}

export function issuesText(issues: readonly RowIssue[]): string {
  return issues.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join("; ");
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

/** A number as people and spreadsheets write it: `1234.5`, `-3`, `1,234.5`, `1 234`. */
export function parseNumber(text: string): number | null {
  let cleaned = text.replace(/[\s\u00a0_']/g, "");
  if (/^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(cleaned)) cleaned = cleaned.replaceAll(",", "");
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(cleaned)) return null;
  const value = Number(cleaned);
  return Number.isFinite(value) ? value : null;
}

const TRUE_WORDS = new Set(["yes", "true", "1", "y"]);
const FALSE_WORDS = new Set(["no", "false", "0", "n"]);

/**
 * A list in one cell: split on `;` when the cell has one (so names may hold commas), else on `,`.
 * Blank items are dropped, repeats (ignoring case) kept once.
 */
export function splitList(text: string, separators: "semicolon" | "semicolonOrComma"): string[] {
  const separator = separators === "semicolon" || text.includes(";") ? ";" : ",";
  const seen = new Set<string>();
  const out: string[] = [];
  for (const item of text.split(separator)) {
    const name = item.trim();
    if (name === "" || seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    out.push(name);
  }
  return out;
}

const MAX_TAGS = 50;
const MAX_TAG_LENGTH = 50;

function parseTags(text: string): { ok: true; value: string[] } | { ok: false; message: string } {
  const names = splitList(text, "semicolonOrComma");
  const long = names.find((n) => n.length > MAX_TAG_LENGTH);
  if (long)
    return { ok: false, message: `Tag names must be at most ${MAX_TAG_LENGTH} characters (“${long.slice(0, 20)}…”).` };
  if (names.length > MAX_TAGS) return { ok: false, message: `At most ${MAX_TAGS} tags per record.` };
  return { ok: true, value: names };
}

/** One custom field cell, read by the field's type and checked like a value typed into a form. */
export function parseCustomFieldCell(
  field: LabelledDefinition,
  text: string,
): { ok: true; value: CustomFieldValue | null } | { ok: false; message: string } {
  const trimmed = text.trim();
  const options = field.options ?? [];
  const option = (name: string) => options.find((o) => o.toLowerCase() === name.toLowerCase());
  switch (field.type) {
    case "number": {
      const value = parseNumber(trimmed);
      return value === null ? { ok: false, message: "Expected a number like 1234.5." } : checkValue(field, value);
    }
    case "checkbox": {
      const word = trimmed.toLowerCase();
      if (TRUE_WORDS.has(word)) return checkValue(field, true);
      if (FALSE_WORDS.has(word)) return checkValue(field, false);
      return { ok: false, message: "Use yes or no (or true/false, 1/0)." };
    }
    case "select": {
      const chosen = option(trimmed);
      return chosen ? checkValue(field, chosen) : { ok: false, message: `Choose one of: ${options.join(", ")}.` };
    }
    case "multi_select": {
      const names = splitList(trimmed, "semicolon");
      const unknown = names.filter((n) => !option(n));
      if (unknown.length > 0) {
        return { ok: false, message: `Not an option: ${unknown.join(", ")}. Choose from: ${options.join(", ")}.` };
      }
      return checkValue(
        field,
        names.map((n) => option(n) as string),
      );
    }
    case "text":
    case "url":
      if (trimmed.length > 2000) return { ok: false, message: "At most 2000 characters." };
      return checkValue(field, trimmed);
    case "date":
      return checkValue(field, trimmed);
  }
}

/**
 * Validates one row's mapped cells (by target name); empty cells count as not given. Every problem
 * of the row is reported, each with its field.
 */
export function validateRow<K extends ImportKind>(
  kind: K,
  cells: Record<string, string>,
  customFields: readonly LabelledDefinition[] = [],
): RowResult<K> {
  const given: Record<string, string> = {};
  const issues: RowIssue[] = [];
  const extras: RowExtras = { tags: null, customFields: {} };
  for (const name in cells) {
    const cell = cells[name] as string;
    if (cell.trim() === "") continue;
    if (name === "tags") {
      const tags = parseTags(cell);
      if (tags.ok) extras.tags = tags.value;
      else issues.push({ field: "tags", message: tags.message });
    } else if (name.startsWith(CUSTOM_FIELD_PREFIX)) {
      const key = name.slice(CUSTOM_FIELD_PREFIX.length);
      const field = customFields.find((f) => f.key === key);
      if (!field) continue;
      const parsed = parseCustomFieldCell(field, cell);
      if (!parsed.ok) issues.push({ field: name, message: parsed.message });
      else if (parsed.value !== null) extras.customFields[key] = parsed.value;
    } else {
      given[name] = cell;
    }
  }
  const text = (field: string) => given[field]?.trim() ?? null;
  const result = (value: unknown): RowResult<K> =>
    issues.length > 0
      ? { ok: false, message: issuesText(issues), issues }
      : { ok: true, value: value as RowValues[K], given: Object.keys(given), extras };

  if (kind === "contacts") {
    const parsed = contactRow.safeParse(given);
    if (!parsed.success) issues.unshift(...zodIssues(parsed.error));
    // The parsed object is zod's own copy: completed in place.
    return result(parsed.success ? Object.assign(parsed.data, { company: text("company") }) : null);
  }
  if (kind === "companies") {
    const parsed = companyRow.safeParse(given);
    if (!parsed.success) issues.unshift(...zodIssues(parsed.error));
    return result(parsed.data ?? null);
  }
  const ownIssues: RowIssue[] = [];
  const amountMinor = parseAmount(given.amount ?? "");
  if (amountMinor === null || amountMinor < 0) {
    ownIssues.push({ field: "amount", message: "Use a positive amount like 1200 or 1,200.50." });
  }
  const parsed = dealRow.safeParse(given);
  if (!parsed.success) ownIssues.push(...zodIssues(parsed.error));
  issues.unshift(...ownIssues);
  return result(
    parsed.success
      ? {
          ...parsed.data,
          amountMinor,
          pipeline: text("pipeline"),
          stage: text("stage"),
          company: text("company"),
          contactEmail: text("contactEmail")?.toLowerCase() ?? null,
        }
      : null,
  );
}
