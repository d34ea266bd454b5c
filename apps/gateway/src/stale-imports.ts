import { and, type Db, eq, importJobs, lt, sql } from "@nexo/db";
import type { Log } from "@nexo/trpc";

/**
 * Imports whose gateway died while they ran (kill -9, a crash, power loss) are left `running` for
 * ever: nothing else will finish them. Each batch commits with the job's progress, so such a job
 * already says exactly which rows went in; this marks it failed and says so. A job counts as
 * abandoned once it has made no progress for `staleAfterMs`, longer than any upload may take to
 * deliver its next batch, so a live import of another gateway is never touched.
 */
export async function markInterruptedImports(db: Db, staleAfterMs: number) {
  return db
    .update(importJobs)
    .set({
      status: "failed",
      finishedAt: sql`now()`,
      message: sql`case when ${importJobs.committedThroughRow} = 0
        then 'The import was interrupted: the server stopped while it ran, before any rows went in.'
        else 'The import was interrupted: the server stopped while it ran. Rows 1 to '
          || ${importJobs.committedThroughRow} || ' went in; import the rest again from row '
          || (${importJobs.committedThroughRow} + 1) || '.'
        end`,
    })
    .where(
      and(
        eq(importJobs.status, "running"),
        lt(importJobs.updatedAt, sql`now() - make_interval(secs => ${staleAfterMs / 1000})`),
      ),
    )
    .returning({ id: importJobs.id, orgId: importJobs.orgId, committedThroughRow: importJobs.committedThroughRow });
}

export interface StaleImportSweepOptions {
  db: Db;
  log: Log;
  staleAfterMs: number;
}

/**
 * Marks abandoned imports at start (before the gateway serves) and then every half staleness
 * period, on a timer that never keeps the process alive. Idempotent: several gateways may sweep at
 * once. A failed sweep (database away) is logged and retried at the next interval.
 */
export async function startStaleImportSweep({ db, log, staleAfterMs }: StaleImportSweepOptions) {
  let running: Promise<void> | null = null;
  const run = () => {
    running ??= markInterruptedImports(db, staleAfterMs)
      .then((marked) => {
        for (const job of marked)
          log.warn(
            { importId: job.id, orgId: job.orgId, committedThroughRow: job.committedThroughRow },
            "import interrupted by a stopped server",
          );
      })
      .catch((error: unknown) => log.warn({ err: error }, "stale import sweep failed; retrying at the next interval"))
      .finally(() => {
        running = null;
      });
    return running;
  };
  await run();
  const timer = setInterval(run, Math.min(60_000, Math.max(1_000, Math.floor(staleAfterMs / 2)))).unref();
  return {
    run,
    /** Stops the timer and waits for a sweep in progress. */
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
