"use client";

import { useId, useState } from "react";
import { Badge, type BadgeTone } from "~/components/badge";
import { Button, focusRing, Spinner } from "~/components/button";
import { FormAlert } from "~/components/field";
import { formatMoney, formatNumber } from "~/lib/format";
import type { DedupeMode, DryRun, ImportKind, ImportTarget, Mapping } from "./import-client";
import { KINDS } from "./kinds";

/** Rows a preview validates and shows. */
export const PREVIEW_ROWS = 20;

type PreviewRow = DryRun["rows"][number];

const ACTION_TONES: Record<PreviewRow["action"], BadgeTone> = { create: "green", update: "indigo", skip: "neutral" };
const ACTION_LABELS: Record<PreviewRow["action"], string> = { create: "New", update: "Update", skip: "Skip" };

interface PreviewStepProps {
  kind: ImportKind;
  targets: ImportTarget[];
  dryRun: DryRun;
  mapping: Mapping;
  dedupe: DedupeMode;
  totalRows: number | null;
  pending: boolean;
  error: string | null;
  onDedupe: (mode: DedupeMode) => void;
  onBack: () => void;
  onRun: () => void;
}

/** How a preview shows one field of a row, as it will be stored. */
function display(target: string, row: PreviewRow): string {
  if (target === "tags") return row.tags?.join(", ") ?? "";
  if (target.startsWith("customFields.")) {
    const value = row.customFields[target.slice("customFields.".length)];
    if (value === undefined) return "";
    if (typeof value === "boolean") return value ? "Yes" : "No";
    if (Array.isArray(value)) return value.join(", ");
    return typeof value === "number" ? formatNumber(value) : value;
  }
  const values = row.values as Record<string, unknown>;
  if (target === "amount" && typeof values.amountMinor === "number") {
    try {
      return formatMoney(values.amountMinor, String(values.currency ?? "EUR"));
    } catch {
      return `${values.amountMinor / 100} ${String(values.currency ?? "")}`;
    }
  }
  const value = values[target];
  return value === null || value === undefined ? "" : String(value);
}

