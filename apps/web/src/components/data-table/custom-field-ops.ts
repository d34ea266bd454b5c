import type { CustomFieldDef, CustomFieldOp } from "./list-state";

/** How each type of custom field names the conditions it offers in the filter panel. */
export const OP_LABELS: Record<CustomFieldDef["type"], Partial<Record<CustomFieldOp, string>>> = {
  text: { contains: "contains", eq: "is" },
  url: { contains: "contains", eq: "is" },
  select: { eq: "is" },
  number: { eq: "=", gt: ">", lt: "<" },
  date: { eq: "on", gt: "after", lt: "before" },
  checkbox: { eq: "is" },
  multi_select: { contains: "has" },
};
