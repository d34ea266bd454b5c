"use client";

import {
  type FocusEvent,
  type KeyboardEvent,
  type ReactNode,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
} from "react";
import { focusRing } from "~/components/button";
import { FIELD_ROW } from "./field-row";

export interface EditorProps<T> {
  id: string;
  draft: T;
  setDraft: (value: T) => void;
  /** Saves now, with `value` when given (a choice picked from a list). */
  commit: (value?: T) => void;
  /** The message element's id when there is an error, for `aria-describedby`. */
  describedBy: string | undefined;
  invalid: boolean;
  label: string;
}

interface InlineFieldProps<T> {
  label: string;
  value: T;
  /** What the field shows when not editing; `empty` shows "Add …" instead. */
  display: ReactNode;
  empty?: boolean;
  editor: (props: EditorProps<T>) => ReactNode;
  /** Checks the draft before anything is sent; returns the message to show. */
  validate?: (draft: T) => string | undefined;
  /** Resolves to null when saved, or to the message to show next to the field. */
  onSave: (draft: T) => Promise<string | null>;
  equals?: (a: T, b: T) => boolean;
  readOnly?: boolean;
  /** `heading` for the record's title; `row` for a labelled detail. */
  variant?: "row" | "heading";
  /** Shown next to the value, outside the edit button (a mail or call link). */
  extra?: ReactNode;
}

/**
 * A value that turns into its editor on click or Enter: Enter or leaving the field saves, Escape
 * puts the value back. A refused save reopens the editor with what was typed and the reason.
 */
export function InlineField<T>({
  label,
  value,
  display,
  empty = false,
  editor,
  validate,
  onSave,
  equals = Object.is,
  readOnly = false,
  variant = "row",
  extra,
}: InlineFieldProps<T>) {
  const id = useId();
  const messageId = `${id}-message`;
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(value);
  const [error, setError] = useState<string | null>(null);
  const container = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  // Where focus goes next: into the editor when it opens, back to the value after a keyboard save.
  const focusTarget = useRef<"editor" | "button" | null>(null);
  // Set while a save or cancel is under way, so the blur that follows does not act a second time.
  const settling = useRef(false);

  useLayoutEffect(() => {
    if (focusTarget.current === "editor" && editing) {
      const control = container.current?.querySelector<HTMLElement>("input, select, textarea, button");
      control?.focus();
      if (control instanceof HTMLInputElement && control.type !== "date") control.select();
    }
    if (focusTarget.current === "button" && !editing) button.current?.focus();
    focusTarget.current = null;
  });

  useEffect(() => {
    if (!editing) setDraft(value);
  }, [value, editing]);

  function open() {
    if (readOnly) return;
    setDraft(value);
    setError(null);
    focusTarget.current = "editor";
    setEditing(true);
  }

  function cancel(viaKeyboard: boolean) {
    settling.current = true;
    setError(null);
    setDraft(value);
    if (viaKeyboard) focusTarget.current = "button";
    setEditing(false);
  }

  async function commit(next: T = draft, viaKeyboard = false) {
    if (equals(next, value)) {
      cancel(viaKeyboard);
      return;
    }
    const problem = validate?.(next);
    if (problem) {
      setDraft(next);
      setError(problem);
      return;
    }
    settling.current = true;
    setError(null);
    if (viaKeyboard) focusTarget.current = "button";
    setEditing(false);
    const refused = await onSave(next);
    if (refused) {
      setDraft(next);
      setError(refused);
      setEditing(true);
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.nativeEvent.isComposing) return;
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      cancel(true);
    } else if (event.key === "Enter" && !(event.target instanceof HTMLTextAreaElement)) {
      event.preventDefault();
      void commit(draft, true);
    }
  }

  function onBlur(event: FocusEvent<HTMLDivElement>) {
    if (event.relatedTarget instanceof Node && container.current?.contains(event.relatedTarget)) return;
    if (settling.current) {
      settling.current = false;
      return;
    }
    void commit(draft);
  }

  // A new editing round starts with no pending save or cancel.
  useEffect(() => {
    if (editing) settling.current = false;
  }, [editing]);

  const heading = variant === "heading";
  return (
    <div className={heading ? "min-w-0" : FIELD_ROW}>
      {heading ? null : (
        <div className="pt-1.5 text-sm text-slate-500">
          {editing ? <label htmlFor={id}>{label}</label> : <span id={`${id}-label`}>{label}</span>}
        </div>
      )}
      <div className="min-w-0">
        {editing ? (
          // biome-ignore lint/a11y/noStaticElementInteractions: key and focus events bubble up from the editor's own controls.
          <div ref={container} onKeyDown={onKeyDown} onBlur={onBlur}>
            {editor({
              id,
              draft,
              setDraft: (next) => {
                setDraft(next);
                if (error) setError(null);
              },
              commit: (next) => void commit(next ?? draft),
              describedBy: error ? messageId : undefined,
              invalid: Boolean(error),
              label,
            })}
            <p id={messageId} className={`mt-1 text-xs ${error ? "text-red-600" : "text-slate-500"}`}>
              {error ?? <span className="sr-only">Enter saves, Escape cancels.</span>}
            </p>
          </div>
        ) : (
          <div className="flex min-w-0 items-center gap-1">
            {readOnly ? (
              <div
                className={`min-w-0 flex-1 truncate ${
                  heading
                    ? "py-0.5 text-xl font-semibold tracking-tight text-slate-900 sm:text-2xl"
                    : "min-h-8 py-1 text-sm text-slate-900"
                }`}
              >
                {empty ? <span className="text-slate-500">—</span> : display}
              </div>
            ) : (
              <button
                ref={button}
                type="button"
                onClick={open}
                aria-describedby={heading ? undefined : `${id}-label`}
                className={`group flex min-w-0 flex-1 items-center gap-2 rounded-md text-left hover:bg-slate-100 ${focusRing} ${
                  heading
                    ? "-mx-1.5 px-1.5 py-0.5 text-xl font-semibold tracking-tight text-slate-900 sm:text-2xl"
                    : "-mx-2 min-h-8 px-2 py-1 text-sm text-slate-900"
                }`}
              >
                <span className="min-w-0 flex-1 truncate">
                  {empty ? <span className="text-slate-500">{`Add ${label.toLowerCase()}`}</span> : display}
                </span>
                <PencilIcon />
                <span className="sr-only">Edit {label.toLowerCase()}</span>
              </button>
            )}
            {extra}
          </div>
        )}
      </div>
    </div>
  );
}

