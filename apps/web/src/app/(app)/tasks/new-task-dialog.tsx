"use client";

import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Dialog } from "~/components/dialog";
import { ActivityForm } from "~/components/records/activity-form";
import { type RecordKind, type RecordRef, RecordSearchField } from "~/components/records/record-picker";
import { useToast } from "~/components/toast";
import { useTRPC } from "~/trpc/react";

const TARGET_KEY: Record<RecordKind, "contactId" | "companyId" | "dealId"> = {
  contact: "contactId",
  company: "companyId",
  deal: "dealId",
};

interface NewTaskDialogProps {
  open: boolean;
  defaultAssigneeId: string;
  onClose: () => void;
  onCreated: () => Promise<unknown>;
}

/** A task for oneself or someone else, attached to a contact, company or deal if it is about one. */
export function NewTaskDialog({ open, defaultAssigneeId, onClose, onCreated }: NewTaskDialogProps) {
  const trpc = useTRPC();
  const toast = useToast();
  const create = useMutation(trpc.crm.activities.create.mutationOptions());
  const [kind, setKind] = useState<RecordKind | "">("");
  const [record, setRecord] = useState<RecordRef | null>(null);

  function close() {
    create.reset();
    setKind("");
    setRecord(null);
    onClose();
  }

  return (
    <Dialog open={open} onClose={close} title="New task" description="Only a title is required.">
      <ActivityForm
        kind="task"
        defaultAssigneeId={defaultAssigneeId}
        submitLabel="Add task"
        ariaLabel="New task"
        pending={create.isPending}
        apiError={create.error}
        onCancel={close}
        extraValues={kind && record ? { [TARGET_KEY[kind]]: record.id } : {}}
        extraFields={
          <RelatedRecord
            kind={kind}
            record={record}
            onKindChange={(next) => {
              setKind(next);
              setRecord(null);
            }}
            onRecordChange={setRecord}
          />
        }
        onSubmit={async (input) => {
          try {
            await create.mutateAsync(input as Parameters<typeof create.mutateAsync>[0]);
          } catch {
            return false;
          }
          await onCreated();
          toast("Task added.");
          close();
          return true;
        }}
      />
    </Dialog>
  );
}

function RelatedRecord({
  kind,
  record,
  onKindChange,
  onRecordChange,
}: {
  kind: RecordKind | "";
  record: RecordRef | null;
  onKindChange: (kind: RecordKind | "") => void;
  onRecordChange: (record: RecordRef | null) => void;
}) {
  const id = useId();
  return (
    <div className="pb-5">
      <label htmlFor={id} className="mb-1.5 flex items-baseline justify-between text-sm font-medium text-slate-700">
        Related to
        <span className="text-xs font-normal text-slate-500">Optional</span>
      </label>
      <div className="flex flex-col gap-2 sm:flex-row sm:items-start">
        <select
          id={id}
          value={kind}
          onChange={(event) => onKindChange(event.target.value as RecordKind | "")}
          className="block h-10 rounded-lg border border-slate-300 bg-white px-3 text-sm text-slate-900 shadow-sm focus:outline-2 focus:-outline-offset-1 focus:outline-indigo-600 sm:w-36"
        >
          <option value="">Nothing</option>
          <option value="contact">A contact</option>
          <option value="company">A company</option>
          <option value="deal">A deal</option>
        </select>
        {kind ? <RecordSearchField key={kind} kind={kind} value={record} onChange={onRecordChange} /> : null}
      </div>
    </div>
  );
}
