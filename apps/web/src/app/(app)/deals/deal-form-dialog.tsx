"use client";

import { createDealInput } from "@nexo/crm/schemas";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "~/components/button";
import { Dialog } from "~/components/dialog";
import { FormAlert, SelectField, TextField } from "~/components/field";
import { MemberSelect } from "~/components/member-select";
import { useToast } from "~/components/toast";
import { fromApiError, mergeErrors } from "~/forms/errors";
import { useValidatedSubmit } from "~/forms/use-validated-submit";
import { parseMoney } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import type { Board, Pipeline } from "./board-model";
import { boardQuery } from "./board-query";
import { type CompanyChoice, CompanyCombobox } from "./company-combobox";

interface DealFormDialogProps {
  open: boolean;
  pipeline: Pipeline;
  /** The column whose "+" opened the form; else the first open stage. */
  initialStageId: string | null;
  onClose: () => void;
}

export function DealFormDialog({ open, pipeline, initialStageId, onClose }: DealFormDialogProps) {
  return (
    <Dialog open={open} onClose={onClose} title="New deal" description={`Add a deal to ${pipeline.name}.`}>
      {open ? <NewDealForm pipeline={pipeline} initialStageId={initialStageId} onDone={onClose} /> : null}
    </Dialog>
  );
}

/** The currency most deals on the board use, so most people never change it. */
function boardCurrency(board: Board | undefined): string {
  const counts = new Map<string, number>();
  for (const stage of board?.stages ?? [])
    for (const deal of stage.deals) counts.set(deal.currency, (counts.get(deal.currency) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "EUR";
}

function NewDealForm({
  pipeline,
  initialStageId,
  onDone,
}: {
  pipeline: Pipeline;
  initialStageId: string | null;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const board = useQuery({ ...boardQuery(trpc, pipeline.id), enabled: false });
  const members = useQuery(trpc.auth.members.list.queryOptions(undefined, { staleTime: 60_000 }));
  const me = members.data?.find((member) => member.isYou)?.userId ?? null;
  const [ownerId, setOwnerId] = useState<string | null>(null);
  const [company, setCompany] = useState<CompanyChoice | null>(null);
  const defaultStage =
    pipeline.stages.find((s) => s.id === initialStageId) ??
    pipeline.stages.find((s) => !s.isWon && !s.isLost) ??
    pipeline.stages[0];

  const create = useMutation(
    trpc.crm.deals.create.mutationOptions({
      // The dialog closes once the board shows the new deal, not before.
      onSuccess: async (deal) => {
        await queryClient.invalidateQueries(trpc.crm.deals.board.pathFilter());
        void queryClient.invalidateQueries({ ...trpc.crm.deals.list.pathFilter(), refetchType: "none" });
        void queryClient.invalidateQueries({ ...trpc.crm.dashboard.pathFilter(), refetchType: "none" });
        toast(`“${deal.title}” was added.`);
        onDone();
      },
    }),
  );
  const { clientErrors, onSubmit } = useValidatedSubmit({
    schema: createDealInput,
    prepare: (values) => {
      const currency = (values.currency ?? "").trim().toUpperCase();
      const amount = (values.amount ?? "").trim();
      const parsed = amount === "" ? 0 : /^[A-Z]{3}$/.test(currency) ? parseMoney(amount, currency) : 0;
      return {
        title: values.title,
        amountMinor: parsed ?? Number.NaN,
        currency,
        stageId: values.stageId,
        expectedCloseDate: values.expectedCloseDate || null,
        ownerId: ownerId ?? me,
        companyId: company?.id ?? null,
      };
    },
    onValid: (data) => create.mutate(data),
    onInvalid: () => create.reset(),
  });
  const { fields, form } = mergeErrors(clientErrors, fromApiError(create.error));

  return (
    <form noValidate onSubmit={onSubmit} aria-label="New deal">
      <div className="grid grid-cols-2 gap-x-3 gap-y-1 sm:gap-x-4">
        <div className="col-span-2">
          <TextField label="Title" name="title" autoComplete="off" required autoFocus error={fields.title} />
        </div>
        <TextField
          label="Amount"
          name="amount"
          inputMode="decimal"
          autoComplete="off"
          placeholder="0.00"
          optional
          error={fields.amountMinor}
        />
        <TextField
          label="Currency"
          name="currency"
          autoComplete="off"
          defaultValue={boardCurrency(board.data)}
          maxLength={3}
          className="uppercase"
          hint="Three letters, e.g. EUR"
          error={fields.currency}
        />
        <div className="col-span-2 sm:col-span-1">
          <SelectField label="Stage" name="stageId" defaultValue={defaultStage?.id} error={fields.stageId}>
            {pipeline.stages.map((stage) => (
              <option key={stage.id} value={stage.id}>
                {stage.name}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="col-span-2 sm:col-span-1">
          <TextField
            label="Expected close"
            name="expectedCloseDate"
            type="date"
            optional
            error={fields.expectedCloseDate}
          />
        </div>
        <div className="col-span-2 sm:col-span-1">
          <CompanyCombobox
            label="Company"
            name="companyId"
            value={company}
            onChange={setCompany}
            error={fields.companyId}
          />
        </div>
        <div className="col-span-2 sm:col-span-1">
          <MemberSelect label="Owner" value={ownerId ?? me} onChange={setOwnerId} error={fields.ownerId} />
        </div>
      </div>
      <FormAlert message={form} />
      <div className="mt-4 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button variant="secondary" onClick={onDone} disabled={create.isPending}>
          Cancel
        </Button>
        <Button type="submit" pending={create.isPending}>
          Add deal
        </Button>
      </div>
    </form>
  );
}
