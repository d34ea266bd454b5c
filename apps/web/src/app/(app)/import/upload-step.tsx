"use client";

import { type DragEvent, useId, useRef, useState } from "react";
import { Button, Spinner } from "~/components/button";
import { firstRows, formatBytes, headOf, notCsvReason } from "./csv-file";
import { type DryRun, type ImportKind, type ImportTarget, uploadCsv } from "./import-client";
import { KINDS } from "./kinds";
import { PREVIEW_ROWS } from "./preview-step";

/** The chosen file, its head (what previews upload) and its first rows' cells (samples for mapping). */
export interface ChosenFile {
  file: File;
  head: Blob;
  samples: string[][];
}

const SAMPLE_BYTES = 64 * 1024;

interface UploadStepProps {
  kind: ImportKind;
  maxBytes: number;
  targets: ImportTarget[];
  initialError: string | null;
  onUploaded: (file: ChosenFile, dryRun: DryRun) => void;
}

export function UploadStep({ kind, maxBytes, targets, initialError, onUploaded }: UploadStepProps) {
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [reading, setReading] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(initialError);

  async function choose(file: File | undefined) {
    if (!file || reading) return;
    setError(null);
    const refusal =
      notCsvReason(file) ??
      (file.size > maxBytes
        ? `“${file.name}” is ${formatBytes(file.size)}; the largest file you can import is ${formatBytes(maxBytes)}. Split it into smaller files.`
        : null);
    if (refusal) {
      setError(refusal);
      return;
    }
    setReading(file.name);
    try {
      const head = await headOf(file);
      const dryRun = await uploadCsv(kind, head, { dryRun: true, previewRows: PREVIEW_ROWS });
      const samples = firstRows(await head.slice(0, SAMPLE_BYTES).text(), 4);
      onUploaded({ file, head, samples }, dryRun);
    } catch (e) {
      setError(e instanceof Error ? `“${file.name}” can’t be imported. ${e.message}` : String(e));
    } finally {
      setReading(null);
      // The same file can be chosen again after fixing it.
      if (input.current) input.current.value = "";
    }
  }

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    void choose(event.dataTransfer.files[0]);
  };

  const required = targets.filter((t) => t.required).map((t) => t.label);

  return (
    <section aria-labelledby={`${inputId}-title`} className="rounded-xl border border-slate-200 bg-white p-4 sm:p-6">
      <h2
        id={`${inputId}-title`}
        tabIndex={-1}
        data-step-title
        className="text-base font-semibold text-slate-900 focus:outline-none"
      >
        Upload a CSV file
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        The first row must name the columns; {required.join(", ")} {required.length > 1 ? "are" : "is"} required for
        each {KINDS[kind].singular}. Tags and your custom fields can have columns too.
      </p>

      <label
        htmlFor={inputId}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-dragging={dragging || undefined}
        className="mt-4 flex min-h-48 cursor-pointer flex-col items-center justify-center rounded-xl border-2 border-dashed border-slate-300 bg-slate-50 px-6 py-8 text-center transition-colors hover:border-indigo-400 hover:bg-indigo-50/40 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-indigo-600 data-[dragging]:border-indigo-500 data-[dragging]:bg-indigo-50"
      >
        {reading ? (
          <span className="flex flex-col items-center gap-3 text-sm text-slate-700" aria-live="polite">
            <Spinner className="size-6 text-indigo-600" />
            Reading “{reading}”…
          </span>
        ) : (
          <>
            <span className="flex size-11 items-center justify-center rounded-full bg-white text-indigo-600 shadow-sm ring-1 ring-slate-200">
              <svg
                className="size-5"
                viewBox="0 0 24 24"
                fill="none"
                stroke="currentColor"
                strokeWidth="1.8"
                aria-hidden="true"
              >
                <path
                  strokeLinecap="round"
                  strokeLinejoin="round"
                  d="M12 16V4m0 0 4 4m-4-4L8 8M4 15v3a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3"
                />
              </svg>
            </span>
            <span className="mt-3 text-sm font-medium text-slate-900">
              Drop your CSV file here, or <span className="text-indigo-600 underline">choose a file</span>
            </span>
            <span className="mt-1 text-xs text-slate-500">CSV (UTF-8), up to {formatBytes(maxBytes)}</span>
          </>
        )}
        <input
          ref={input}
          id={inputId}
          type="file"
          accept=".csv,text/csv,.txt,text/plain"
          aria-label="CSV file to import"
          aria-describedby={error ? `${inputId}-error` : undefined}
          className="sr-only"
          disabled={reading !== null}
          onChange={(event) => void choose(event.target.files?.[0])}
        />
      </label>

      <div role="alert" id={`${inputId}-error`} className={error ? "mt-4" : "sr-only"}>
        {error ? (
          <p className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">{error}</p>
        ) : null}
      </div>

      <div className="mt-4 flex flex-wrap items-center justify-between gap-3 text-xs text-slate-500">
        <p>Exported from Nexo, a spreadsheet or another CRM: columns are matched by name, and you can change them.</p>
        <TemplateLink kind={kind} targets={targets} />
      </div>
    </section>
  );
}

/** A CSV whose header names every field, for people starting from scratch. */
function TemplateLink({ kind, targets }: { kind: ImportKind; targets: ImportTarget[] }) {
  const download = () => {
    const header = targets.map((t) => (/[",]/.test(t.label) ? `"${t.label.replaceAll('"', '""')}"` : t.label));
    const url = URL.createObjectURL(new Blob([`\ufeff${header.join(",")}\r\n`], { type: "text/csv" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = `${kind}-template.csv`;
    link.click();
    URL.revokeObjectURL(url);
  };
  return (
    <Button variant="ghost" size="sm" onClick={download}>
      Download a template
    </Button>
  );
}
