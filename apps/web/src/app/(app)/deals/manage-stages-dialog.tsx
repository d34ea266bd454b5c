"use client";

import { createStageInput, updateStageInput } from "@nexo/crm/schemas";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useId, useState } from "react";
import { Button, focusRing } from "~/components/button";
import { Dialog } from "~/components/dialog";
import { FormAlert } from "~/components/field";
import { useToast } from "~/components/toast";
import { type FieldErrors, fromApiError, fromZodError } from "~/forms/errors";
import { useTRPC } from "~/trpc/react";
import type { Pipeline } from "./board-model";
import { boardQuery } from "./board-query";

type Stage = Pipeline["stages"][number];
type Kind = "open" | "won" | "lost";

const kindOf = (stage: Pick<Stage, "isWon" | "isLost">): Kind => (stage.isWon ? "won" : stage.isLost ? "lost" : "open");
const flagsOf = (kind: Kind) => ({ isWon: kind === "won", isLost: kind === "lost" });

const inputClass =
  "block h-9 w-full rounded-lg border bg-white px-2.5 text-sm text-slate-900 shadow-sm focus:outline-2 focus:-outline-offset-1 focus:outline-indigo-600";

/** Rename, weigh, flag, reorder, add and delete (empty) stages of one pipeline; each change saves at once. */
export function ManageStagesDialog({
  open,
  pipeline,
  onClose,
}: {
  open: boolean;
  pipeline: Pipeline;
  onClose: () => void;
}) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={`Stages of ${pipeline.name}`}
      description="Changes save as you make them. Probability weighs a stage’s value in forecasts; won and lost stages close the deals moved there."
    >
      {open ? <StagesEditor pipeline={pipeline} onClose={onClose} /> : null}
    </Dialog>
  );
}

function useRefresh() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries(trpc.crm.pipelines.pathFilter()),
      queryClient.invalidateQueries(trpc.crm.deals.board.pathFilter()),
      queryClient.invalidateQueries({ ...trpc.crm.dashboard.pathFilter(), refetchType: "none" }),
    ]);
}

