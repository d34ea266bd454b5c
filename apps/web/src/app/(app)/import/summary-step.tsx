"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useId } from "react";
import { Button, buttonClass, Spinner } from "~/components/button";
import { Skeleton } from "~/components/skeleton";
import { formatNumber } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { errorReportHref, type ImportKind } from "./import-client";
import { KINDS } from "./kinds";

interface SummaryStepProps {
  kind: ImportKind;
  jobId: string;
  /** Why the upload ended early, as the server or the browser said it. */
  error: string | null;
  onAgain: () => void;
}

export function SummaryStep({ kind, jobId, error, onAgain }: SummaryStepProps) {
  const titleId = useId();
  const trpc = useTRPC();
  // A stopped upload is marked failed by the server a moment after the connection closes.
  const job = useQuery({
    ...trpc.crm.imports.get.queryOptions({ id: jobId }),
    refetchInterval: (query) => (query.state.data?.status === "running" ? 1000 : false),
  });
  const data = job.data;
  const finished = data && data.status !== "running";
  const { label, listHref } = KINDS[kind];

  const outcome = !finished ? "running" : data.status === "completed" ? "completed" : "stopped";

  return (
    <section
      aria-labelledby={titleId}
      aria-busy={!finished}
      className="rounded-xl border border-slate-200 bg-white p-4 sm:p-6"
    >
      <div className="flex items-start gap-3">
        <span
          className={`flex size-9 shrink-0 items-center justify-center rounded-full ${
            outcome === "completed"
              ? "bg-emerald-50 text-emerald-600"
              : outcome === "stopped"
                ? "bg-amber-50 text-amber-600"
                : "bg-indigo-50 text-indigo-600"
          }`}
        >
          {outcome === "running" ? <Spinner className="size-4" /> : <OutcomeIcon completed={outcome === "completed"} />}
        </span>
        <div>
          <h2
            id={titleId}
            tabIndex={-1}
            data-step-title
            className="text-base font-semibold text-slate-900 focus:outline-none"
          >
            {outcome === "running"
              ? "Finishing the import…"
              : outcome === "completed"
                ? "Import complete"
                : "Import stopped"}
          </h2>
          <p className="mt-0.5 min-h-5 text-sm text-slate-600">
            {!finished
              ? ""
              : data.status === "completed"
                ? `All ${formatNumber(data.committedThroughRow)} rows of the file were processed.`
                : `${error ?? data.message ?? "The import did not finish."} ${
                    data.committedThroughRow > 0
                      ? `Rows 1–${formatNumber(data.committedThroughRow)} were processed and saved; the rest of the file was not imported.`
                      : "No rows were saved."
                  }`}
          </p>
        </div>
      </div>

      {!finished ? (
        <div className="mt-6 grid grid-cols-2 gap-3 sm:grid-cols-4">
          {["a", "b", "c", "d"].map((k) => (
            <Skeleton key={k} className="h-[78px] w-full" />
          ))}
        </div>
      ) : (
        <>
          <dl className="mt-6 grid grid-cols-2 gap-3 sm:grid-cols-4">
            <Stat label="Imported" value={data.inserted} tone="text-emerald-700" />
            <Stat label="Updated" value={data.updated} tone="text-indigo-700" />
            <Stat label="Skipped" value={data.skipped} tone="text-slate-700" />
            <Stat label="Failed" value={data.failed} tone={data.failed > 0 ? "text-red-700" : "text-slate-700"} />
          </dl>

          {data.failed > 0 ? (
            <div className="mt-4 flex flex-col gap-3 rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-800 sm:flex-row sm:items-center sm:justify-between">
              <p>
                {formatNumber(data.failed)} {data.failed === 1 ? "row was" : "rows were"} not imported. The error report
                lists each one with the reason, as it was in your file: fix them there and import that file.
              </p>
              <a href={errorReportHref(data.id)} download className={buttonClass("secondary", "sm")}>
                Download error report
              </a>
            </div>
          ) : null}

          <div className="mt-6 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            <Button variant="secondary" onClick={onAgain}>
              Import another file
            </Button>
            <Link href={listHref} className={buttonClass("primary")}>
              View {label.toLowerCase()}
            </Link>
          </div>
        </>
      )}
    </section>
  );
}

function Stat({ label, value, tone }: { label: string; value: number; tone: string }) {
  return (
    <div className="rounded-lg border border-slate-200 px-4 py-3">
      <dt className="text-xs font-medium text-slate-500">{label}</dt>
      <dd className={`mt-1 text-2xl font-semibold tabular-nums ${tone}`}>{formatNumber(value)}</dd>
    </div>
  );
}

function OutcomeIcon({ completed }: { completed: boolean }) {
  return (
    <svg className="size-5" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
      {completed ? (
        <path
          fillRule="evenodd"
          d="M10 18a8 8 0 1 0 0-16 8 8 0 0 0 0 16Zm3.86-9.86a.75.75 0 0 0-1.22-.88l-3.24 4.5-1.6-1.6a.75.75 0 1 0-1.06 1.06l2.22 2.22a.75.75 0 0 0 1.14-.09l3.76-5.21Z"
          clipRule="evenodd"
        />
      ) : (
        <path
          fillRule="evenodd"
          d="M8.49 2.5a1.75 1.75 0 0 1 3.02 0l6.25 10.83A1.75 1.75 0 0 1 16.25 16H3.75a1.75 1.75 0 0 1-1.51-2.67L8.49 2.5ZM10 6.5a.75.75 0 0 1 .75.75v3.5a.75.75 0 0 1-1.5 0v-3.5A.75.75 0 0 1 10 6.5Zm0 7.5a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z"
          clipRule="evenodd"
        />
      )}
    </svg>
  );
}
