"use client";

import { createContactInput, updateContactInput } from "@nexo/crm/schemas";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { Button } from "~/components/button";
import { Dialog } from "~/components/dialog";
import { FormAlert, TextAreaField, TextField } from "~/components/field";
import { useToast } from "~/components/toast";
import { type FormErrors, fromApiError, mergeErrors } from "~/forms/errors";
import { useValidatedSubmit } from "~/forms/use-validated-submit";
import { useTRPC } from "~/trpc/react";
import type { Contact } from "~/trpc/types";
import { fullName } from "./contact-name";

interface ContactFormDialogProps {
  open: boolean;
  /** The contact to edit; null creates a new one. */
  contact: Contact | null;
  onClose: () => void;
}

export function ContactFormDialog({ open, contact, onClose }: ContactFormDialogProps) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={contact ? "Edit contact" : "New contact"}
      description={contact ? `Update the details for ${fullName(contact)}.` : "Only a first name is required."}
    >
      {contact ? (
        <EditContactForm key={contact.id} contact={contact} onDone={onClose} />
      ) : (
        <CreateContactForm onDone={onClose} />
      )}
    </Dialog>
  );
}

/** Refetches every contact list (all searches, all loaded pages) so the change shows everywhere. */
function useRefreshContacts() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries(trpc.crm.contacts.pathFilter());
}

function CreateContactForm({ onDone }: { onDone: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshContacts();
  const toast = useToast();
  const create = useMutation(
    trpc.crm.contacts.create.mutationOptions({
      // The dialog closes once the list shows the new contact, not before.
      onSuccess: async (created) => {
        await refresh();
        toast(`${fullName(created)} was added.`);
        onDone();
      },
    }),
  );
  const { clientErrors, onSubmit } = useValidatedSubmit({
    schema: createContactInput,
    onValid: (data) => create.mutate(data),
    onInvalid: () => create.reset(),
  });

  return (
    <ContactFields
      errors={mergeErrors(clientErrors, fromApiError(create.error))}
      pending={create.isPending}
      submitLabel="Add contact"
      onSubmit={onSubmit}
      onCancel={onDone}
    />
  );
}

function EditContactForm({ contact, onDone }: { contact: Contact; onDone: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshContacts();
  const toast = useToast();
  const update = useMutation(
    trpc.crm.contacts.update.mutationOptions({
      onSuccess: async () => {
        await refresh();
        toast("Changes saved.");
        onDone();
      },
    }),
  );
  const { clientErrors, onSubmit } = useValidatedSubmit({
    schema: updateContactInput,
    onValid: (data) => update.mutate(data),
    onInvalid: () => update.reset(),
  });

  return (
    <ContactFields
      contact={contact}
      errors={mergeErrors(clientErrors, fromApiError(update.error))}
      pending={update.isPending}
      submitLabel="Save changes"
      onSubmit={onSubmit}
      onCancel={onDone}
    />
  );
}

interface ContactFieldsProps {
  contact?: Contact;
  errors: FormErrors;
  pending: boolean;
  submitLabel: string;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  onCancel: () => void;
}

function ContactFields({ contact, errors, pending, submitLabel, onSubmit, onCancel }: ContactFieldsProps) {
  const { fields } = errors;
  return (
    <form noValidate onSubmit={onSubmit} aria-label={contact ? "Edit contact" : "New contact"}>
      {contact ? <input type="hidden" name="id" value={contact.id} /> : null}
      <div className="grid grid-cols-2 gap-x-3 gap-y-1 sm:gap-x-4">
        <TextField
          label="First name"
          name="firstName"
          autoComplete="off"
          required
          autoFocus
          defaultValue={contact?.firstName}
          error={fields.firstName}
        />
        <TextField
          label="Last name"
          name="lastName"
          autoComplete="off"
          optional
          defaultValue={contact?.lastName}
          error={fields.lastName}
        />
        <div className="col-span-2 sm:col-span-1">
          <TextField
            label="Email"
            name="email"
            type="email"
            inputMode="email"
            autoComplete="off"
            optional
            defaultValue={contact?.email ?? ""}
            error={fields.email}
          />
        </div>
        <div className="col-span-2 sm:col-span-1">
          <TextField
            label="Phone"
            name="phone"
            type="tel"
            autoComplete="off"
            optional
            defaultValue={contact?.phone ?? ""}
            error={fields.phone}
          />
        </div>
        <div className="col-span-2">
          <TextField
            label="Job title"
            name="jobTitle"
            autoComplete="off"
            optional
            defaultValue={contact?.jobTitle ?? ""}
            error={fields.jobTitle}
          />
        </div>
        <div className="col-span-2">
          <TextAreaField
            label="Notes"
            name="notes"
            rows={3}
            optional
            defaultValue={contact?.notes ?? ""}
            error={fields.notes}
          />
        </div>
      </div>
      <FormAlert message={errors.form} />
      <div className="mt-4 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button variant="secondary" onClick={onCancel} disabled={pending}>
          Cancel
        </Button>
        <Button type="submit" pending={pending}>
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}
