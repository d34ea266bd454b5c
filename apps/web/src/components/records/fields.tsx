"use client";

import { useRef } from "react";
import type { z } from "zod";
import { Avatar } from "~/components/avatar";
import { MemberSelect } from "~/components/member-select";
import { type EditorProps, inputClass } from "./inline-field";

/** Checks a draft with one field of the API's own schema; `parse` gives what is sent. */
export function checkWith<S extends z.ZodType>(schema: S) {
  return {
    validate: (draft: unknown) => {
      const result = schema.safeParse(draft);
      return result.success ? undefined : (result.error.issues[0]?.message ?? "Not a valid value.");
    },
    parse: (draft: unknown): z.output<S> => schema.parse(draft),
  };
}

/**
 * The member picker as an in-place editor: a pointer pick saves at once, arrow keys only move the
 * choice until Enter or leaving the field.
 */
export function MemberEditor({
  id,
  draft,
  setDraft,
  commit,
  label,
  allowEmpty,
}: EditorProps<string> & { allowEmpty?: boolean }) {
  const lastKey = useRef(0);
  return (
    <div
      onKeyDownCapture={() => {
        lastKey.current = Date.now();
      }}
    >
      <MemberSelect
        id={id}
        aria-label={label}
        value={draft === "" ? null : draft}
        allowEmpty={allowEmpty ?? false}
        emptyLabel="Nobody"
        onChange={(userId) => {
          if (Date.now() - lastKey.current < 600) setDraft(userId ?? "");
          else commit(userId ?? "");
        }}
      />
    </div>
  );
}

export function MemberName({ name }: { name: string }) {
  return (
    <span className="flex min-w-0 items-center gap-2">
      <Avatar name={name} className="size-6 text-[0.625rem]" />
      <span className="truncate">{name}</span>
    </span>
  );
}

export interface PersonName {
  firstName: string;
  lastName: string;
}

/** First and last name side by side, saved together. */
export function NameEditor({ id, draft, setDraft, describedBy, invalid }: EditorProps<PersonName>) {
  return (
    <div className="flex flex-col gap-2 sm:flex-row">
      <input
        id={id}
        aria-label="First name"
        autoComplete="off"
        value={draft.firstName}
        onChange={(event) => setDraft({ ...draft, firstName: event.target.value })}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        className={inputClass(invalid, "h-10 text-base font-semibold")}
      />
      <input
        aria-label="Last name"
        autoComplete="off"
        value={draft.lastName}
        onChange={(event) => setDraft({ ...draft, lastName: event.target.value })}
        aria-describedby={describedBy}
        className={inputClass(false, "h-10 text-base font-semibold")}
      />
    </div>
  );
}

/** An amount typed in major units next to its currency code. */
export interface MoneyDraft {
  amount: string;
  currency: string;
}

export function MoneyEditor({ id, draft, setDraft, describedBy, invalid }: EditorProps<MoneyDraft>) {
  return (
    <div className="flex gap-2">
      <input
        id={id}
        aria-label="Amount"
        inputMode="decimal"
        autoComplete="off"
        value={draft.amount}
        onChange={(event) => setDraft({ ...draft, amount: event.target.value })}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        className={`${inputClass(invalid)} min-w-0 flex-1 tabular-nums`}
      />
      <input
        aria-label="Currency"
        autoComplete="off"
        maxLength={3}
        value={draft.currency}
        onChange={(event) => setDraft({ ...draft, currency: event.target.value.toUpperCase() })}
        aria-describedby={describedBy}
        className={`${inputClass(false)} w-20 uppercase`}
      />
    </div>
  );
}
