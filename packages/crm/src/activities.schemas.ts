import { z } from "zod";
import { dateTime, entityType, idOf, listPaging, optionalText } from "./common.schemas";

export const activityId = idOf("activity");
export const activityKinds = ["note", "task", "call", "meeting"] as const;

const targets = {
  contactId: idOf("contact").nullish(),
  companyId: idOf("company").nullish(),
  dealId: idOf("deal").nullish(),
};

const activityFields = z.object({
  kind: z.enum(activityKinds, "Choose note, task, call or meeting."),
  subject: z.string().trim().max(200, "Subject must be at most 200 characters.").default(""),
  /** Markdown. */
  body: optionalText(20_000, "Body"),
  dueAt: dateTime.nullish(),
  assigneeId: idOf("user").nullish(),
  occurredAt: dateTime.optional(),
  durationMinutes: z
    .number()
    .int("Duration is in whole minutes.")
    .min(0, "Duration cannot be negative.")
    .max(24 * 60, "Duration must be at most a day.")
    .nullish(),
  outcome: optionalText(500, "Outcome"),
  ...targets,
});

export type ActivityKind = (typeof activityKinds)[number];

/** The fields only some kinds have, and the message for a value given to another kind. */
const kindFields = [
  { field: "dueAt", kinds: ["task"], message: "Only tasks have a due date." },
  { field: "assigneeId", kinds: ["task"], message: "Only tasks have an assignee." },
  { field: "durationMinutes", kinds: ["call", "meeting"], message: "Only calls and meetings have a duration." },
  { field: "outcome", kinds: ["call", "meeting"], message: "Only calls and meetings have an outcome." },
] as const satisfies { field: string; kinds: ActivityKind[]; message: string }[];

/** One issue per field given a value (not null) that an activity of this kind does not have. */
export function misplacedFields(
  kind: ActivityKind,
  values: Partial<Record<(typeof kindFields)[number]["field"], unknown>>,
): { path: string[]; message: string }[] {
  return kindFields
    .filter(({ field, kinds }) => values[field] != null && !(kinds as readonly ActivityKind[]).includes(kind))
    .map(({ field, message }) => ({ path: [field], message }));
}

/**
 * Notes, calls and meetings belong to a contact, company or deal; a task may stand alone. A due
 * date and an assignee are a task's; a duration and an outcome a call's or a meeting's.
 */
export const createActivityInput = activityFields
  .refine((a) => a.kind === "task" || a.contactId || a.companyId || a.dealId, {
    message: "Attach the activity to a contact, company or deal.",
    path: ["contactId"],
  })
  .superRefine((activity, ctx) => {
    for (const issue of misplacedFields(activity.kind, activity)) ctx.addIssue({ code: "custom", ...issue });
  });
export type CreateActivityInput = z.input<typeof createActivityInput>;

export const updateActivityInput = activityFields
  .omit({ kind: true, contactId: true, companyId: true, dealId: true })
  .partial()
  // No default: a subject left out of an update keeps its value.
  .extend({
    id: activityId,
    subject: z.string().trim().max(200, "Subject must be at most 200 characters.").optional(),
  });

export const completeActivityInput = z.object({ id: activityId, done: z.boolean().default(true) });

/** An IANA time zone name such as `Europe/Lisbon`, as the browser reports it. */
export const timeZone = z
  .string()
  .max(64, "Not a known time zone.")
  .refine((name) => {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: name });
      return true;
    } catch {
      return false;
    }
  }, "Not a known time zone.");

export const taskDueBuckets = ["overdue", "today", "later", "upcoming", "all"] as const;

export const listTasksInput = z.object({
  assigneeId: idOf("user").optional(),
  /**
   * `overdue`: due before now. `today`: due from now to the end of today. `later`: due after today,
   * or undated (last). Those three never overlap. `upcoming`: due from now on, dated only.
   */
  due: z.enum(taskDueBuckets, "Choose overdue, today, later, upcoming or all.").default("all"),
  /** Where "today" ends; UTC when left out. */
  timeZone: timeZone.optional(),
  ...listPaging,
});

export const timelineInput = z.object({
  entityType,
  entityId: idOf("record"),
  ...listPaging,
});
