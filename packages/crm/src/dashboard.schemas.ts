import { z } from "zod";
import { timeZone } from "./activities.schemas";
import { idOf } from "./common.schemas";

export const pipelineDashboardInput = z.object({ pipelineId: idOf("pipeline") });

export const periodInput = z.object({
  /** How many months back, this month included. */
  months: z.number().int().min(1, "At least one month.").max(36, "At most 36 months.").default(12),
  /** Whose months: they begin at local midnight there. UTC when left out. */
  timeZone: timeZone.optional(),
});

export const taskCountsInput = z
  .object({
    /** Where "today" ends; UTC when left out. */
    timeZone: timeZone.optional(),
  })
  .default({});
