"use client";

import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import { Button, Spinner } from "~/components/button";
import { useDebouncedValue } from "~/hooks/use-debounced-value";
import { usePermissions } from "~/hooks/use-permissions";
import { useTRPC } from "~/trpc/react";
import type { Contact } from "~/trpc/types";
import { ContactFormDialog } from "./contact-form-dialog";
import { ContactList } from "./contact-list";
import { ContactsSkeleton, PageHeading } from "./contacts-layout";
import { DeleteContactDialog } from "./delete-contact-dialog";
import { contactsListQuery, normalizeSearch } from "./list-query";

const SEARCH_DEBOUNCE_MS = 300;

/** Which dialog is open: the create form, the edit form for one contact, or a delete confirmation. */
type DialogState =
  | { kind: "create" }
  | { kind: "edit"; contact: Contact }
  | { kind: "delete"; contact: Contact }
  | null;

export function ContactsView({ initialSearch }: { initialSearch: string }) {
  const trpc = useTRPC();
  const [searchText, setSearchText] = useState(initialSearch);
  const search = useDebouncedValue(normalizeSearch(searchText), SEARCH_DEBOUNCE_MS);
  const [dialog, setDialog] = useState<DialogState>(null);
  const canWrite = usePermissions().can("contacts.write");

  const contacts = useInfiniteQuery({
    ...contactsListQuery(trpc, search),
    // While a new search runs, the previous results stay on screen instead of a blank list.
    placeholderData: keepPreviousData,
  });

  // The search lives in the URL (?q=) so it survives a reload and can be shared; replaceState
  // updates it without a server round trip.
  useEffect(() => {
    const url = new URL(window.location.href);
    if ((url.searchParams.get("q") ?? "") === search) return;
    if (search) url.searchParams.set("q", search);
    else url.searchParams.delete("q");
    window.history.replaceState(null, "", url);
  }, [search]);

  const items = contacts.data?.pages.flatMap((page) => page.items) ?? [];
  const searching = search !== normalizeSearch(searchText) || (contacts.isFetching && contacts.isPlaceholderData);
  const openCreate = () => setDialog({ kind: "create" });

  return (
    <main className="mx-auto max-w-6xl px-4 py-6 sm:px-6 sm:py-8">
      <PageHeading
        action={
          canWrite ? (
            <Button onClick={openCreate}>
              <PlusIcon />
              New contact
            </Button>
          ) : null
        }
      />

      <SearchBox value={searchText} onChange={setSearchText} busy={searching} />

      {contacts.isPending ? (
        <ContactsSkeleton />
      ) : contacts.isError && items.length === 0 ? (
        <div role="alert" className="mt-4 rounded-xl border border-red-200 bg-red-50 p-6 text-center">
          <p className="text-sm text-red-700">We couldn’t load your contacts. {contacts.error.message}</p>
          <Button variant="secondary" className="mt-4" onClick={() => contacts.refetch()}>
            Try again
          </Button>
        </div>
      ) : items.length === 0 ? (
        search ? (
          <NoMatches search={search} onClear={() => setSearchText("")} />
        ) : (
          <EmptyState onCreate={canWrite ? openCreate : null} />
        )
      ) : (
        <>
          <ContactList
            contacts={items}
            actions={
              canWrite
                ? {
                    onEdit: (contact) => setDialog({ kind: "edit", contact }),
                    onDelete: (contact) => setDialog({ kind: "delete", contact }),
                  }
                : null
            }
          />
          <div className="mt-4 flex min-h-10 justify-center">
            {contacts.hasNextPage ? (
              <Button
                variant="secondary"
                pending={contacts.isFetchingNextPage}
                onClick={() => contacts.fetchNextPage()}
              >
                {contacts.isFetchingNextPage ? "Loading…" : "Load more"}
              </Button>
            ) : null}
          </div>
        </>
      )}

      <ContactFormDialog
        open={dialog?.kind === "create" || dialog?.kind === "edit"}
        contact={dialog?.kind === "edit" ? dialog.contact : null}
        onClose={() => setDialog(null)}
      />
      <DeleteContactDialog
        contact={dialog?.kind === "delete" ? dialog.contact : null}
        onClose={() => setDialog(null)}
      />
    </main>
  );
}