export function PreviewStep({
  kind,
  targets,
  dryRun,
  mapping,
  dedupe,
  totalRows,
  pending,
  error,
  onDedupe,
  onBack,
  onRun,
}: PreviewStepProps) {
  const titleId = useId();
  const byName = new Map(targets.map((t) => [t.name, t]));
  const columns = dryRun.headers.flatMap((header) => {
    const target = mapping[header] ? byName.get(mapping[header] ?? "") : undefined;
    return target ? [{ header, target }] : [];
  });
  const previewed = dryRun.rows.length + dryRun.errors.length;
  const issues = dryRun.errors.flatMap((e) =>
    e.issues.map((issue, i) => ({
      key: `${e.row}-${i}`,
      row: e.row,
      field: issue.field ? (byName.get(issue.field)?.label ?? issue.field) : "Row",
      message: issue.message,
    })),
  );
  const total = totalRows === null ? null : formatNumber(totalRows);

  return (
    <section aria-labelledby={titleId} className="rounded-xl border border-slate-200 bg-white">
      <div className="border-b border-slate-200 p-4 sm:p-6">
        <h2
          id={titleId}
          tabIndex={-1}
          data-step-title
          className="text-base font-semibold text-slate-900 focus:outline-none"
        >
          Preview
        </h2>
        <p className="mt-1 text-sm text-slate-600" aria-live="polite">
          The first {formatNumber(previewed)} {previewed === 1 ? "row" : "rows"}
          {total === null ? "" : ` of ${total}`}: {formatNumber(dryRun.rows.length)} ready,{" "}
          {formatNumber(dryRun.errors.length)} with problems. Nothing is saved yet; every row is checked again when you
          import, and rows with problems are left out and listed in the error report.
        </p>
        {KINDS[kind].dedupeKey ? (
          <DedupeChoice kind={kind} value={dedupe} pending={pending} onChange={onDedupe} />
        ) : null}
      </div>

      {dryRun.errors.length > 0 ? (
        <div className="border-b border-slate-200 p-4 sm:px-6">
          <h3 className="text-sm font-semibold text-red-700">Rows with problems</h3>
          <section
            aria-label="Rows with problems (scrollable)"
            // biome-ignore lint/a11y/noNoninteractiveTabindex: keyboard users must be able to scroll a table wider than the screen.
            tabIndex={0}
            className={`mt-2 overflow-x-auto rounded-lg border border-red-200 ${focusRing}`}
          >
            <table aria-label="Rows with problems" className="min-w-full text-sm">
              <thead className="bg-red-50 text-left text-xs font-medium text-red-800">
                <tr>
                  <th scope="col" className="px-3 py-2">
                    Row
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Field
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Problem
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-red-100">
                {issues.map((issue) => (
                  <tr key={issue.key}>
                    <td className="px-3 py-2 whitespace-nowrap text-slate-700 tabular-nums">{issue.row}</td>
                    <td className="px-3 py-2 whitespace-nowrap font-medium text-slate-900">{issue.field}</td>
                    <td className="px-3 py-2 text-slate-700">{issue.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </div>
      ) : null}

      <div className="p-4 sm:px-6">
        <h3 className="text-sm font-semibold text-slate-900">Rows as they will be imported</h3>
        {dryRun.rows.length === 0 ? (
          <p className="mt-2 rounded-lg border border-dashed border-slate-300 px-4 py-6 text-center text-sm text-slate-500">
            None of the first rows can be imported. Fix the file or change the column mapping.
          </p>
        ) : (
          <section
            aria-label="Preview rows (scrollable)"
            // biome-ignore lint/a11y/noNoninteractiveTabindex: keyboard users must be able to scroll a table wider than the screen.
            tabIndex={0}
            className={`mt-2 max-h-[28rem] overflow-auto rounded-lg border border-slate-200 ${focusRing}`}
          >
            <table aria-label="Preview rows" className="min-w-full text-sm">
              <thead className="sticky top-0 bg-slate-50 text-left text-xs font-medium text-slate-500">
                <tr>
                  <th scope="col" className="px-3 py-2">
                    Row
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Action
                  </th>
                  {columns.map(({ header, target }) => (
                    <th key={header} scope="col" className="px-3 py-2 whitespace-nowrap">
                      {target.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {dryRun.rows.map((row) => (
                  <tr key={row.row}>
                    <td className="px-3 py-2 text-slate-500 tabular-nums">{row.row}</td>
                    <td className="px-3 py-2">
                      <Badge tone={ACTION_TONES[row.action]}>{ACTION_LABELS[row.action]}</Badge>
                    </td>
                    {columns.map(({ header, target }) => (
                      <td key={header} className="max-w-56 truncate px-3 py-2 text-slate-700">
                        {display(target.name, row)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        )}
      </div>

      <div className="space-y-3 border-t border-slate-200 p-4 sm:px-6">
        <FormAlert message={error} />
        <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-between">
          <Button variant="secondary" onClick={onBack} disabled={pending}>
            Back to mapping
          </Button>
          <Button onClick={onRun} disabled={pending}>
            {total === null ? "Import all rows" : `Import ${total} ${totalRows === 1 ? "row" : "rows"}`}
          </Button>
        </div>
      </div>
    </section>
  );
}

function DedupeChoice({
  kind,
  value,
  pending,
  onChange,
}: {
  kind: ImportKind;
  value: DedupeMode;
  pending: boolean;
  onChange: (mode: DedupeMode) => void;
}) {
  const name = useId();
  // The choice shows at once while the preview is redone for it; a failed redo shows the last one.
  const [asked, setAsked] = useState<DedupeMode | null>(null);
  const shown = pending && asked ? asked : value;
  const { singular, dedupeKey } = KINDS[kind];
  const options: { mode: DedupeMode; label: string; hint: string }[] = [
    { mode: "skip", label: "Skip it", hint: `Keep the existing ${singular} as it is.` },
    { mode: "update", label: `Update the ${singular}`, hint: "Fill in the values the file gives; keep the others." },
    {
      mode: "create",
      label: `Create another ${singular}`,
      hint:
        kind === "companies"
          ? "Not possible for companies: a domain belongs to one company, so such rows fail."
          : "Import it as a separate record.",
    },
  ];
  return (
    <fieldset className="mt-4" disabled={pending}>
      <legend className="flex items-center gap-2 text-sm font-medium text-slate-900">
        When a row’s {dedupeKey} matches an existing {singular}
        {pending ? <Spinner className="size-4 text-indigo-600" /> : null}
      </legend>
      <div className="mt-2 grid gap-2 sm:grid-cols-3">
        {options.map((option) => (
          <label
            key={option.mode}
            className="flex cursor-pointer gap-3 rounded-lg border border-slate-200 p-3 has-[:checked]:border-indigo-500 has-[:checked]:bg-indigo-50/50 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-indigo-600"
          >
            <input
              type="radio"
              name={name}
              value={option.mode}
              checked={shown === option.mode}
              onChange={() => {
                setAsked(option.mode);
                onChange(option.mode);
              }}
              className="mt-0.5 size-4 accent-indigo-600"
            />
            <span>
              <span className="block text-sm font-medium text-slate-900">{option.label}</span>
              <span className="block text-xs text-slate-500">{option.hint}</span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
