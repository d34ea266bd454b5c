"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { focusRing } from "~/components/button";
import { EmptyState } from "~/components/empty-state";
import { Skeleton } from "~/components/skeleton";
import { usePermissions } from "~/hooks/use-permissions";
import { useTRPC } from "~/trpc/react";
import { countRows } from "./csv-file";
import {
  type DedupeMode,
  type DryRun,
  type ImportKind,
  ImportRequestError,
  importKinds,
  type Mapping,
  uploadCsv,
} from "./import-client";
import { KINDS } from "./kinds";
import { MappingStep } from "./mapping-step";
import { PREVIEW_ROWS, PreviewStep } from "./preview-step";
import { RecentImports } from "./recent-imports";
import { RunStep } from "./run-step";
import { SummaryStep } from "./summary-step";
import { type ChosenFile, UploadStep } from "./upload-step";

type WizardState =
  | { step: "upload" }
  | { step: "map"; file: ChosenFile; dryRun: DryRun; mapping: Mapping }
  | { step: "preview"; file: ChosenFile; mapping: Mapping; dedupe: DedupeMode; dryRun: DryRun }
  | { step: "run"; file: ChosenFile; uploadId: string; startedAt: number }
  | { step: "summary"; jobId: string; error: string | null };

const STEPS = [
  { id: "upload", label: "Upload" },
  { id: "map", label: "Map columns" },
  { id: "preview", label: "Preview" },
  { id: "run", label: "Import" },
  { id: "summary", label: "Summary" },
] as const;

/** Every column named, with null for the ones not imported: the server guesses nothing then. */
function fullMapping(headers: string[], mapping: Mapping): Mapping {
  return Object.fromEntries(headers.map((header) => [header, mapping[header] ?? null]));
}

export function ImportView({ kind }: { kind: ImportKind }) {
  const { organization, can } = usePermissions();
  if (organization && !can("import.run")) {
    return (
      <Page kind={kind}>
        <EmptyState
          className="mt-6"
          title="Your role cannot import"
          description={`Importing adds records for the whole team, which your role (${organization.role}) does not allow. Ask an owner or admin to import the file, or to change your role.`}
        />
      </Page>
    );
  }
  return <ImportWizard kind={kind} />;
}

