"use client";

import { useQuery } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useId, useState } from "react";
import { Button } from "~/components/button";
import { EmptyState } from "~/components/empty-state";
import { useOpenOnNewParam } from "~/hooks/use-new-param";
import { usePermissions } from "~/hooks/use-permissions";
import { useTRPC } from "~/trpc/react";
import { BoardHeading, BoardSkeleton } from "./board-layout";
import { type Pipeline, pickPipeline } from "./board-model";
import { boardQuery } from "./board-query";
import { DealFormDialog } from "./deal-form-dialog";
import { Kanban } from "./kanban";
import { ManageStagesDialog } from "./manage-stages-dialog";
import { PipelineDialog } from "./pipeline-dialog";

type DialogState = { kind: "deal"; stageId: string | null } | { kind: "stages" } | { kind: "pipeline" } | null;

export function BoardView() {
  const trpc = useTRPC();
  const searchParams = useSearchParams();
  const { can, organization } = usePermissions();
  const canWrite = can("deals.write");
  const canManage = can("pipelines.manage");
  const [dialog, setDialog] = useState<DialogState>(null);
  const pipelines = useQuery(trpc.crm.pipelines.list.queryOptions());
  const all = pipelines.data ?? [];
  const pipeline = pickPipeline(all, searchParams.get("pipeline"));

  // The pipeline lives in the URL (?pipeline=) so a reload or a shared link shows the same board;
  // pushState changes it without a server round trip (the board query fetches what is missing).
  function choosePipeline(id: string) {
    const url = new URL(window.location.href);
    url.searchParams.set("pipeline", id);
    window.history.pushState(null, "", url);
  }

  const openNewDeal = (stageId: string | null = null) => setDialog({ kind: "deal", stageId });

  // "New deal" from the command palette: the form opens once the board can take a deal.
  const canOpenNew = canWrite && pipeline !== null && pipeline.stages.length > 0;
  useOpenOnNewParam(() => setDialog({ kind: "deal", stageId: null }), organization ? canOpenNew : undefined);

  return (
    <div className="px-4 py-6 sm:px-6 sm:py-8">
      <BoardHeading
        actions={
          canWrite && pipeline && pipeline.stages.length > 0 ? (
            <Button onClick={() => openNewDeal()}>
              <PlusIcon />
              New deal
            </Button>
          ) : null
        }
      />

      {pipelines.isError ? (
        <div role="alert" className="mt-6 rounded-xl border border-red-200 bg-red-50 p-6 text-center">
          <p className="text-sm text-red-700">We couldn’t load your pipelines. {pipelines.error.message}</p>
          <Button variant="secondary" className="mt-4" onClick={() => pipelines.refetch()}>
            Try again
          </Button>
        </div>
      ) : pipeline === null ? (
        pipelines.isPending ? (
          <BoardSkeleton />
        ) : (
          <NoPipelines className="mt-6" onCreate={canManage ? () => setDialog({ kind: "pipeline" }) : null} />
        )
      ) : (
        <>
          <div className="mt-6 flex min-h-10 flex-wrap items-center gap-2">
            <PipelinePicker pipelines={all} value={pipeline.id} onChange={choosePipeline} />
            {canManage ? (
              <>
                <Button variant="secondary" onClick={() => setDialog({ kind: "stages" })}>
                  <StagesIcon />
                  Manage stages
                </Button>
                <Button variant="ghost" onClick={() => setDialog({ kind: "pipeline" })}>
                  <PlusIcon />
                  New pipeline
                </Button>
              </>
            ) : null}
          </div>
          <PipelineBoard
            key={pipeline.id}
            pipeline={pipeline}
            canWrite={canWrite}
            canManage={canManage}
            onNewDeal={openNewDeal}
            onManageStages={() => setDialog({ kind: "stages" })}
          />
          <DealFormDialog
            open={dialog?.kind === "deal"}
            pipeline={pipeline}
            initialStageId={dialog?.kind === "deal" ? dialog.stageId : null}
            onClose={() => setDialog(null)}
          />
          <ManageStagesDialog open={dialog?.kind === "stages"} pipeline={pipeline} onClose={() => setDialog(null)} />
        </>
      )}
      <PipelineDialog
        open={dialog?.kind === "pipeline"}
        onClose={() => setDialog(null)}
        onCreated={(created) => choosePipeline(created.id)}
      />
    </div>
  );
}

