"use client";

import { type FormEvent, useState } from "react";
import type { z } from "zod";
import { type FormErrors, focusFirstInvalid, formValues, fromZodError, NO_ERRORS } from "./errors";

interface Options<S extends z.ZodType> {
  schema: S;
  onValid: (data: z.output<S>) => void;
  /** Turns the form's strings into the schema's input (numbers, absent optional fields). */
  prepare?: (values: Record<string, string>) => unknown;
  /** Called when the form fails validation, e.g. to drop a stale server error. */
  onInvalid?: () => void;
}

/** Validates a form's fields with a zod schema (the server's own) before anything is sent. */
export function useValidatedSubmit<S extends z.ZodType>({ schema, onValid, onInvalid, prepare }: Options<S>) {
  const [clientErrors, setClientErrors] = useState<FormErrors>(NO_ERRORS);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const values = formValues(form);
    const parsed = schema.safeParse(prepare ? prepare(values) : values);
    if (!parsed.success) {
      const errors = fromZodError(parsed.error);
      setClientErrors(errors);
      onInvalid?.();
      focusFirstInvalid(form, errors);
      return;
    }
    setClientErrors(NO_ERRORS);
    onValid(parsed.data);
  }

  return { clientErrors, onSubmit };
}
