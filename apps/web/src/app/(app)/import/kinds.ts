import type { Route } from "next";
import type { ImportKind } from "./import-client";

interface KindInfo {
  label: string;
  singular: string;
  /** The field duplicates are recognised by; deals have none. */
  dedupeKey: string | null;
  /** The list the imported records land in. */
  listHref: Route;
}

export const KINDS: Record<ImportKind, KindInfo> = {
  contacts: { label: "Contacts", singular: "contact", dedupeKey: "email", listHref: "/contacts" },
  // The companies and deals lists are their own pages' routes.
  companies: { label: "Companies", singular: "company", dedupeKey: "domain", listHref: "/companies" as Route },
  deals: { label: "Deals", singular: "deal", dedupeKey: null, listHref: "/deals/list" as Route },
};

export const ENTITY_KIND: Record<"contact" | "company" | "deal", ImportKind> = {
  contact: "contacts",
  company: "companies",
  deal: "deals",
};

/** The recent imports the first step lists (prefetched by the page with this very input). */
export const RECENT_IMPORTS_INPUT = { limit: 8 };
