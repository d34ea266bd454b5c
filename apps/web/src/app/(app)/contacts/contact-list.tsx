import { Avatar } from "~/components/avatar";
import { Button } from "~/components/button";
import type { Contact } from "~/trpc/types";
import { LIST_COLUMNS } from "./contacts-layout";

export interface ContactActions {
  onEdit: (contact: Contact) => void;
  onDelete: (contact: Contact) => void;
}

interface ContactListProps {
  contacts: Contact[];
  /** Null for people who may only read. */
  actions: ContactActions | null;
}

export function fullName(contact: Pick<Contact, "firstName" | "lastName">): string {
  return `${contact.firstName} ${contact.lastName}`.trim();
}

/** A table on wide screens; on a phone each contact becomes a card with its details stacked. */
export function ContactList({ contacts, actions }: ContactListProps) {
  return (
    <div className="mt-4 overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
      <div
        aria-hidden="true"
        className={`hidden gap-4 border-b border-slate-200 bg-slate-50 px-4 py-2.5 text-xs font-medium tracking-wide text-slate-500 uppercase md:grid ${LIST_COLUMNS}`}
      >
        <span>Name</span>
        <span>Email</span>
        <span>Phone</span>
        <span className="sr-only">Actions</span>
      </div>
      <ul aria-label="Contacts" className="divide-y divide-slate-100">
        {contacts.map((contact) => (
          <ContactRow key={contact.id} contact={contact} actions={actions} />
        ))}
      </ul>
    </div>
  );
}

function ContactRow({ contact, actions }: { contact: Contact; actions: ContactActions | null }) {
  const name = fullName(contact);
  return (
    <li
      className={`grid grid-cols-[minmax(0,1fr)_auto] items-center gap-x-3 gap-y-1 px-4 py-3 hover:bg-slate-50/60 md:gap-4 ${LIST_COLUMNS}`}
    >
      <div className="col-start-1 row-start-1 flex min-w-0 items-center gap-3">
        <Avatar name={name} />
        <div className="min-w-0">
          <p className="truncate text-sm font-medium text-slate-900">{name}</p>
          {contact.jobTitle ? <p className="truncate text-sm text-slate-500">{contact.jobTitle}</p> : null}
        </div>
      </div>

      <div
        className={`col-span-2 min-w-0 pl-12 text-sm md:col-span-1 md:col-start-2 md:row-start-1 md:pl-0 ${contact.email ? "" : "hidden md:block"}`}
      >
        {contact.email ? (
          <a
            href={`mailto:${contact.email}`}
            className="block truncate rounded-sm text-slate-700 hover:text-indigo-600 focus-visible:outline-2 focus-visible:outline-indigo-600"
          >
            {contact.email}
          </a>
        ) : (
          <Missing label="No email" />
        )}
      </div>

      <div
        className={`col-span-2 min-w-0 pl-12 text-sm md:col-span-1 md:col-start-3 md:row-start-1 md:pl-0 ${contact.phone ? "" : "hidden md:block"}`}
      >
        {contact.phone ? (
          <a
            href={`tel:${contact.phone.replace(/[^\d+]/g, "")}`}
            className="block truncate rounded-sm text-slate-700 hover:text-indigo-600 focus-visible:outline-2 focus-visible:outline-indigo-600"
          >
            {contact.phone}
          </a>
        ) : (
          <Missing label="No phone" />
        )}
      </div>

      {actions ? (
        <div className="col-start-2 row-start-1 flex justify-end gap-1 md:col-start-4">
          <Button variant="ghost" size="sm" onClick={() => actions.onEdit(contact)}>
            Edit<span className="sr-only"> {name}</span>
          </Button>
          <Button variant="ghost-danger" size="sm" onClick={() => actions.onDelete(contact)}>
            Delete<span className="sr-only"> {name}</span>
          </Button>
        </div>
      ) : null}
    </li>
  );
}

function Missing({ label }: { label: string }) {
  return (
    <span className="text-slate-300">
      <span aria-hidden="true">—</span>
      <span className="sr-only">{label}</span>
    </span>
  );
}