function PipelineBoard({
  pipeline,
  canWrite,
  canManage,
  onNewDeal,
  onManageStages,
}: {
  pipeline: Pipeline;
  canWrite: boolean;
  canManage: boolean;
  onNewDeal: (stageId?: string | null) => void;
  onManageStages: () => void;
}) {
  const trpc = useTRPC();
  const board = useQuery(boardQuery(trpc, pipeline.id));

  if (board.isPending) return <BoardSkeleton columns={Math.max(1, Math.min(pipeline.stages.length, 6))} />;
  if (board.isError) {
    return (
      <div role="alert" className="mt-4 rounded-xl border border-red-200 bg-red-50 p-6 text-center">
        <p className="text-sm text-red-700">We couldn’t load this board. {board.error.message}</p>
        <Button variant="secondary" className="mt-4" onClick={() => board.refetch()}>
          Try again
        </Button>
      </div>
    );
  }
  if (board.data.stages.length === 0) {
    return (
      <EmptyState
        className="mt-4"
        title="This pipeline has no stages yet"
        description={
          canManage
            ? "Add the steps your deals go through, such as Lead, Proposal and Won."
            : "An admin of your organization can add its stages."
        }
        action={canManage ? <Button onClick={onManageStages}>Add stages</Button> : null}
      />
    );
  }
  if (board.data.stages.every((stage) => stage.count === 0)) {
    return (
      <EmptyState
        className="mt-4"
        icon={<DealIcon />}
        title={`No deals in ${pipeline.name} yet`}
        description={
          canWrite
            ? "Add a deal to start tracking it from first contact to a signed contract."
            : "Deals your team adds appear here. Your role lets you see them, not change them."
        }
        action={
          canWrite ? (
            <Button onClick={() => onNewDeal()}>
              <PlusIcon />
              Add a deal
            </Button>
          ) : null
        }
      />
    );
  }
  return <Kanban board={board.data} canWrite={canWrite} onNewDeal={onNewDeal} />;
}

function PipelinePicker({
  pipelines,
  value,
  onChange,
}: {
  pipelines: Pipeline[];
  value: string;
  onChange: (id: string) => void;
}) {
  const id = useId();
  const current = pipelines.find((p) => p.id === value);
  if (pipelines.length < 2) {
    return <h2 className="mr-2 text-base font-semibold text-slate-900">{current?.name}</h2>;
  }
  return (
    <div className="mr-2 flex items-center gap-2">
      <h2 className="sr-only">{current?.name}</h2>
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        Pipeline
      </label>
      <select
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        className="block h-10 min-w-40 rounded-lg border border-slate-300 bg-white px-3 text-sm text-slate-900 shadow-sm focus:outline-2 focus:-outline-offset-1 focus:outline-indigo-600"
      >
        {pipelines.map((pipeline) => (
          <option key={pipeline.id} value={pipeline.id}>
            {pipeline.name}
          </option>
        ))}
      </select>
    </div>
  );
}

function NoPipelines({ onCreate, className }: { onCreate: (() => void) | null; className: string }) {
  return (
    <EmptyState
      className={className}
      icon={<StagesIcon />}
      title="Set up your first pipeline"
      description={
        onCreate
          ? "A pipeline is the series of stages your deals go through. We’ll start you with Lead, Qualified, Proposal, Negotiation, Won and Lost; you can change them any time."
          : "Deals live in pipelines, and your organization has none yet. Ask an owner or admin to create one."
      }
      action={
        onCreate ? (
          <Button onClick={onCreate}>
            <PlusIcon />
            Create a pipeline
          </Button>
        ) : null
      }
    />
  );
}

export function PlusIcon() {
  return (
    <svg className="-ml-0.5 size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
      <path d="M10.75 4.75a.75.75 0 0 0-1.5 0v4.5h-4.5a.75.75 0 0 0 0 1.5h4.5v4.5a.75.75 0 0 0 1.5 0v-4.5h4.5a.75.75 0 0 0 0-1.5h-4.5v-4.5Z" />
    </svg>
  );
}

function StagesIcon() {
  return (
    <svg className="-ml-0.5 size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
      <path d="M2 4.75A.75.75 0 0 1 2.75 4h3.5a.75.75 0 0 1 .75.75v10.5a.75.75 0 0 1-.75.75h-3.5A.75.75 0 0 1 2 15.25V4.75Zm6 0A.75.75 0 0 1 8.75 4h3.5a.75.75 0 0 1 .75.75v7.5a.75.75 0 0 1-.75.75h-3.5A.75.75 0 0 1 8 12.25v-7.5Zm6.75-.75a.75.75 0 0 0-.75.75v4.5c0 .41.34.75.75.75h2.5a.75.75 0 0 0 .75-.75v-4.5a.75.75 0 0 0-.75-.75h-2.5Z" />
    </svg>
  );
}

function DealIcon() {
  return (
    <svg className="size-5" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
      <path
        fillRule="evenodd"
        d="M6 3.75A2.75 2.75 0 0 1 8.75 1h2.5A2.75 2.75 0 0 1 14 3.75v.44c.79.08 1.57.18 2.35.3A2.3 2.3 0 0 1 18.25 6.8v3.03c0 .92-.55 1.77-1.43 2.08A23.7 23.7 0 0 1 10 13c-2.4 0-4.7-.36-6.82-1.09A2.2 2.2 0 0 1 1.75 9.83V6.8c0-1.14.84-2.14 1.9-2.31.78-.12 1.56-.22 2.35-.3v-.44Zm6.5 0v.33a49 49 0 0 0-5 0v-.33c0-.69.56-1.25 1.25-1.25h2.5c.69 0 1.25.56 1.25 1.25ZM10 10a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z"
        clipRule="evenodd"
      />
      <path d="M3 15.06v-1.74c2.2.67 4.56 1.03 7 1.03s4.8-.36 7-1.03v1.74c0 1.13-.8 2.1-1.9 2.29-1.66.28-3.36.43-5.1.43s-3.44-.15-5.1-.43A2.3 2.3 0 0 1 3 15.06Z" />
    </svg>
  );
}
