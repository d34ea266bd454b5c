"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button } from "~/components/button";
import { Dialog } from "~/components/dialog";
import { FormAlert } from "~/components/field";
import { useToast } from "~/components/toast";
import { useTRPC } from "~/trpc/react";
import type { Contact } from "~/trpc/types";
import { fullName } from "./contact-list";

export function DeleteContactDialog({ contact, onClose }: { contact: Contact | null; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const remove = useMutation(
    trpc.crm.contacts.delete.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries(trpc.crm.contacts.pathFilter());
        toast(contact ? `${fullName(contact)} was deleted.` : "Contact deleted.");
        onClose();
      },
    }),
  );
  const name = contact ? fullName(contact) : "";

  function close() {
    remove.reset();
    onClose();
  }

  return (
    <Dialog
      open={contact !== null}
      onClose={close}
      role="alertdialog"
      title={`Delete ${name}?`}
      description="This removes the contact for everyone in your organization. It can’t be undone."
    >
      <FormAlert message={remove.error?.message ?? null} />
      <div className="mt-2 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        {/* Cancel is first in focus order, so Enter right after opening does not delete. */}
        <Button variant="secondary" onClick={close} disabled={remove.isPending} autoFocus>
          Cancel
        </Button>
        <Button
          variant="danger"
          pending={remove.isPending}
          onClick={() => contact && remove.mutate({ id: contact.id })}
        >
          Delete contact
        </Button>
      </div>
    </Dialog>
  );
}