function StagesEditor({ pipeline, onClose }: { pipeline: Pipeline; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefresh();
  const toast = useToast();
  const board = useQuery({ ...boardQuery(trpc, pipeline.id), enabled: false });
  const counts = new Map(board.data?.stages.map((s) => [s.id, s.count]) ?? []);
  const stages = pipeline.stages;

  const reorder = useMutation(
    trpc.crm.pipelines.reorderStages.mutationOptions({
      onSuccess: () => refresh(),
      onError: (error) => toast(`The stages weren’t reordered: ${error.message}`, { tone: "error" }),
    }),
  );
  const create = useMutation(trpc.crm.pipelines.createStage.mutationOptions({ onSuccess: () => refresh() }));
  const remove = useMutation(
    trpc.crm.pipelines.deleteStage.mutationOptions({
      onError: (error) => toast(`The stage wasn’t deleted: ${error.message}`, { tone: "error" }),
    }),
  );

  function moveStage(index: number, by: -1 | 1) {
    const ids = stages.map((s) => s.id);
    const [id] = ids.splice(index, 1);
    if (!id) return;
    ids.splice(index + by, 0, id);
    reorder.mutate({ pipelineId: pipeline.id, stageIds: ids });
  }

  function deleteStage(stage: Stage) {
    remove.mutate(
      { id: stage.id },
      {
        onSuccess: async () => {
          await refresh();
          toast(`Stage “${stage.name}” was deleted.`, {
            action: {
              label: "Undo",
              onClick: () =>
                create.mutate(
                  {
                    pipelineId: pipeline.id,
                    name: stage.name,
                    probability: stage.probability,
                    isWon: stage.isWon,
                    isLost: stage.isLost,
                    position: stage.position,
                  },
                  { onError: (error) => toast(`The stage wasn’t restored: ${error.message}`, { tone: "error" }) },
                ),
            },
          });
        },
      },
    );
  }

  return (
    <div>
      <ol className="divide-y divide-slate-100 rounded-xl border border-slate-200" aria-label="Stages">
        {stages.map((stage, index) => (
          <StageRow
            key={`${stage.id}:${stage.name}:${stage.probability}:${kindOf(stage)}`}
            stage={stage}
            dealCount={counts.get(stage.id) ?? null}
            first={index === 0}
            last={index === stages.length - 1}
            busy={reorder.isPending || remove.isPending}
            onMove={(by) => moveStage(index, by)}
            onDelete={() => deleteStage(stage)}
          />
        ))}
        {stages.length === 0 ? (
          <li className="px-3 py-4 text-sm text-slate-500">No stages yet: add the first below.</li>
        ) : null}
      </ol>
      <AddStageForm pipelineId={pipeline.id} />
      <div className="mt-5 flex justify-end">
        <Button variant="secondary" onClick={onClose}>
          Done
        </Button>
      </div>
    </div>
  );
}

interface StageRowProps {
  stage: Stage;
  /** Deals in it that the viewer sees; null while unknown. */
  dealCount: number | null;
  first: boolean;
  last: boolean;
  busy: boolean;
  onMove: (by: -1 | 1) => void;
  onDelete: () => void;
}

function StageRow({ stage, dealCount, first, last, busy, onMove, onDelete }: StageRowProps) {
  const trpc = useTRPC();
  const refresh = useRefresh();
  const id = useId();
  const [errors, setErrors] = useState<FieldErrors>({});
  const update = useMutation(
    trpc.crm.pipelines.updateStage.mutationOptions({
      onSuccess: () => refresh(),
      onError: (error) => setErrors(fromApiError(error).fields),
    }),
  );
  const serverForm =
    update.error && Object.keys(fromApiError(update.error).fields).length === 0 ? update.error.message : null;

  function save(changes: { name?: string; probability?: number; kind?: Kind }) {
    const input = {
      id: stage.id,
      ...(changes.name !== undefined && changes.name.trim() !== stage.name ? { name: changes.name } : {}),
      ...(changes.probability !== undefined && changes.probability !== stage.probability
        ? { probability: changes.probability }
        : {}),
      ...(changes.kind !== undefined && changes.kind !== kindOf(stage) ? flagsOf(changes.kind) : {}),
    };
    if (Object.keys(input).length === 1) return;
    const parsed = updateStageInput.safeParse(input);
    if (!parsed.success) {
      setErrors(fromZodError(parsed.error).fields);
      return;
    }
    setErrors({});
    update.mutate(parsed.data);
  }

  const hasDeals = dealCount !== null && dealCount > 0;
  const message = errors.name ?? errors.probability ?? errors.isLost ?? serverForm;
  return (
    <li className="px-3 py-2" aria-label={stage.name}>
      <div className="flex flex-wrap items-center gap-2 sm:flex-nowrap">
        <div className="flex shrink-0 flex-col">
          <IconButton label={`Move ${stage.name} up`} disabled={first || busy} onClick={() => onMove(-1)}>
            <path d="M10 5.5 5.5 10h9L10 5.5Z" />
          </IconButton>
          <IconButton label={`Move ${stage.name} down`} disabled={last || busy} onClick={() => onMove(1)}>
            <path d="M10 14.5 14.5 10h-9l4.5 4.5Z" />
          </IconButton>
        </div>
        <div className="min-w-0 flex-1">
          <label htmlFor={`${id}-name`} className="sr-only">
            Name of {stage.name}
          </label>
          <input
            id={`${id}-name`}
            defaultValue={stage.name}
            maxLength={100}
            aria-invalid={errors.name ? true : undefined}
            aria-describedby={message ? `${id}-message` : undefined}
            onBlur={(event) => save({ name: event.target.value })}
            onKeyDown={(event) => {
              if (event.key === "Enter") {
                event.preventDefault();
                save({ name: event.currentTarget.value });
              }
            }}
            className={`${inputClass} ${errors.name ? "border-red-400" : "border-slate-300"}`}
          />
        </div>
        <div className="flex w-20 shrink-0 items-center gap-1">
          <label htmlFor={`${id}-probability`} className="sr-only">
            Probability of {stage.name} (percent)
          </label>
          <input
            id={`${id}-probability`}
            type="number"
            inputMode="numeric"
            min={0}
            max={100}
            defaultValue={stage.probability}
            aria-invalid={errors.probability ? true : undefined}
            onBlur={(event) =>
              save({ probability: event.target.value === "" ? Number.NaN : Number(event.target.value) })
            }
            className={`${inputClass} tabular-nums ${errors.probability ? "border-red-400" : "border-slate-300"}`}
          />
          <span aria-hidden="true" className="text-sm text-slate-500">
            %
          </span>
        </div>
        <div className="w-24 shrink-0">
          <label htmlFor={`${id}-kind`} className="sr-only">
            Kind of {stage.name}
          </label>
          <select
            id={`${id}-kind`}
            defaultValue={kindOf(stage)}
            onChange={(event) => save({ kind: event.target.value as Kind })}
            className={`${inputClass} border-slate-300`}
          >
            <option value="open">Open</option>
            <option value="won">Won</option>
            <option value="lost">Lost</option>
          </select>
        </div>
        <Button
          variant="ghost-danger"
          size="sm"
          className="px-2"
          disabled={busy || hasDeals}
          title={hasDeals ? "Move its deals to another stage first" : undefined}
          aria-label={hasDeals ? `Delete ${stage.name} (move its deals first)` : `Delete ${stage.name}`}
          onClick={onDelete}
        >
          <svg className="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
            <path
              fillRule="evenodd"
              d="M8.75 1A2.75 2.75 0 0 0 6 3.75v.44c-.8.08-1.58.18-2.36.3a.75.75 0 1 0 .22 1.49l.15-.02.8 10.4A2.75 2.75 0 0 0 7.55 19h4.9a2.75 2.75 0 0 0 2.74-2.54l.8-10.4.15.02a.75.75 0 0 0 .22-1.49A41 41 0 0 0 14 4.19v-.44A2.75 2.75 0 0 0 11.25 1h-2.5ZM10 4c.84 0 1.67.03 2.5.08v-.33c0-.69-.56-1.25-1.25-1.25h-2.5c-.69 0-1.25.56-1.25 1.25v.33C8.33 4.03 9.16 4 10 4ZM8.58 7.72a.75.75 0 0 0-1.5.06l.3 7.5a.75.75 0 1 0 1.5-.06l-.3-7.5Zm4.34.06a.75.75 0 1 0-1.5-.06l-.3 7.5a.75.75 0 1 0 1.5.06l.3-7.5Z"
              clipRule="evenodd"
            />
          </svg>
        </Button>
      </div>
      {message || update.isPending ? (
        <p id={`${id}-message`} role={message ? "alert" : undefined} className="mt-1 pl-9 text-xs text-red-600">
          {message ?? <span className="text-slate-500">Saving…</span>}
        </p>
      ) : null}
    </li>
  );
}

function AddStageForm({ pipelineId }: { pipelineId: string }) {
  const trpc = useTRPC();
  const refresh = useRefresh();
  const id = useId();
  const [errors, setErrors] = useState<FieldErrors>({});
  const create = useMutation(
    trpc.crm.pipelines.createStage.mutationOptions({
      onError: (error) => setErrors(fromApiError(error).fields),
    }),
  );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const probability = String(data.get("probability") ?? "");
    const parsed = createStageInput.safeParse({
      pipelineId,
      name: data.get("name"),
      probability: probability === "" ? 0 : Number(probability),
      ...flagsOf(String(data.get("kind")) as Kind),
    });
    if (!parsed.success) {
      setErrors(fromZodError(parsed.error).fields);
      return;
    }
    setErrors({});
    create.mutate(parsed.data, {
      onSuccess: async () => {
        await refresh();
        form.reset();
      },
    });
  }

  const formError =
    create.error && Object.keys(fromApiError(create.error).fields).length === 0 ? create.error.message : null;
  return (
    <form noValidate onSubmit={onSubmit} aria-label="Add a stage" className="mt-4">
      <h3 className="text-sm font-semibold text-slate-900">Add a stage</h3>
      <div className="mt-2 flex flex-wrap items-start gap-2 sm:flex-nowrap">
        <div className="min-w-0 flex-1">
          <label htmlFor={`${id}-name`} className="sr-only">
            New stage name
          </label>
          <input
            id={`${id}-name`}
            name="name"
            placeholder="Stage name"
            maxLength={100}
            aria-invalid={errors.name ? true : undefined}
            aria-describedby={`${id}-message`}
            className={`${inputClass} ${errors.name ? "border-red-400" : "border-slate-300"}`}
          />
        </div>
        <div className="flex w-20 shrink-0 items-center gap-1">
          <label htmlFor={`${id}-probability`} className="sr-only">
            New stage probability (percent)
          </label>
          <input
            id={`${id}-probability`}
            name="probability"
            type="number"
            min={0}
            max={100}
            placeholder="0"
            aria-invalid={errors.probability ? true : undefined}
            aria-describedby={`${id}-message`}
            className={`${inputClass} ${errors.probability ? "border-red-400" : "border-slate-300"}`}
          />
          <span aria-hidden="true" className="text-sm text-slate-500">
            %
          </span>
        </div>
        <div className="w-24 shrink-0">
          <label htmlFor={`${id}-kind`} className="sr-only">
            New stage kind
          </label>
          <select id={`${id}-kind`} name="kind" defaultValue="open" className={`${inputClass} border-slate-300`}>
            <option value="open">Open</option>
            <option value="won">Won</option>
            <option value="lost">Lost</option>
          </select>
        </div>
        <Button type="submit" size="sm" className="h-9" pending={create.isPending}>
          Add
        </Button>
      </div>
      <p id={`${id}-message`} className="mt-1 min-h-4 text-xs text-red-600">
        {errors.name ?? errors.probability ?? errors.isLost}
      </p>
      <FormAlert message={formError} />
    </form>
  );
}

function IconButton({
  label,
  disabled,
  onClick,
  children,
}: {
  label: string;
  disabled: boolean;
  onClick: () => void;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      aria-label={label}
      disabled={disabled}
      onClick={onClick}
      className={`flex h-5 w-7 items-center justify-center rounded text-slate-500 hover:bg-slate-100 hover:text-slate-900 disabled:text-slate-300 ${focusRing}`}
    >
      <svg className="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
        {children}
      </svg>
    </button>
  );
}