function SearchBox({ value, onChange, busy }: { value: string; onChange: (value: string) => void; busy: boolean }) {
  const id = useId();
  return (
    <search className="relative mt-6">
      <label htmlFor={id} className="sr-only">
        Search contacts
      </label>
      <svg
        className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-slate-400"
        viewBox="0 0 20 20"
        fill="currentColor"
        aria-hidden="true"
      >
        <path
          fillRule="evenodd"
          d="M9 3.5a5.5 5.5 0 1 0 0 11 5.5 5.5 0 0 0 0-11ZM2 9a7 7 0 1 1 12.45 4.39l3.08 3.08a.75.75 0 1 1-1.06 1.06l-3.08-3.08A7 7 0 0 1 2 9Z"
          clipRule="evenodd"
        />
      </svg>
      <input
        id={id}
        type="search"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        placeholder="Search name, email, phone…"
        autoComplete="off"
        spellCheck={false}
        className="block h-10 w-full rounded-lg border border-slate-300 bg-white pr-10 pl-9 text-sm text-slate-900 shadow-sm placeholder:text-slate-400 focus:outline-2 focus:-outline-offset-1 focus:outline-indigo-600"
      />
      <span className="absolute top-1/2 right-3 -translate-y-1/2 text-slate-400">
        {busy ? <Spinner /> : null}
        <span className="sr-only" aria-live="polite">
          {busy ? "Searching…" : ""}
        </span>
      </span>
    </search>
  );
}

/** `onCreate` is null for people who may only read. */
function EmptyState({ onCreate }: { onCreate: (() => void) | null }) {
  return (
    <div className="mt-4 flex flex-col items-center rounded-xl border border-dashed border-slate-300 bg-white px-6 py-14 text-center">
      <span className="flex size-12 items-center justify-center rounded-full bg-indigo-50 text-indigo-600">
        <svg
          className="size-6"
          viewBox="0 0 24 24"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.8"
          aria-hidden="true"
        >
          <path
            strokeLinecap="round"
            strokeLinejoin="round"
            d="M18 18.72a9.09 9.09 0 0 0 3.74-.48 3 3 0 0 0-4.68-2.72M18 18.72v.03c0 .22-.01.45-.04.67A11.94 11.94 0 0 1 12 21c-2.17 0-4.21-.58-5.96-1.58a6.06 6.06 0 0 1-.04-.7m12 0a5.97 5.97 0 0 0-.94-3.2M6 18.72a9.09 9.09 0 0 1-3.74-.48 3 3 0 0 1 4.68-2.72M6 18.72a5.97 5.97 0 0 1 .94-3.2m0 0A5.99 5.99 0 0 1 12 12.75a5.99 5.99 0 0 1 5.06 2.77M15 6.75a3 3 0 1 1-6 0 3 3 0 0 1 6 0Zm6 3a2.25 2.25 0 1 1-4.5 0 2.25 2.25 0 0 1 4.5 0Zm-13.5 0a2.25 2.25 0 1 1-4.5 0 2.25 2.25 0 0 1 4.5 0Z"
          />
        </svg>
      </span>
      {onCreate ? (
        <>
          <h2 className="mt-4 text-base font-semibold text-slate-900">No contacts yet — add your first</h2>
          <p className="mt-1 max-w-sm text-sm text-slate-600">
            Keep names, emails and phone numbers in one place your whole team can see.
          </p>
          <Button className="mt-6" onClick={onCreate}>
            <PlusIcon />
            Add contact
          </Button>
        </>
      ) : (
        <>
          <h2 className="mt-4 text-base font-semibold text-slate-900">No contacts to show yet</h2>
          <p className="mt-1 max-w-sm text-sm text-slate-600">
            Contacts your team adds appear here. Your role lets you read them, not change them.
          </p>
        </>
      )}
    </div>
  );
}

function NoMatches({ search, onClear }: { search: string; onClear: () => void }) {
  return (
    <div className="mt-4 flex flex-col items-center rounded-xl border border-slate-200 bg-white px-6 py-12 text-center">
      <h2 className="text-base font-semibold text-slate-900">No contacts match “{search}”</h2>
      <p className="mt-1 text-sm text-slate-600">Try a different name, email, phone number or job title.</p>
      <Button variant="secondary" className="mt-5" onClick={onClear}>
        Clear search
      </Button>
    </div>
  );
}

function PlusIcon() {
  return (
    <svg className="-ml-0.5 size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
      <path d="M10.75 4.75a.75.75 0 0 0-1.5 0v4.5h-4.5a.75.75 0 0 0 0 1.5h4.5v4.5a.75.75 0 0 0 1.5 0v-4.5h4.5a.75.75 0 0 0 0-1.5h-4.5v-4.5Z" />
    </svg>
  );
}