function ImportWizard({ kind }: { kind: ImportKind }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const fields = useQuery(trpc.crm.imports.fields.queryOptions({ kind }));
  const [state, setState] = useState<WizardState>({ step: "upload" });
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [totalRows, setTotalRows] = useState<number | null>(null);
  const upload = useRef<AbortController | null>(null);
  const file = state.step === "map" || state.step === "preview" || state.step === "run" ? state.file : null;

  // The rows are counted while the person maps and previews, for the progress bar.
  useEffect(() => {
    setTotalRows(null);
    if (!file) return;
    const counting = new AbortController();
    countRows(file.file, counting.signal).then(setTotalRows, () => {});
    return () => counting.abort();
  }, [file]);

  // Leaving the page stops an import that is still uploading: say so before it happens.
  useEffect(() => {
    if (state.step !== "run") return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [state.step]);
  useEffect(() => () => upload.current?.abort(), []);

  // A new step starts at the top, and keyboard and screen reader users are taken to its title.
  const stepBox = useRef<HTMLDivElement>(null);
  const shownStep = useRef(state.step);
  useEffect(() => {
    if (shownStep.current === state.step) return;
    shownStep.current = state.step;
    window.scrollTo({ top: 0 });
    stepBox.current?.querySelector<HTMLElement>("[data-step-title]")?.focus({ preventScroll: true });
  }, [state.step]);

  const failed = (e: unknown) => setError(e instanceof Error ? e.message : "Something went wrong; please try again.");

  async function preview(chosen: ChosenFile, mapping: Mapping, dedupe: DedupeMode) {
    setPending(true);
    setError(null);
    try {
      const dryRun = await uploadCsv(kind, chosen.head, {
        dryRun: true,
        mapping,
        dedupe,
        previewRows: PREVIEW_ROWS,
      });
      setState({ step: "preview", file: chosen, mapping, dedupe, dryRun });
    } catch (e) {
      failed(e);
    } finally {
      setPending(false);
    }
  }

  function run(chosen: ChosenFile, mapping: Mapping, dedupe: DedupeMode) {
    const controller = new AbortController();
    upload.current = controller;
    const uploadId = `web-${crypto.randomUUID()}`;
    setError(null);
    setState({ step: "run", file: chosen, uploadId, startedAt: Date.now() });
    uploadCsv(kind, chosen.file, { mapping, dedupe, uploadId, signal: controller.signal })
      .then(
        ({ jobId }) => ({ jobId, error: null }),
        (e: unknown) => {
          if (e instanceof ImportRequestError) return { jobId: e.jobId, error: e.message };
          // Stopped here: the job (found by its upload id) says what was committed.
          return { jobId: null, error: controller.signal.aborted ? "You stopped the import." : String(e) };
        },
      )
      .then(async ({ jobId, error: message }) => {
        upload.current = null;
        const id =
          jobId ??
          // Asked afresh: the progress poll may have cached "no job yet" a moment ago.
          (
            await queryClient.fetchQuery({
              ...trpc.crm.imports.list.queryOptions({ uploadId, limit: 1 }),
              staleTime: 0,
            })
          ).items[0]?.id;
        await queryClient.invalidateQueries(trpc.crm.pathFilter());
        if (id) setState({ step: "summary", jobId: id, error: message });
        else {
          // Refused before any job began (e.g. the file changed since the preview): back to the preview.
          setState({ step: "upload" });
          setError(message ?? "The import did not start.");
        }
      })
      .catch(failed);
  }

  const restart = () => {
    setError(null);
    setState({ step: "upload" });
  };

  return (
    <Page kind={kind} locked={state.step === "run"}>
      <Stepper current={state.step} />
      <div ref={stepBox} className="mt-6">
        {fields.isPending ? (
          <WizardSkeleton />
        ) : fields.isError ? (
          <p role="alert" className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-700">
            We couldn’t load what can be imported. {fields.error.message}
          </p>
        ) : state.step === "upload" ? (
          <>
            <UploadStep
              kind={kind}
              maxBytes={fields.data.maxBytes}
              targets={fields.data.targets}
              initialError={error}
              onUploaded={(chosen, dryRun) => {
                setError(null);
                setState({ step: "map", file: chosen, dryRun, mapping: dryRun.mapping });
              }}
            />
            <RecentImports />
          </>
        ) : state.step === "map" ? (
          <MappingStep
            kind={kind}
            targets={fields.data.targets}
            headers={state.dryRun.headers}
            samples={state.file.samples}
            suggested={state.dryRun.mapping}
            mapping={state.mapping}
            fileName={state.file.file.name}
            totalRows={totalRows}
            pending={pending}
            error={error}
            onChange={(mapping) => setState({ ...state, mapping })}
            onBack={restart}
            onNext={() => preview(state.file, fullMapping(state.dryRun.headers, state.mapping), "skip")}
          />
        ) : state.step === "preview" ? (
          <PreviewStep
            kind={kind}
            targets={fields.data.targets}
            dryRun={state.dryRun}
            mapping={state.mapping}
            dedupe={state.dedupe}
            totalRows={totalRows}
            pending={pending}
            error={error}
            onDedupe={(dedupe) => preview(state.file, state.mapping, dedupe)}
            onBack={() => setState({ step: "map", file: state.file, dryRun: state.dryRun, mapping: state.mapping })}
            onRun={() => run(state.file, state.mapping, state.dedupe)}
          />
        ) : state.step === "run" ? (
          <RunStep
            kind={kind}
            uploadId={state.uploadId}
            fileName={state.file.file.name}
            totalRows={totalRows}
            onStop={() => upload.current?.abort()}
          />
        ) : (
          <SummaryStep kind={kind} jobId={state.jobId} error={state.error} onAgain={restart} />
        )}
      </div>
    </Page>
  );
}

function Page({ kind, locked = false, children }: { kind: ImportKind; locked?: boolean; children: React.ReactNode }) {
  return (
    <div className="mx-auto max-w-6xl px-4 py-6 sm:px-6 sm:py-8">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">
            Import {KINDS[kind].label.toLowerCase()}
          </h1>
          <p className="mt-1 text-sm text-slate-600">
            Bring {KINDS[kind].label.toLowerCase()} in from a CSV file: map its columns, check a preview, then import.
          </p>
        </div>
        <KindSwitch kind={kind} locked={locked} />
      </div>
      {children}
    </div>
  );
}

/** Which kind of record to import; links, so the choice is in the URL. Locked while an import runs. */
function KindSwitch({ kind, locked }: { kind: ImportKind; locked: boolean }) {
  return (
    <nav aria-label="What to import" className="inline-flex rounded-lg border border-slate-200 bg-slate-100 p-0.5">
      {importKinds.map((k) =>
        locked && k !== kind ? (
          <span key={k} aria-disabled="true" className="rounded-md px-3 py-1.5 text-sm text-slate-400">
            {KINDS[k].label}
          </span>
        ) : (
          <Link
            key={k}
            href={{ pathname: "/import", query: { kind: k } }}
            aria-current={k === kind ? "page" : undefined}
            className={`rounded-md px-3 py-1.5 text-sm font-medium text-slate-600 hover:text-slate-900 aria-[current=page]:bg-white aria-[current=page]:text-slate-900 aria-[current=page]:shadow-sm ${focusRing}`}
          >
            {KINDS[k].label}
          </Link>
        ),
      )}
    </nav>
  );
}

function Stepper({ current }: { current: WizardState["step"] }) {
  const index = STEPS.findIndex((s) => s.id === current);
  return (
    <ol aria-label="Import steps" className="mt-6 flex flex-wrap items-center gap-x-2 gap-y-2 text-sm">
      {STEPS.map((step, i) => {
        const state = i < index ? "done" : i === index ? "current" : "todo";
        return (
          <li key={step.id} aria-current={state === "current" ? "step" : undefined} className="flex items-center gap-2">
            <span
              className={`flex size-6 items-center justify-center rounded-full text-xs font-semibold ${
                state === "done"
                  ? "bg-indigo-600 text-white"
                  : state === "current"
                    ? "bg-indigo-50 text-indigo-700 ring-2 ring-indigo-600"
                    : "bg-slate-100 text-slate-500"
              }`}
            >
              {state === "done" ? (
                <svg className="size-3.5" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
                  <path
                    fillRule="evenodd"
                    d="M16.7 5.3a1 1 0 0 1 0 1.4l-8 8a1 1 0 0 1-1.4 0l-4-4a1 1 0 1 1 1.4-1.4L8 12.58l7.3-7.3a1 1 0 0 1 1.4 0Z"
                    clipRule="evenodd"
                  />
                </svg>
              ) : (
                i + 1
              )}
              {state === "done" ? <span className="sr-only">Done: </span> : null}
            </span>
            <span className={state === "todo" ? "text-slate-500" : "font-medium text-slate-900"}>{step.label}</span>
            {i < STEPS.length - 1 ? (
              <span aria-hidden="true" className="mx-1 hidden h-px w-6 bg-slate-300 sm:block" />
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}

function WizardSkeleton() {
  return (
    <div className="rounded-xl border border-slate-200 bg-white p-6">
      <Skeleton className="h-5 w-48" />
      <Skeleton className="mt-3 h-4 w-72" />
      <Skeleton className="mt-6 h-44 w-full" />
    </div>
  );
}
