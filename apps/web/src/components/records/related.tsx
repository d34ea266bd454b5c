"use client";

import { useQuery } from "@tanstack/react-query";
import type { Route } from "next";
import Link from "next/link";
import { Avatar } from "~/components/avatar";
import { Badge } from "~/components/badge";
import { focusRing } from "~/components/button";
import { formatDate, formatMoney } from "~/lib/format";
import { useTRPC } from "~/trpc/react";

export interface DealSummary {
  id: string;
  title: string;
  amountMinor: number;
  currency: string;
  status: "open" | "won" | "lost";
  stageId: string;
  expectedCloseDate: string | null;
}

export interface ContactSummary {
  id: string;
  firstName: string;
  lastName: string;
  email: string | null;
  jobTitle: string | null;
}

export function contactName(contact: { firstName: string; lastName: string }): string {
  return `${contact.firstName} ${contact.lastName}`.trim();
}

/** Stage names by id, from the pipelines the page prefetched. */
export function useStageNames() {
  const trpc = useTRPC();
  const pipelines = useQuery(trpc.crm.pipelines.list.queryOptions());
  return new Map((pipelines.data ?? []).flatMap((p) => p.stages.map((s) => [s.id, s.name] as const)));
}

const rowClass = `-mx-2 flex items-center gap-3 rounded-lg px-2 py-2 hover:bg-slate-50 ${focusRing}`;

export function DealList({ deals, empty }: { deals: DealSummary[]; empty: string }) {
  const stages = useStageNames();
  if (deals.length === 0) return <p className="py-2 text-sm text-slate-500">{empty}</p>;
  return (
    <ul aria-label="Deals" className="divide-y divide-slate-100">
      {deals.map((deal) => (
        <li key={deal.id}>
          <Link href={`/deals/${deal.id}` as Route} className={rowClass}>
            <div className="min-w-0 flex-1">
              <p className="truncate text-sm font-medium text-slate-900">{deal.title}</p>
              <p className="truncate text-xs text-slate-500">
                {stages.get(deal.stageId) ?? "—"}
                {deal.expectedCloseDate ? ` · closes ${formatDate(deal.expectedCloseDate)}` : ""}
              </p>
            </div>
            <div className="flex shrink-0 flex-col items-end gap-1">
              <span className="text-sm font-medium text-slate-900 tabular-nums">
                {formatMoney(deal.amountMinor, deal.currency)}
              </span>
              {deal.status !== "open" ? (
                <Badge tone={deal.status === "won" ? "green" : "red"}>{deal.status === "won" ? "Won" : "Lost"}</Badge>
              ) : null}
            </div>
          </Link>
        </li>
      ))}
    </ul>
  );
}

export function ContactList({ contacts, empty }: { contacts: ContactSummary[]; empty: string }) {
  if (contacts.length === 0) return <p className="py-2 text-sm text-slate-500">{empty}</p>;
  return (
    <ul aria-label="Contacts" className="divide-y divide-slate-100">
      {contacts.map((contact) => {
        const name = contactName(contact);
        return (
          <li key={contact.id}>
            <Link href={`/contacts/${contact.id}` as Route} className={rowClass}>
              <Avatar name={name} className="size-8 text-xs" />
              <div className="min-w-0 flex-1">
                <p className="truncate text-sm font-medium text-slate-900">{name}</p>
                {contact.jobTitle || contact.email ? (
                  <p className="truncate text-xs text-slate-500">{contact.jobTitle ?? contact.email}</p>
                ) : null}
              </div>
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
