/** A labelled value: label and value side by side, even on a phone, so a record reads as a list. */
export const FIELD_ROW =
  "grid grid-cols-[6.5rem_minmax(0,1fr)] items-start gap-x-3 py-1.5 sm:grid-cols-[9rem_minmax(0,1fr)] sm:py-2";
