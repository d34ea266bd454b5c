"use client";

import { useId } from "react";
import { Badge } from "~/components/badge";
import { Button } from "~/components/button";
import { FormAlert } from "~/components/field";
import { formatNumber } from "~/lib/format";
import type { ImportKind, ImportTarget, Mapping } from "./import-client";
import { KINDS } from "./kinds";

interface MappingStepProps {
  kind: ImportKind;
  targets: ImportTarget[];
  headers: string[];
  /** The file's first rows, header included. */
  samples: string[][];
  /** What the server matched each column to. */
  suggested: Mapping;
  mapping: Mapping;
  fileName: string;
  totalRows: number | null;
  pending: boolean;
  error: string | null;
  onChange: (mapping: Mapping) => void;
  onBack: () => void;
  onNext: () => void;
}

const selectClass =
  "block h-10 w-full rounded-lg border border-slate-300 bg-white px-3 text-sm text-slate-900 shadow-sm focus:outline-2 focus:-outline-offset-1 focus:outline-indigo-600";

export function MappingStep({
  kind,
  targets,
  headers,
  samples,
  suggested,
  mapping,
  fileName,
  totalRows,
  pending,
  error,
  onChange,
  onBack,
  onNext,
}: MappingStepProps) {
  const titleId = useId();
  const byName = new Map(targets.map((t) => [t.name, t]));
  const columnOf = (target: string) => headers.find((h) => mapping[h] === target);
  const required = targets.filter((t) => t.required);
  const missing = required.filter((t) => !columnOf(t.name));
  const own = targets.filter((t) => !t.customField);
  const custom = targets.filter((t) => t.customField);
  const mappedCount = headers.filter((h) => mapping[h]).length;
  const dedupeTarget = KINDS[kind].dedupeKey ? byName.get(KINDS[kind].dedupeKey ?? "") : undefined;

  // A field takes one column: choosing it for this column frees the column that had it.
  const choose = (header: string, target: string | null) => {
    const next: Mapping = { ...mapping, [header]: target };
    if (target) for (const other of headers) if (other !== header && next[other] === target) next[other] = null;
    onChange(next);
  };

  return (
    <section aria-labelledby={titleId} className="rounded-xl border border-slate-200 bg-white">
      <div className="border-b border-slate-200 p-4 sm:p-6">
        <h2
          id={titleId}
          tabIndex={-1}
          data-step-title
          className="text-base font-semibold text-slate-900 focus:outline-none"
        >
          Map columns
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          <span className="font-medium text-slate-900">{fileName}</span> ·{" "}
          {totalRows === null ? "counting rows…" : `${formatNumber(totalRows)} rows`} · {headers.length} columns. Choose
          what each column becomes; columns set to “Don’t import” are left out.
        </p>

        <ul aria-label="Required fields" className="mt-4 flex flex-wrap gap-2">
          {required.map((target) => {
            const column = columnOf(target.name);
            return (
              <li key={target.name}>
                {column ? (
                  <Badge tone="green">
                    {target.label} ← “{column}”
                  </Badge>
                ) : (
                  <Badge tone="red">{target.label} is required: choose its column</Badge>
                )}
              </li>
            );
          })}
          {dedupeTarget ? (
            <li>
              <Badge tone={columnOf(dedupeTarget.name) ? "indigo" : "neutral"}>
                {columnOf(dedupeTarget.name)
                  ? `Duplicates are found by ${dedupeTarget.label.toLowerCase()}`
                  : `No ${dedupeTarget.label.toLowerCase()} column: duplicates can’t be found`}
              </Badge>
            </li>
          ) : null}
        </ul>
      </div>

      <div
        aria-hidden="true"
        className="hidden grid-cols-[minmax(0,1fr)_minmax(0,1fr)_16rem] gap-4 border-b border-slate-100 bg-slate-50 px-6 py-2 text-xs font-medium tracking-wide text-slate-500 uppercase sm:grid"
      >
        <span>Column in your file</span>
        <span>Sample values</span>
        <span>Import as</span>
      </div>
      <ul aria-label="Columns" className="divide-y divide-slate-100">
        {headers.map((header, index) => {
          const value = mapping[header] ?? "";
          const target = value ? byName.get(value) : undefined;
          const values = samples
            .slice(1)
            .map((row) => row[index]?.trim() ?? "")
            .filter(Boolean);
          const selectId = `${titleId}-column-${index}`;
          return (
            <li
              key={`${index}-${header}`}
              className="grid gap-2 px-4 py-3 sm:grid-cols-[minmax(0,1fr)_minmax(0,1fr)_16rem] sm:items-center sm:gap-4 sm:px-6"
            >
              <div className="min-w-0">
                <p className="truncate text-sm font-medium text-slate-900" title={header}>
                  {header || <span className="text-slate-400 italic">(no name)</span>}
                </p>
                {value && suggested[header] === value ? (
                  <p className="text-xs text-slate-500">Matched automatically</p>
                ) : null}
              </div>
              <p className="min-w-0 truncate text-sm text-slate-500" title={values.join(" · ")}>
                {values.length > 0 ? values.join(" · ") : <span className="italic">empty in the first rows</span>}
              </p>
              <div>
                <label htmlFor={selectId} className="sr-only">
                  Import column “{header}” as
                </label>
                <select
                  id={selectId}
                  value={value}
                  onChange={(event) => choose(header, event.target.value || null)}
                  className={`${selectClass} ${value ? "" : "text-slate-500"}`}
                >
                  <option value="">Don’t import</option>
                  <optgroup label={`${KINDS[kind].singular[0]?.toUpperCase()}${KINDS[kind].singular.slice(1)} fields`}>
                    {own.map((t) => (
                      <option key={t.name} value={t.name}>
                        {t.label}
                        {t.required ? " (required)" : ""}
                      </option>
                    ))}
                  </optgroup>
                  {custom.length > 0 ? (
                    <optgroup label="Custom fields">
                      {custom.map((t) => (
                        <option key={t.name} value={t.name}>
                          {t.label}
                        </option>
                      ))}
                    </optgroup>
                  ) : null}
                </select>
                {target?.hint ? <p className="mt-1 text-xs text-slate-500">{target.hint}</p> : null}
              </div>
            </li>
          );
        })}
      </ul>

      <div className="space-y-3 border-t border-slate-200 p-4 sm:px-6">
        <FormAlert message={error} />
        <div className="flex flex-col-reverse gap-2 sm:flex-row sm:items-center sm:justify-between">
          <Button variant="secondary" onClick={onBack} disabled={pending}>
            Choose another file
          </Button>
          <div className="flex flex-col items-stretch gap-2 sm:flex-row sm:items-center">
            <p className="text-sm text-slate-500" aria-live="polite">
              {missing.length > 0
                ? `Map ${missing.map((t) => t.label).join(", ")} to continue.`
                : `${mappedCount} of ${headers.length} columns will be imported.`}
            </p>
            <Button onClick={onNext} pending={pending} disabled={missing.length > 0}>
              Preview import
            </Button>
          </div>
        </div>
      </div>
    </section>
  );
}
