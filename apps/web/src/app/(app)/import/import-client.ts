import type { ImportResult } from "@nexo/crm";
import type { RouterOutputs } from "~/trpc/types";

export const importKinds = ["contacts", "companies", "deals"] as const;
export type ImportKind = (typeof importKinds)[number];
export type DedupeMode = "skip" | "update" | "create";

export type DryRun = Extract<ImportResult, { dryRun: true }>;
export type ImportTarget = RouterOutputs["crm"]["imports"]["fields"]["targets"][number];
export type ImportJob = RouterOutputs["crm"]["imports"]["get"];
/** A column's destination: a target's name, or null for "don't import". */
export type Mapping = Record<string, string | null>;

export function isImportKind(value: unknown): value is ImportKind {
  return typeof value === "string" && (importKinds as readonly string[]).includes(value);
}

/** The upload went through but the server refused it, or it could not be sent at all. */
export class ImportRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** The job, when the refusal came after some batches were committed. */
    readonly jobId: string | null = null,
  ) {
    super(message);
  }
}

interface UploadOptions {
  dryRun?: boolean;
  dedupe?: DedupeMode;
  mapping?: Mapping;
  previewRows?: number;
  uploadId?: string;
  signal?: AbortSignal;
}

/**
 * Sends the file to `/api/import/:kind` (proxied to the gateway) as the raw request body. A dry run
 * answers with the preview; a real import answers, once it is over, with its job's id.
 */
export async function uploadCsv(
  kind: ImportKind,
  file: Blob,
  options: UploadOptions & { dryRun: true },
): Promise<DryRun>;
export async function uploadCsv(kind: ImportKind, file: Blob, options: UploadOptions): Promise<{ jobId: string }>;
export async function uploadCsv(
  kind: ImportKind,
  file: Blob,
  options: UploadOptions,
): Promise<DryRun | { jobId: string }> {
  const params = new URLSearchParams();
  if (options.dryRun) params.set("dryRun", "true");
  if (options.dedupe) params.set("dedupe", options.dedupe);
  if (options.mapping) params.set("mapping", JSON.stringify(options.mapping));
  if (options.previewRows) params.set("previewRows", String(options.previewRows));
  if (options.uploadId) params.set("uploadId", options.uploadId);
  let response: Response;
  try {
    response = await fetch(`/api/import/${kind}?${params}`, {
      method: "POST",
      body: file,
      // The type is the server's to judge from the content, whatever the browser guessed from the name.
      headers: { "content-type": "text/csv" },
      signal: options.signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ImportRequestError("The upload failed: check your connection and try again.", 0);
  }
  const body = (await response.json().catch(() => null)) as
    | (DryRun & { job?: undefined; error?: undefined })
    | { job?: { id: string } | null; error?: { message?: string } }
    | null;
  if (!response.ok || !body || body.error) {
    if (response.status === 401) window.location.assign("/login");
    const message =
      body?.error?.message ??
      (response.status === 413 ? "The file is too large." : `The import failed (HTTP ${response.status}).`);
    throw new ImportRequestError(message, response.status, body?.job?.id ?? null);
  }
  if (options.dryRun) return body as DryRun;
  const jobId = body.job?.id;
  if (!jobId) throw new ImportRequestError("The server did not say which import it ran.", response.status);
  return { jobId };
}

/** Where the import's error report downloads from (proxied to the gateway's errors.csv). */
export function errorReportHref(jobId: string): string {
  return `/api/import/errors/${jobId}`;
}
