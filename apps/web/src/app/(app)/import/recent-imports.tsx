"use client";

import { useQuery } from "@tanstack/react-query";
import { Badge, type BadgeTone } from "~/components/badge";
import { DateTime } from "~/components/date-time";
import { Skeleton } from "~/components/skeleton";
import { formatDateTime, formatNumber } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { errorReportHref, type ImportJob } from "./import-client";
import { ENTITY_KIND, KINDS, RECENT_IMPORTS_INPUT } from "./kinds";

const STATUS: Record<ImportJob["status"], { label: string; tone: BadgeTone }> = {
  pending: { label: "Waiting", tone: "neutral" },
  running: { label: "Running", tone: "indigo" },
  completed: { label: "Completed", tone: "green" },
  failed: { label: "Stopped", tone: "amber" },
};

/** The organization's latest imports, with their outcome and error report. */
export function RecentImports() {
  const trpc = useTRPC();
  const imports = useQuery(trpc.crm.imports.list.queryOptions(RECENT_IMPORTS_INPUT));
  const items = imports.data?.items ?? [];
  return (
    <section aria-labelledby="recent-imports" className="mt-8">
      <h2 id="recent-imports" className="text-sm font-semibold text-slate-900">
        Recent imports
      </h2>
      {imports.isPending ? (
        <Skeleton className="mt-2 h-24 w-full" />
      ) : imports.isError ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          We couldn’t load the recent imports. {imports.error.message}
        </p>
      ) : items.length === 0 ? (
        <p className="mt-2 rounded-xl border border-dashed border-slate-300 px-4 py-6 text-center text-sm text-slate-500">
          No imports yet. Your imports and their error reports will be listed here.
        </p>
      ) : (
        <ul
          aria-label="Recent imports"
          className="mt-2 divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white"
        >
          {items.map((job) => (
            <li key={job.id} className="flex flex-wrap items-center gap-x-4 gap-y-1 px-4 py-3 text-sm">
              <span className="font-medium text-slate-900">{KINDS[ENTITY_KIND[job.entityType]].label}</span>
              <Badge tone={STATUS[job.status].tone}>{STATUS[job.status].label}</Badge>
              <span className="text-slate-600 tabular-nums">
                {formatNumber(job.inserted)} imported · {formatNumber(job.updated)} updated ·{" "}
                {formatNumber(job.skipped)} skipped · {formatNumber(job.failed)} failed
              </span>
              <span className="ml-auto flex items-center gap-4 text-xs text-slate-500">
                {job.failed > 0 ? (
                  <a
                    href={errorReportHref(job.id)}
                    download
                    className="font-medium text-indigo-600 hover:text-indigo-500"
                  >
                    Error report<span className="sr-only"> of the import of {formatDateTime(job.createdAt)}</span>
                  </a>
                ) : null}
                <DateTime value={job.createdAt} />
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
