"use client";

import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { formatDate, formatNumber } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import type { RouterOutputs } from "~/trpc/types";
import { FIELD_ROW } from "./field-row";
import { type EditorProps, InlineField, inputClass, selectEditor, textEditor } from "./inline-field";
import { Panel } from "./layout";
import type { RecordType } from "./queries";

type Definition = RouterOutputs["crm"]["customFields"]["list"][number];
export type CustomValue = string | number | boolean | string[];
export type CustomValues = Record<string, CustomValue>;

interface CustomFieldsPanelProps {
  entityType: RecordType;
  values: CustomValues;
  /** Saves one field (null clears it); resolves null when saved, else the message to show. */
  onSave: (key: string, label: string, value: CustomValue | null) => Promise<string | null>;
  readOnly: boolean;
}

/** The organization's own fields for this kind of record, each editable in place by its type. */
export function CustomFieldsPanel({ entityType, values, onSave, readOnly }: CustomFieldsPanelProps) {
  const trpc = useTRPC();
  const definitions = useQuery(trpc.crm.customFields.list.queryOptions({ entityType }));
  const fields = definitions.data ?? [];
  if (fields.length === 0) return null;
  return (
    <Panel title="More fields">
      {fields.map((field) => (
        <CustomField
          key={field.id}
          field={field}
          value={values[field.key] ?? null}
          readOnly={readOnly}
          onSave={(value) => onSave(field.key, field.label, value)}
        />
      ))}
    </Panel>
  );
}

function CustomField({
  field,
  value,
  readOnly,
  onSave,
}: {
  field: Definition;
  value: CustomValue | null;
  readOnly: boolean;
  onSave: (value: CustomValue | null) => Promise<string | null>;
}) {
  switch (field.type) {
    case "checkbox":
      return <CheckboxField field={field} value={value === true} readOnly={readOnly} onSave={onSave} />;
    case "multi_select": {
      const chosen = Array.isArray(value) ? value : [];
      return (
        <InlineField<string[]>
          label={field.label}
          value={chosen}
          display={chosen.join(", ")}
          empty={chosen.length === 0}
          readOnly={readOnly}
          equals={(a, b) => a.length === b.length && a.every((v) => b.includes(v))}
          editor={(props) => <MultiSelectEditor {...props} options={field.options ?? []} />}
          onSave={(draft) => onSave(draft.length ? draft : null)}
        />
      );
    }
    case "number": {
      const shown = typeof value === "number" ? String(value) : "";
      return (
        <InlineField
          label={field.label}
          value={shown}
          display={typeof value === "number" ? formatNumber(value) : null}
          empty={shown === ""}
          readOnly={readOnly}
          editor={textEditor({ type: "text", inputMode: "decimal" })}
          validate={(draft) => (draft.trim() === "" || Number.isFinite(Number(draft)) ? undefined : "Enter a number.")}
          onSave={(draft) => onSave(draft.trim() === "" ? null : Number(draft))}
        />
      );
    }
    case "select": {
      const shown = typeof value === "string" ? value : "";
      const options = (field.options ?? []).map((option) => ({ value: option, label: option }));
      if (shown && !field.options?.includes(shown)) options.unshift({ value: shown, label: shown });
      return (
        <InlineField
          label={field.label}
          value={shown}
          display={shown}
          empty={shown === ""}
          readOnly={readOnly}
          editor={selectEditor(options, { emptyLabel: "—" })}
          onSave={(draft) => onSave(draft || null)}
        />
      );
    }
    default: {
      const shown = typeof value === "string" ? value : "";
      const display =
        field.type === "date" && shown ? (
          formatDate(shown)
        ) : field.type === "url" && shown ? (
          <span className="text-indigo-600">{shown}</span>
        ) : (
          shown
        );
      return (
        <InlineField
          label={field.label}
          value={shown}
          display={display}
          empty={shown === ""}
          readOnly={readOnly}
          editor={textEditor({
            type: field.type === "date" ? "date" : field.type === "url" ? "url" : "text",
            ...(field.type === "url" ? { inputMode: "url" as const, placeholder: "https://" } : {}),
          })}
          onSave={(draft) => onSave(draft.trim() === "" ? null : draft.trim())}
        />
      );
    }
  }
}

/** A yes/no field is a checkbox that saves when ticked; there is nothing to type. */
function CheckboxField({
  field,
  value,
  readOnly,
  onSave,
}: {
  field: Definition;
  value: boolean;
  readOnly: boolean;
  onSave: (value: boolean) => Promise<string | null>;
}) {
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  // The box follows the click at once, and the saved value once the server answers.
  const [ticked, setTicked] = useState<boolean | null>(null);
  return (
    <div className={FIELD_ROW}>
      <label htmlFor={id} className="pt-1.5 text-sm text-slate-500">
        {field.label}
      </label>
      <div className="flex min-h-8 items-center">
        <input
          id={id}
          type="checkbox"
          checked={ticked ?? value}
          disabled={readOnly}
          aria-describedby={error ? `${id}-message` : undefined}
          onChange={async (event) => {
            setTicked(event.target.checked);
            const refused = await onSave(event.target.checked);
            setTicked(null);
            setError(refused);
          }}
          className="size-4 rounded border-slate-300 accent-indigo-600"
        />
        {error ? (
          <p id={`${id}-message`} className="ml-2 text-xs text-red-600">
            {error}
          </p>
        ) : null}
      </div>
    </div>
  );
}

function MultiSelectEditor({
  id,
  draft,
  setDraft,
  describedBy,
  label,
  options,
}: EditorProps<string[]> & { options: string[] }) {
  const all = [...options, ...draft.filter((v) => !options.includes(v))];
  return (
    <fieldset id={id} aria-describedby={describedBy} className={`${inputClass(false, "")} space-y-1 py-2`}>
      <legend className="sr-only">{label}</legend>
      {all.map((option) => (
        <label key={option} className="flex items-center gap-2 text-sm text-slate-700">
          <input
            type="checkbox"
            checked={draft.includes(option)}
            onChange={(event) =>
              setDraft(event.target.checked ? [...draft, option] : draft.filter((value) => value !== option))
            }
            className="size-4 rounded border-slate-300 accent-indigo-600"
          />
          {option}
        </label>
      ))}
    </fieldset>
  );
}
