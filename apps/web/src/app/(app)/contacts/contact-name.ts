import type { Contact } from "~/trpc/types";

export function fullName(contact: Pick<Contact, "firstName" | "lastName">): string {
  return `${contact.firstName} ${contact.lastName}`.trim();
}
