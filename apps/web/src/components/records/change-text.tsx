import { lifecycleStages } from "@nexo/crm/schemas";
import type { ReactNode } from "react";
import { formatDate, formatMoney } from "~/lib/format";
import type { RouterOutputs } from "~/trpc/types";
import type { RecordType } from "./queries";

export type TimelinePage = RouterOutputs["crm"]["activities"]["timeline"];
export type TimelineItem = TimelinePage["items"][number];
export type Change = Extract<TimelineItem, { type: "change" }>["change"];

/** What the timeline needs to turn ids in a change into names. */
export interface NameBook {
  member: (userId: string | null) => string;
  stage: (stageId: string) => string | undefined;
  tag: (tagId: string) => string | undefined;
  customField: (key: string) => string | undefined;
  /** Companies and contacts named by the timeline's page. */
  record: (id: string) => string | undefined;
  /** A deal's currency, for its amount changes. */
  currency?: string;
}

const FIELD_LABELS: Record<string, string> = {
  firstName: "first name",
  lastName: "last name",
  email: "email",
  phone: "phone",
  jobTitle: "job title",
  notes: "notes",
  companyId: "company",
  ownerId: "owner",
  lifecycleStage: "lifecycle stage",
  socialLinks: "social links",
  name: "name",
  domain: "domain",
  industry: "industry",
  size: "size",
  address: "address",
  title: "title",
  amountMinor: "amount",
  currency: "currency",
  expectedCloseDate: "expected close date",
  stageId: "stage",
  status: "status",
  closeReason: "close reason",
  contactIds: "contacts",
  tags: "tags",
};

const RECORD_NOUN: Record<RecordType, string> = { contact: "contact", company: "company", deal: "deal" };
/** Long text changes are summarised, not quoted. */
const LONG_TEXT = new Set(["notes", "address", "socialLinks"]);

function shorten(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0);
}

function formatValue(field: string, value: unknown, names: NameBook): string {
  if (typeof value === "string") {
    switch (field) {
      case "ownerId":
        return names.member(value);
      case "stageId":
        return names.stage(value) ?? "a removed stage";
      case "companyId":
        return names.record(value) ?? "a company you can’t see";
      case "expectedCloseDate":
        return formatDate(value);
      case "lifecycleStage":
        return lifecycleLabel(value);
      case "status":
        return value === "open" ? "Open" : value === "won" ? "Won" : value === "lost" ? "Lost" : value;
      default:
        return shorten(value);
    }
  }
  if (typeof value === "number")
    return field === "amountMinor" ? formatMoney(value, names.currency ?? "EUR") : String(value);
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (Array.isArray(value)) return shorten(value.map(String).join(", "));
  return "—";
}

export function lifecycleLabel(stage: string): string {
  return (lifecycleStages as readonly string[]).includes(stage)
    ? stage.charAt(0).toUpperCase() + stage.slice(1)
    : stage;
}

function listOf(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

function Strong({ children }: { children: ReactNode }) {
  return <span className="font-medium text-slate-900">{children}</span>;
}

/** A set change (a deal's contacts, a record's tags): who was added and who removed. */
function describeSet(field: string, before: unknown, after: unknown, names: NameBook): ReactNode {
  const old = Array.isArray(before) ? before.map(String) : [];
  const now = Array.isArray(after) ? after.map(String) : [];
  const name = (id: string) =>
    field === "tags" ? (names.tag(id) ?? "a deleted tag") : (names.record(id) ?? "a contact you can’t see");
  const added = now.filter((id) => !old.includes(id)).map(name);
  const removed = old.filter((id) => !now.includes(id)).map(name);
  const noun = field === "tags" ? (added.length + removed.length === 1 ? "tag" : "tags") : "contacts";
  const parts: ReactNode[] = [];
  if (added.length) parts.push(<span key="a">added {<Strong>{listOf(added)}</Strong>}</span>);
  if (removed.length) {
    if (parts.length) parts.push(" and ");
    parts.push(<span key="r">removed {<Strong>{listOf(removed)}</Strong>}</span>);
  }
  if (!parts.length) return <>changed the {noun}</>;
  return (
    <>
      {parts} {field === "tags" ? `as ${noun}` : "as contacts"}
    </>
  );
}

/** "changed stage from Qualified → Proposal", "created this deal", … (the actor is added by the caller). */
export function describeChange(change: Change, entityType: RecordType, names: NameBook): ReactNode {
  const noun = RECORD_NOUN[entityType];
  const { field, oldValue, newValue } = change;
  switch (field) {
    case "created":
      return <>created this {noun}</>;
    case "deleted":
      return <>moved this {noun} to the trash</>;
    case "restored":
      return <>restored this {noun} from the trash</>;
    case "merged": {
      const duplicate = (newValue ?? {}) as { firstName?: string; lastName?: string; name?: string };
      const merged = duplicate.name ?? `${duplicate.firstName ?? ""} ${duplicate.lastName ?? ""}`.trim();
      return (
        <>
          merged {merged ? <Strong>{merged}</Strong> : `another ${noun}`} into this {noun}
        </>
      );
    }
    case "mergedInto":
      return <>merged this {noun} into another</>;
    case "contactIds":
    case "tags":
      return describeSet(field, oldValue, newValue, names);
  }
  const custom = field.startsWith("customFields.") ? field.slice("customFields.".length) : null;
  const label = custom ? (names.customField(custom) ?? custom) : (FIELD_LABELS[field] ?? field);
  if (LONG_TEXT.has(field)) {
    return isEmpty(newValue) ? (
      <>
        cleared the <Strong>{label}</Strong>
      </>
    ) : (
      <>
        edited the <Strong>{label}</Strong>
      </>
    );
  }
  if (isEmpty(newValue)) {
    return (
      <>
        cleared <Strong>{label}</Strong> (was {formatValue(field, oldValue, names)})
      </>
    );
  }
  if (isEmpty(oldValue)) {
    return (
      <>
        set <Strong>{label}</Strong> to <Strong>{formatValue(field, newValue, names)}</Strong>
      </>
    );
  }
  return (
    <>
      changed <Strong>{label}</Strong> from {formatValue(field, oldValue, names)} →{" "}
      <Strong>{formatValue(field, newValue, names)}</Strong>
    </>
  );
}
