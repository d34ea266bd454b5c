"use client";

import { type FocusEvent, type KeyboardEvent, type ReactNode, useEffect, useId, useRef, useState } from "react";
import { Spinner } from "~/components/button";
import { Icon } from "~/components/icon";
import { InlineEditError, inlineErrorFrom } from "./row-update";

export interface EditField {
  /** The input field's name, as the API's error paths name it (`email`, `amountMinor`). */
  name: string;
  /** The input's accessible name ("Email of Ada Lovelace"). */
  label: string;
  value: string;
  type?: "text" | "email" | "tel" | "date" | "number" | "url" | "select";
  options?: readonly { value: string; label: string }[];
  placeholder?: string;
  /** Tailwind width of the input. */
  width?: string;
}

interface EditableCellProps {
  /** What is edited, for the button's accessible name: "email of Ada Lovelace". */
  label: string;
  fields: EditField[];
  /** The value as the cell shows it. */
  children: ReactNode;
  canEdit: boolean;
  /** Client-side checks with the API's own schemas: a message per field, or null when fine. */
  validate?: (
    values: Record<string, string>,
  ) => Partial<Record<string, string>> | null | Promise<Partial<Record<string, string>> | null>;
  /** Resolves once saved; rejects (ideally with an InlineEditError) to reopen the editor with the error. */
  onSave: (values: Record<string, string>) => Promise<void>;
  /**
   * "icon": the cell shows its content as is (a link to the record, say) and a separate pencil
   * button edits it; "button" (default): the whole cell is the edit button.
   */
  trigger?: "button" | "icon";
}

const inputClass =
  "block h-8 rounded-md border bg-white px-2 text-sm text-slate-900 shadow-sm focus:outline-2 focus:-outline-offset-1 focus:outline-indigo-600";

/**
 * A table cell that turns into inputs on click (or Enter on it): Enter saves, Escape cancels,
 * leaving the cell saves. The row already shows the new value while it is saved; when the server
 * refuses, the editor opens again with the message next to the input.
 */
