"use client";

import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Button, Spinner } from "~/components/button";
import { ConfirmDialog } from "~/components/confirm-dialog";
import { formatNumber } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import type { ImportKind } from "./import-client";
import { KINDS } from "./kinds";

const POLL_MS = 1000;

interface RunStepProps {
  kind: ImportKind;
  uploadId: string;
  fileName: string;
  totalRows: number | null;
  onStop: () => void;
}

/**
 * The import while its upload runs: the job is found by the upload's id, then followed until the
 * upload answers (the parent moves on to the summary then).
 */
export function RunStep({ kind, uploadId, fileName, totalRows, onStop }: RunStepProps) {
  const titleId = useId();
  const trpc = useTRPC();
  const [confirming, setConfirming] = useState(false);
  const [stopping, setStopping] = useState(false);
  const found = useQuery({
    ...trpc.crm.imports.list.queryOptions({ uploadId, limit: 1 }),
    refetchInterval: (query) => (query.state.data?.items[0] ? false : POLL_MS),
  });
  const jobId = found.data?.items[0]?.id;
  const job = useQuery({
    ...trpc.crm.imports.get.queryOptions({ id: jobId ?? "" }),
    enabled: Boolean(jobId),
    refetchInterval: (query) => (query.state.data && query.state.data.status !== "running" ? false : POLL_MS),
  });
  const current = job.data ?? found.data?.items[0];
  const committed = current?.committedThroughRow ?? 0;
  const batchSize = current?.batchSize ?? 1000;
  const total = totalRows === null ? null : Math.max(totalRows, committed);
  const percent = total ? Math.min(100, Math.round((committed / total) * 100)) : null;
  const batchesDone = Math.ceil(committed / batchSize);
  const batchesTotal = total === null ? null : Math.max(1, Math.ceil(total / batchSize));

  return (
    <section aria-labelledby={titleId} className="rounded-xl border border-slate-200 bg-white p-4 sm:p-6">
      <div className="flex items-center gap-3">
        <Spinner className="size-5 text-indigo-600" />
        <h2
          id={titleId}
          tabIndex={-1}
          data-step-title
          className="text-base font-semibold text-slate-900 focus:outline-none"
        >
          Importing {KINDS[kind].label.toLowerCase()} from {fileName}…
        </h2>
      </div>

      <div className="mt-6">
        <div
          role="progressbar"
          aria-label="Rows imported"
          aria-valuemin={0}
          aria-valuemax={total ?? undefined}
          aria-valuenow={total === null ? undefined : committed}
          aria-valuetext={total === null ? `${committed} rows imported` : `${committed} of ${total} rows imported`}
          className="h-3 overflow-hidden rounded-full bg-slate-100"
        >
          <div
            className={`h-full rounded-full bg-indigo-600 transition-[width] duration-500 ${percent === null ? "w-1/3 animate-pulse" : ""}`}
            style={percent === null ? undefined : { width: `${Math.max(2, percent)}%` }}
          />
        </div>
        <div className="mt-2 flex flex-wrap justify-between gap-x-4 gap-y-1 text-sm text-slate-600" aria-live="polite">
          <p>
            <span className="font-medium text-slate-900 tabular-nums">{formatNumber(committed)}</span>
            {total === null ? " rows saved" : ` of ${formatNumber(total)} rows saved`}
            {percent === null ? "" : ` (${percent}%)`}
          </p>
          <p className="tabular-nums">
            {batchesTotal === null
              ? `${formatNumber(batchesDone)} batches committed`
              : `Batch ${formatNumber(batchesDone)} of ${formatNumber(batchesTotal)} committed`}
          </p>
        </div>
        {current ? (
          <p className="mt-1 text-xs text-slate-500 tabular-nums">
            So far: {formatNumber(current.inserted)} new, {formatNumber(current.updated)} updated,{" "}
            {formatNumber(current.skipped)} skipped, {formatNumber(current.failed)} with problems.
          </p>
        ) : null}
      </div>

      <div className="mt-6 rounded-lg border border-slate-200 bg-slate-50 p-4 text-sm text-slate-700">
        <p className="font-medium text-slate-900">Safe to stop</p>
        <p className="mt-1">
          Rows are saved in batches of {formatNumber(batchSize)}, each completely or not at all. If you stop the import
          or close this page, the batches saved so far stay imported, the rest of the file is not, and the summary says
          exactly how far it got.
        </p>
      </div>

      <div className="mt-6 flex justify-end">
        <Button variant="secondary" pending={stopping} onClick={() => setConfirming(true)}>
          Stop import
        </Button>
      </div>

      <ConfirmDialog
        open={confirming}
        title="Stop the import?"
        description={`The ${formatNumber(committed)} rows saved so far stay imported; the batch in progress and the rest of the file are not imported.`}
        confirmLabel="Stop import"
        pending={false}
        error={null}
        onClose={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          setStopping(true);
          onStop();
        }}
      />
    </section>
  );
}
