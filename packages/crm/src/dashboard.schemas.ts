import { z } from "zod";
import { idOf } from "./common.schemas";

export const pipelineDashboardInput = z.object({ pipelineId: idOf("pipeline") });

export const periodInput = z.object({
  /** How many months back, this month included. */
  months: z.number().int().min(1, "At least one month.").max(36, "At most 36 months.").default(12),
});