export function EditableCell({
  label,
  fields,
  children,
  canEdit,
  validate,
  onSave,
  trigger = "button",
}: EditableCellProps) {
  const [editing, setEditing] = useState(false);
  const [saving, setSaving] = useState(false);
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Partial<Record<string, string>>>({});
  const display = useRef<HTMLButtonElement>(null);
  const form = useRef<HTMLFormElement>(null);
  const id = useId();
  const returnFocus = useRef(false);
  // Set while the editor is open; a blur after Escape or Enter (the inputs unmounting) must not save.
  const open = useRef(false);

  useEffect(() => {
    if (editing) {
      const first =
        form.current?.querySelector<HTMLElement>("[aria-invalid=true]") ?? form.current?.querySelector("input, select");
      first?.focus();
      if (first instanceof HTMLInputElement) first.select();
    } else if (returnFocus.current) {
      returnFocus.current = false;
      display.current?.focus();
    }
  }, [editing]);

  if (!canEdit) return <span className="block truncate">{children}</span>;

  const initial = () => Object.fromEntries(fields.map((field) => [field.name, field.value]));

  function start() {
    setDraft(initial());
    setErrors({});
    open.current = true;
    setEditing(true);
  }

  function cancel() {
    open.current = false;
    returnFocus.current = true;
    setErrors({});
    setEditing(false);
  }

  async function commit(values: Record<string, string>) {
    const unchanged = fields.every((field) => (values[field.name] ?? "") === field.value);
    if (unchanged) {
      cancel();
      return;
    }
    const problems = await validate?.(values);
    if (problems && Object.values(problems).some(Boolean)) {
      setErrors(problems);
      return;
    }
    open.current = false;
    returnFocus.current = true;
    setErrors({});
    setEditing(false);
    setSaving(true);
    try {
      await onSave(values);
    } catch (cause) {
      const error = cause instanceof InlineEditError ? cause : inlineErrorFrom(cause);
      const byField: Partial<Record<string, string>> = {};
      for (const field of fields) byField[field.name] = error.fields[field.name];
      // A refusal about no field in particular (not found, permissions) still shows at the first input.
      if (!Object.values(byField).some(Boolean) && fields[0]) byField[fields[0].name] = error.message;
      setDraft(values);
      setErrors(byField);
      open.current = true;
      setEditing(true);
    } finally {
      setSaving(false);
    }
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === "Escape") {
      // Only the editor closes, not a dialog or menu around the table.
      event.preventDefault();
      event.stopPropagation();
      cancel();
    }
  }

  function onBlur(event: FocusEvent<HTMLFormElement>) {
    if (!open.current) return;
    if (event.relatedTarget instanceof Node && event.currentTarget.contains(event.relatedTarget)) return;
    void commit(draft);
  }

  if (!editing && trigger === "icon") {
    return (
      <div className="group/cell flex min-w-0 items-center gap-1">
        <div className="min-w-0 flex-1 truncate">{children}</div>
        <button
          ref={display}
          type="button"
          onClick={start}
          aria-label={`Edit ${label}`}
          className="shrink-0 rounded-md p-1 text-slate-400 hover:bg-slate-100 sm:opacity-0 sm:group-hover/cell:opacity-100 sm:group-focus-within/cell:opacity-100 hover:text-slate-700 focus-visible:opacity-100 focus-visible:outline-2 focus-visible:outline-indigo-600"
        >
          {saving ? <Spinner className="size-3.5" /> : <Icon name="edit" className="size-3.5" />}
        </button>
      </div>
    );
  }

  if (!editing) {
    return (
      <button ref={display} type="button" onClick={start} className="cell-edit">
        <span className="min-w-0 flex-1 truncate">{children}</span>
        <span className="sr-only">, edit {label}</span>
        {saving ? (
          <Spinner className="size-3.5 shrink-0 text-slate-400" />
        ) : (
          <Icon name="edit" className="cell-edit-hint" />
        )}
      </button>
    );
  }

  const single = fields.length === 1 ? fields[0] : undefined;
  return (
    <form
      ref={form}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void commit(draft);
      }}
      onKeyDown={onKeyDown}
      onBlur={onBlur}
      className="relative flex items-center gap-1.5"
    >
      {fields.map((field) => {
        const error = errors[field.name];
        const messageId = `${id}-${field.name}-error`;
        const common = {
          "aria-label": field.label,
          "aria-invalid": error ? true : undefined,
          "aria-describedby": error ? messageId : undefined,
          className: `${inputClass} ${field.width ?? "w-44"} ${error ? "border-red-400" : "border-slate-300"}`,
        } as const;
        return field.type === "select" ? (
          <select
            key={field.name}
            {...common}
            value={draft[field.name] ?? ""}
            onChange={(event) => {
              const next = { ...draft, [field.name]: event.target.value };
              setDraft(next);
              // A choice is complete by itself: a lone select saves as soon as it changes.
              if (single) void commit(next);
            }}
          >
            {field.options?.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        ) : (
          <input
            key={field.name}
            {...common}
            type={field.type ?? "text"}
            inputMode={field.type === "number" ? "decimal" : undefined}
            step={field.type === "number" ? "any" : undefined}
            placeholder={field.placeholder}
            autoComplete="off"
            value={draft[field.name] ?? ""}
            onChange={(event) => setDraft({ ...draft, [field.name]: event.target.value })}
          />
        );
      })}
      {/* Enter in a text input submits the form; a hidden button makes that work with two inputs too. */}
      <button type="submit" className="sr-only" tabIndex={-1}>
        Save
      </button>
      {fields.map((field) =>
        errors[field.name] ? (
          <p
            key={field.name}
            id={`${id}-${field.name}-error`}
            role="alert"
            className="absolute top-full left-0 z-20 mt-1 max-w-72 rounded-md bg-red-600 px-2 py-1 text-xs leading-5 whitespace-normal text-white shadow-lg"
          >
            {errors[field.name]}
          </p>
        ) : null,
      )}
    </form>
  );
}
