import { purgeTrash } from "@nexo/crm";
import type { Db } from "@nexo/db";
import type { Log } from "@nexo/trpc";

export interface TrashPurgeOptions {
  db: Db;
  log: Log;
  retentionDays: number;
  /** How often to look for expired trash. */
  everyMs?: number;
  /** The first run waits this long, so a starting gateway serves first. */
  firstAfterMs?: number;
}

/**
 * Deletes trash older than the retention, on a timer that never keeps the process alive. The purge is
 * an idempotent delete in small batches, so several gateways may run it at the same time: a row goes
 * to whichever gets there first and the others skip it. A failed run (database away) is logged and
 * retried at the next interval.
 */
export function startTrashPurge({
  db,
  log,
  retentionDays,
  everyMs = 3_600_000,
  firstAfterMs = 60_000,
}: TrashPurgeOptions) {
  let running: Promise<void> | null = null;
  const run = () => {
    running ??= purgeTrash(db, "all", retentionDays)
      .then((purged) => {
        if (purged.contacts + purged.companies + purged.deals > 0)
          log.info({ ...purged, retentionDays }, "trash purged");
      })
      .catch((error: unknown) => log.warn({ err: error }, "trash purge failed; retrying at the next interval"))
      .finally(() => {
        running = null;
      });
    return running;
  };
  const first = setTimeout(run, firstAfterMs).unref();
  const timer = setInterval(run, everyMs).unref();
  return {
    run,
    /** Stops the timers and waits for a run in progress. */
    async stop() {
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