function PencilIcon() {
  return (
    <svg
      className="size-3.5 shrink-0 text-slate-400 opacity-0 transition-opacity group-hover:opacity-100 group-focus-visible:opacity-100"
      viewBox="0 0 20 20"
      fill="currentColor"
      aria-hidden="true"
    >
      <path d="m5.43 13.96-.86 2.59a.5.5 0 0 0 .63.63l2.59-.86a2 2 0 0 0 .78-.48l7.5-7.5a1.77 1.77 0 0 0-2.5-2.5l-7.5 7.5a2 2 0 0 0-.48.78Z" />
    </svg>
  );
}

const controlClass =
  "block w-full rounded-lg border bg-white px-3 text-sm text-slate-900 shadow-sm placeholder:text-slate-400 focus:outline-2 focus:-outline-offset-1 focus:outline-indigo-600";

export function inputClass(invalid: boolean, extra = "h-9") {
  return `${controlClass} ${extra} ${invalid ? "border-red-400" : "border-slate-300"}`;
}

interface TextEditorOptions {
  type?: "text" | "email" | "tel" | "url" | "number" | "date" | "datetime-local";
  inputMode?: "text" | "email" | "tel" | "url" | "decimal" | "numeric";
  placeholder?: string;
  className?: string;
}

/** A one-line input for a text-like value ("" for none). */
export function textEditor(options: TextEditorOptions = {}) {
  return function TextEditor({ id, draft, setDraft, describedBy, invalid, label }: EditorProps<string>) {
    return (
      <input
        id={id}
        aria-label={label}
        type={options.type ?? "text"}
        inputMode={options.inputMode}
        placeholder={options.placeholder}
        autoComplete="off"
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        className={`${inputClass(invalid)} ${options.className ?? ""}`}
      />
    );
  };
}

/** A multi-line input; Enter adds a line, leaving the field saves. */
export function textAreaEditor(rows = 4) {
  return function TextAreaEditor({ id, draft, setDraft, describedBy, invalid, label }: EditorProps<string>) {
    return (
      <textarea
        id={id}
        aria-label={label}
        rows={rows}
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        className={inputClass(invalid, "py-2")}
      />
    );
  };
}

export interface Choice {
  value: string;
  label: string;
}

/**
 * A native select: a choice picked with the pointer saves at once; arrow keys only move the choice
 * (saved with Enter or on leaving), so stepping through the options records no history.
 */
export function selectEditor(choices: readonly Choice[], options: { emptyLabel?: string } = {}) {
  return function SelectEditor({ id, draft, setDraft, commit, describedBy, invalid, label }: EditorProps<string>) {
    return <ChoiceSelect {...{ id, draft, setDraft, commit, describedBy, invalid, label, choices, ...options }} />;
  };
}

function ChoiceSelect({
  id,
  draft,
  setDraft,
  commit,
  describedBy,
  invalid,
  choices,
  emptyLabel,
  label,
}: EditorProps<string> & { choices: readonly Choice[]; emptyLabel?: string | undefined }) {
  const lastKey = useRef(0);
  return (
    <select
      id={id}
      aria-label={label}
      value={draft}
      onKeyDown={() => {
        lastKey.current = Date.now();
      }}
      onChange={(event) => {
        const next = event.target.value;
        if (Date.now() - lastKey.current < 600) setDraft(next);
        else commit(next);
      }}
      aria-invalid={invalid || undefined}
      aria-describedby={describedBy}
      className={inputClass(invalid)}
    >
      {emptyLabel !== undefined ? <option value="">{emptyLabel}</option> : null}
      {choices.map((choice) => (
        <option key={choice.value} value={choice.value}>
          {choice.label}
        </option>
      ))}
    </select>
  );
}
