import { z } from "zod";
import type { ApiError } from "~/trpc/types";

/** The first message for each field that has one. */
export type FieldErrors = Partial<Record<string, string>>;

export interface FormErrors {
  fields: FieldErrors;
  /** A message about the whole form (wrong password, email taken, outage). */
  form: string | null;
}

export const NO_ERRORS: FormErrors = { fields: {}, form: null };

function firstMessages(fieldErrors: Record<string, string[] | undefined>): FieldErrors {
  const fields: FieldErrors = {};
  for (const [name, messages] of Object.entries(fieldErrors)) {
    if (messages?.[0]) fields[name] = messages[0];
  }
  return fields;
}

export function fromZodError(error: z.ZodError): FormErrors {
  const flat = z.flattenError(error);
  return { fields: firstMessages(flat.fieldErrors), form: flat.formErrors[0] ?? null };
}

/**
 * The server validates with the same schemas, so its BAD_REQUEST carries the same per-field
 * messages; every other failure is about the form as a whole.
 */
export function fromApiError(error: ApiError | null): FormErrors {
  if (!error) return NO_ERRORS;
  const zodError = error.data?.zodError;
  if (zodError) {
    const fields = firstMessages(zodError.fieldErrors);
    const form = zodError.formErrors[0] ?? (Object.keys(fields).length === 0 ? error.message : null);
    return { fields, form };
  }
  return { fields: {}, form: error.message };
}

/** Client-side errors win: they describe what is in the form now. */
export function mergeErrors(client: FormErrors, server: FormErrors): FormErrors {
  return { fields: { ...server.fields, ...client.fields }, form: client.form ?? server.form };
}

/** Moves focus to the first field with an error, so keyboard and screen reader users land on it. */
export function focusFirstInvalid(form: HTMLFormElement, errors: FormErrors) {
  for (const element of Array.from(form.elements)) {
    if (element instanceof HTMLElement && "name" in element && errors.fields[String(element.name)]) {
      element.focus();
      return;
    }
  }
}

export function formValues(form: HTMLFormElement): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of new FormData(form)) {
    if (typeof value === "string") values[name] = value;
  }
  return values;
}
