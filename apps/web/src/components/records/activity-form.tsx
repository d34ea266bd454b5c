"use client";

import { createActivityInput, updateActivityInput } from "@nexo/crm/schemas";
import { type FormEvent, type ReactNode, useState } from "react";
import { Button } from "~/components/button";
import { FormAlert } from "~/components/field";
import {
  type FieldErrors,
  type FormErrors,
  focusFirstInvalid,
  formValues,
  fromApiError,
  fromZodError,
  NO_ERRORS,
} from "~/forms/errors";
import type { ApiError } from "~/trpc/types";
import { type Activity, ActivityFields, type ActivityKind, activityValues, requiredMessages } from "./activity-fields";

/** A due date's message belongs to the date input, which is named for the day it holds. */
function withInputNames(fields: FieldErrors): FieldErrors {
  return fields.dueAt ? { ...fields, dueDate: fields.dueAt } : fields;
}

interface ActivityFormProps {
  kind: ActivityKind;
  /** Where a new activity is attached; absent when editing (the record does not change). */
  target?: { contactId?: string; companyId?: string; dealId?: string } | undefined;
  activity?: Activity | undefined;
  defaultAssigneeId?: string | null;
  submitLabel: string;
  pending: boolean;
  apiError: ApiError | null;
  /** Receives the checked input; resolves true when saved, so the form can be emptied. */
  onSubmit: (input: Record<string, unknown>) => Promise<boolean>;
  onCancel?: () => void;
  /** A task's extra fields (its record, on the tasks page) and the values they hold. */
  extraFields?: ReactNode;
  extraValues?: Record<string, unknown>;
  ariaLabel: string;
}

/** Validates a note, task, call or meeting with the API's own schema before it is sent. */
export function ActivityForm({
  kind,
  target,
  activity,
  defaultAssigneeId = null,
  submitLabel,
  pending,
  apiError,
  onSubmit,
  onCancel,
  extraFields,
  extraValues,
  ariaLabel,
}: ActivityFormProps) {
  const [assigneeId, setAssigneeId] = useState<string | null>(activity ? activity.assigneeId : defaultAssigneeId);
  const [clientErrors, setClientErrors] = useState<FormErrors>(NO_ERRORS);
  const serverErrors = fromApiError(apiError);
  const errors: FormErrors = {
    fields: withInputNames({ ...serverErrors.fields, ...clientErrors.fields }),
    form: clientErrors.form ?? serverErrors.form,
  };

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const values = formValues(form);
    const fail = (found: FormErrors) => {
      const shown = { ...found, fields: withInputNames(found.fields) };
      setClientErrors(shown);
      focusFirstInvalid(form, shown);
    };
    const required = requiredMessages(kind, values);
    if (Object.keys(required).length > 0) return fail({ fields: required, form: null });
    const base = activityValues(kind, values, assigneeId, activity !== undefined);
    const parsed = activity
      ? updateActivityInput.safeParse({ id: activity.id, ...base })
      : createActivityInput.safeParse({ kind, ...target, ...base, ...extraValues });
    if (!parsed.success) return fail(fromZodError(parsed.error));
    setClientErrors(NO_ERRORS);
    const saved = await onSubmit(parsed.data);
    if (saved && !activity) {
      form.reset();
      setAssigneeId(defaultAssigneeId);
    }
  }

  return (
    <form noValidate onSubmit={submit} aria-label={ariaLabel}>
      <ActivityFields
        kind={kind}
        activity={activity}
        errors={errors.fields}
        assigneeId={assigneeId}
        onAssigneeChange={setAssigneeId}
      >
        {extraFields}
      </ActivityFields>
      <FormAlert message={errors.form} />
      <div className="mt-2 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        {onCancel ? (
          <Button variant="secondary" onClick={onCancel} disabled={pending}>
            Cancel
          </Button>
        ) : null}
        <Button type="submit" pending={pending}>
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}
