import { z } from "zod";
import { timeZone } from "./activities.schemas";
import { dateTime, dayRange, idOf, isoDay, listPaging, optionalText, search } from "./common.schemas";
import { customFieldFilter, customFieldValuesInput } from "./customFields.schemas";

export const pipelineId = idOf("pipeline");
export const stageId = idOf("stage");
export const dealId = idOf("deal");

/** The most stages a pipeline holds: what `reorderStages` takes in one list. */
export const MAX_STAGES = 30;

const stageFields = z.object({
  name: z.string().trim().min(1, "Stage name is required.").max(100, "Stage name must be at most 100 characters."),
  probability: z
    .number("Probability must be a number.")
    .int("Probability must be a whole number.")
    .min(0, "Probability must be between 0 and 100.")
    .max(100, "Probability must be between 0 and 100.")
    .default(0),
  isWon: z.boolean().default(false),
  isLost: z.boolean().default(false),
});
const notWonAndLost = (s: { isWon?: boolean | undefined; isLost?: boolean | undefined }) => !(s.isWon && s.isLost);
const wonAndLostIssue = { message: "A stage cannot be both won and lost.", path: ["isLost"] };

export const createPipelineInput = z.object({
  name: z.string().trim().min(1, "Name is required.").max(100, "Name must be at most 100 characters."),
  /** Left out: a default set of stages (Lead … Won, Lost). */
  stages: z
    .array(stageFields.refine(notWonAndLost, wonAndLostIssue))
    .min(1, "A pipeline needs at least one stage.")
    .max(MAX_STAGES, `A pipeline can have at most ${MAX_STAGES} stages.`)
    .optional(),
});
export const updatePipelineInput = z.object({ id: pipelineId, name: createPipelineInput.shape.name });

export const createStageInput = stageFields
  .extend({ pipelineId, position: z.number().int().min(0).optional() })
  .refine(notWonAndLost, wonAndLostIssue);
export const updateStageInput = z
  .object({
    id: stageId,
    name: stageFields.shape.name.optional(),
    probability: stageFields.shape.probability.unwrap().optional(),
    isWon: z.boolean().optional(),
    isLost: z.boolean().optional(),
  })
  .refine(notWonAndLost, wonAndLostIssue);
export const deleteStageInput = z.object({
  id: stageId,
  /** Where the stage's deals go; required when it still holds deals. */
  moveDealsTo: stageId.optional(),
});
export const reorderStagesInput = z.object({
  pipelineId,
  stageIds: z.array(stageId).min(1).max(MAX_STAGES, `A pipeline can have at most ${MAX_STAGES} stages.`),
});

const amountMinor = z
  .number("Amount must be a number.")
  .int("Amount is in minor units (cents) and must be a whole number.")
  .min(0, "Amount cannot be negative.")
  .max(Number.MAX_SAFE_INTEGER, "Amount is too large.");
/** A currency code's form: three letters, upper-cased. */
export const currencyCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}$/, { error: "Use a three-letter ISO currency code such as EUR.", abort: true });

// ISO 4217 codes as the runtime's Intl knows them, and those newer than the ICU data of some
// runtimes still in use. A runtime without the list (an old browser) checks the form only.
const currencyCodes =
  typeof Intl.supportedValuesOf === "function"
    ? new Set([...Intl.supportedValuesOf("currency"), "SLE", "VED", "XCG", "ZWG"])
    : null;
export const unknownCurrency = "Not a known currency; use an ISO code such as EUR or USD.";
/** Whether `code` (upper-cased) is a currency in use. */
export const isKnownCurrency = (code: string) => currencyCodes?.has(code) ?? true;

/** New deals take known currencies only; a deal keeps the code it has (see `deals.update`). */
const currency = currencyCode.refine(isKnownCurrency, unknownCurrency);

export const dealFields = z.object({
  title: z.string().trim().min(1, "Title is required.").max(200, "Title must be at most 200 characters."),
  amountMinor: amountMinor.default(0),
  currency,
  expectedCloseDate: isoDay.nullish(),
  ownerId: idOf("user").nullish(),
  companyId: idOf("company").nullish(),
  contactIds: z.array(idOf("contact")).max(50, "At most 50 contacts per deal.").optional(),
  customFields: customFieldValuesInput,
});

export const createDealInput = dealFields.extend({ stageId });
export type CreateDealInput = z.input<typeof createDealInput>;

export const updateDealInput = dealFields
  .extend({ amountMinor, currency: currencyCode })
  .partial()
  .extend({ id: dealId });
export type UpdateDealInput = z.input<typeof updateDealInput>;

export const moveDealInput = z.object({
  id: dealId,
  stageId,
  /** Placed right after this deal of the target stage; null or left out: at the top. */
  afterDealId: dealId.nullish(),
});

/** How far ahead of now a close date may lie: a day (see `closedAt`). */
const CLOSE_DATE_GRACE_MS = 86_400_000;

export const closeDealInput = z.object({
  id: dealId,
  outcome: z.enum(["won", "lost"], "Choose won or lost."),
  reason: optionalText(500, "Reason"),
  /**
   * When it was won or lost: now when left out. Not in the future: a day of grace, as a date picked
   * in the reader's zone arrives as noon UTC of that date, up to half a day ahead of now.
   */
  closedAt: dateTime
    .refine((at) => at.getTime() <= Date.now() + CLOSE_DATE_GRACE_MS, "The close date can’t be in the future.")
    .optional(),
});

export const listDealsInput = z.object({
  search,
  pipelineId: pipelineId.optional(),
  stageId: stageId.optional(),
  ownerId: idOf("user").optional(),
  companyId: idOf("company").optional(),
  contactId: idOf("contact").optional(),
  tagId: idOf("tag").optional(),
  status: z.enum(["open", "won", "lost"]).optional(),
  expectedCloseDate: dayRange,
  /** Where the days of `expectedCloseDate` begin (IANA); without it, each end is its nearest UTC day. */
  timeZone: timeZone.optional(),
  customField: customFieldFilter,
  sort: z.enum(["newest", "oldest"]).default("newest"),
  ...listPaging,
});
export type ListDealsInput = z.input<typeof listDealsInput>;

export const boardInput = z.object({
  pipelineId,
  /** Deals shown per stage; the rest are fetched per stage with `deals.stagePage`. */
  perStage: z.number().int().min(1).max(200).default(50),
  ownerId: idOf("user").optional(),
});

export const stagePageInput = z.object({ stageId, ...listPaging });
