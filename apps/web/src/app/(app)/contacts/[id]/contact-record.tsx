"use client";

import { contactFields, lifecycleStages } from "@nexo/crm/schemas";
import { skipToken, useMutation, useQuery, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import type { Route } from "next";
import { useState } from "react";
import { Avatar } from "~/components/avatar";
import { focusRing } from "~/components/button";
import { lifecycleLabel } from "~/components/records/change-text";
import { CustomFieldsPanel, type CustomValue } from "~/components/records/custom-fields";
import { DeleteRecordButton } from "~/components/records/delete-record";
import { checkWith, MemberEditor, MemberName, NameEditor, type PersonName } from "~/components/records/fields";
import { useMembers } from "~/components/records/hooks";
import { InlineField, selectEditor, textEditor } from "~/components/records/inline-field";
import {
  Breadcrumb,
  LinkedRow,
  Panel,
  RecordBody,
  RecordFrame,
  RecordHeader,
  RecordLink,
} from "~/components/records/layout";
import { RELATED_LIMIT, timelineQuery } from "~/components/records/queries";
import { PencilIcon, RecordPicker, type RecordRef } from "~/components/records/record-picker";
import { RecordTags } from "~/components/records/record-tags";
import { DealList } from "~/components/records/related";
import { Timeline } from "~/components/records/timeline";
import { useOptimisticSave } from "~/components/records/use-optimistic-save";
import { usePermissions } from "~/hooks/use-permissions";
import { formatDateTime, formatRelative } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import type { RouterInputs, RouterOutputs } from "~/trpc/types";

type Contact = RouterOutputs["crm"]["contacts"]["get"];
type Patch = Omit<RouterInputs["crm"]["contacts"]["update"], "id">;

const email = checkWith(contactFields.shape.email);
const phone = checkWith(contactFields.shape.phone);
const jobTitle = checkWith(contactFields.shape.jobTitle);
const firstName = checkWith(contactFields.shape.firstName);
const lastName = checkWith(contactFields.shape.lastName);

const LIFECYCLE_CHOICES = lifecycleStages.map((stage) => ({ value: stage, label: lifecycleLabel(stage) }));

function fullName(contact: PersonName): string {
  return `${contact.firstName} ${contact.lastName}`.trim();
}

export function ContactRecord({ id }: { id: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can } = usePermissions();
  const canWrite = can("contacts.write");
  const members = useMembers();
  const contact = useSuspenseQuery(trpc.crm.contacts.get.queryOptions({ id })).data;
  const deals = useQuery(trpc.crm.deals.list.queryOptions({ contactId: id, limit: RELATED_LIMIT }));
  const company = useQuery(
    trpc.crm.companies.get.queryOptions(contact.companyId ? { id: contact.companyId } : skipToken, { retry: false }),
  );
  const tags = useQuery(trpc.crm.tags.list.queryOptions());
  // The company just picked, named before its own query answers.
  const [picked, setPicked] = useState<RecordRef | null>(null);

  const update = useMutation(trpc.crm.contacts.update.mutationOptions());
  const setTags = useMutation(trpc.crm.tags.set.mutationOptions());
  const remove = useMutation(trpc.crm.contacts.delete.mutationOptions());
  const restore = useMutation(trpc.crm.contacts.restore.mutationOptions());
  const key = trpc.crm.contacts.get.queryKey({ id });
  const refreshAround = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: timelineQuery(trpc, "contact", id).queryKey }),
      queryClient.invalidateQueries({ queryKey: trpc.crm.contacts.list.pathKey() }),
    ]);

  const save = useOptimisticSave<Contact, Patch, Awaited<ReturnType<typeof update.mutateAsync>>>({
    queryKey: key,
    apply: (data, patch) => {
      const { customFields, ...fields } = patch;
      const merged = { ...data.customFields, ...customFields };
      for (const [k, v] of Object.entries(merged)) if (v === null) delete merged[k];
      return { ...data, ...(fields as Partial<Contact>), customFields: merged as Contact["customFields"] };
    },
    send: (patch) => update.mutateAsync({ id, ...patch }),
    // Tags are saved on their own: an answer to an earlier field save must not undo a newer tag change.
    settle: (data, result) => ({ ...data, ...result, tags: data.tags }),
    afterSave: refreshAround,
  });
  const saveTags = useOptimisticSave<Contact, string[], unknown>({
    queryKey: key,
    apply: (data, tagIds) => ({ ...data, tags: (tags.data ?? []).filter((tag) => tagIds.includes(tag.id)) }),
    send: (tagIds) => setTags.mutateAsync({ entityType: "contact", entityId: id, tagIds }),
    afterSave: refreshAround,
  });

  const name = fullName(contact);
  const companyName =
    picked && picked.id === contact.companyId ? picked.name : contact.companyId ? company.data?.name : undefined;
  const owner = contact.ownerId ? members.name(contact.ownerId) : null;
  const text = (field: "email" | "phone" | "jobTitle", label: string, check: typeof email) => ({
    label,
    value: contact[field] ?? "",
    empty: !contact[field],
    readOnly: !canWrite,
    validate: check.validate,
    onSave: (draft: string) => save({ [field]: check.parse(draft) }, { name: field, label }),
  });

  return (
    <RecordFrame>
      <Breadcrumb href="/contacts" label="Contacts" current={name} />
      <RecordHeader
        avatar={<Avatar name={name} className="size-12 text-base sm:size-14 sm:text-lg" />}
        title={
          <h1 className="min-w-0">
            <InlineField<PersonName>
              variant="heading"
              label="Name"
              value={{ firstName: contact.firstName, lastName: contact.lastName }}
              display={name}
              readOnly={!canWrite}
              equals={(a, b) => a.firstName === b.firstName && a.lastName === b.lastName}
              editor={NameEditor}
              validate={(draft) => firstName.validate(draft.firstName) ?? lastName.validate(draft.lastName)}
              onSave={(draft) =>
                save(
                  { firstName: firstName.parse(draft.firstName), lastName: lastName.parse(draft.lastName) },
                  { name: "firstName", label: "Name" },
                )
              }
            />
          </h1>
        }
        subtitle={[contact.jobTitle, companyName].filter(Boolean).join(" · ") || null}
        tags={
          <RecordTags
            tags={contact.tags}
            onChange={(tagIds) => saveTags(tagIds, { name: "tagIds", label: "Tags" })}
            readOnly={!can("tags.apply")}
          />
        }
        actions={
          canWrite ? (
            <DeleteRecordButton
              noun="contact"
              name={name}
              listHref="/contacts"
              recordHref={`/contacts/${id}` as Route}
              remove={() => remove.mutateAsync({ id })}
              restore={() => restore.mutateAsync({ id })}
              refreshLists={() => queryClient.invalidateQueries({ queryKey: trpc.crm.contacts.list.pathKey() })}
            />
          ) : null
        }
      >
        <InlineField
          {...text("email", "Email", email)}
          display={contact.email}
          editor={textEditor({ type: "email", inputMode: "email" })}
          extra={
            contact.email ? <ContactLink href={`mailto:${contact.email}`} label={`Email ${name}`} kind="mail" /> : null
          }
        />
        <InlineField
          {...text("phone", "Phone", phone)}
          display={contact.phone}
          editor={textEditor({ type: "tel", inputMode: "tel" })}
          extra={
            contact.phone ? (
              <ContactLink href={`tel:${contact.phone.replace(/[^\d+]/g, "")}`} label={`Call ${name}`} kind="phone" />
            ) : null
          }
        />
        <InlineField {...text("jobTitle", "Job title", jobTitle)} display={contact.jobTitle} editor={textEditor()} />
        <InlineField<string>
          label="Lifecycle"
          value={contact.lifecycleStage}
          display={lifecycleLabel(contact.lifecycleStage)}
          readOnly={!canWrite}
          editor={selectEditor(LIFECYCLE_CHOICES)}
          onSave={(draft) =>
            save({ lifecycleStage: draft as Contact["lifecycleStage"] }, { name: "lifecycleStage", label: "Lifecycle" })
          }
        />
        <InlineField
          label="Owner"
          value={contact.ownerId ?? ""}
          display={owner ? <MemberName name={owner} /> : null}
          empty={!owner}
          readOnly={!canWrite}
          editor={(props) => <MemberEditor {...props} />}
          validate={(draft) => (draft ? undefined : "Choose an owner.")}
          onSave={(draft) => save({ ownerId: draft }, { name: "ownerId", label: "Owner" })}
        />
        <LinkedRow
          label="Company"
          action={
            canWrite ? (
              <RecordPicker
                kind="company"
                value={contact.companyId ? { id: contact.companyId, name: companyName ?? "" } : null}
                triggerLabel={contact.companyId ? "Change company" : "Choose a company"}
                trigger={<PencilIcon />}
                onChange={(next) => {
                  setPicked(next);
                  void save({ companyId: next?.id ?? null }, { name: "companyId", label: "Company" });
                }}
              />
            ) : null
          }
        >
          {contact.companyId ? (
            companyName ? (
              <RecordLink href={`/companies/${contact.companyId}` as Route}>{companyName}</RecordLink>
            ) : (
              <span className="text-slate-500">{company.isPending ? "…" : "A company you can’t see"}</span>
            )
          ) : (
            <span className="text-slate-500">No company</span>
          )}
        </LinkedRow>
        <LinkedRow label="Last activity">
          {contact.lastActivityAt ? (
            <time
              dateTime={contact.lastActivityAt.toISOString()}
              title={formatDateTime(contact.lastActivityAt)}
              suppressHydrationWarning
            >
              {formatRelative(contact.lastActivityAt)}
            </time>
          ) : (
            <span className="text-slate-500">None yet</span>
          )}
        </LinkedRow>
      </RecordHeader>
      <RecordBody
        aside={
          <>
            <Panel title="Deals" count={deals.data?.items.length}>
              <DealList deals={deals.data?.items ?? []} empty="No deals with this contact yet." />
            </Panel>
            <CustomFieldsPanel
              entityType="contact"
              values={contact.customFields}
              readOnly={!canWrite}
              onSave={(fieldKey, label, value: CustomValue | null) =>
                save({ customFields: { [fieldKey]: value } }, { name: "customFields", label })
              }
            />
          </>
        }
      >
        <Timeline entityType="contact" entityId={id} />
      </RecordBody>
    </RecordFrame>
  );
}

function ContactLink({ href, label, kind }: { href: string; label: string; kind: "mail" | "phone" }) {
  return (
    <a
      href={href}
      title={label}
      className={`inline-flex size-8 shrink-0 items-center justify-center rounded-md text-slate-400 hover:bg-slate-100 hover:text-indigo-600 ${focusRing}`}
    >
      <svg className="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
        {kind === "mail" ? (
          <path d="M3 4a2 2 0 0 0-2 2v1.16l8.47 4.7a1 1 0 0 0 1.06 0L19 7.16V6a2 2 0 0 0-2-2H3Zm16 4.9-7.94 4.41a3 3 0 0 1-3.12 0L1 8.9V14a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2V8.9Z" />
        ) : (
          <path d="M2 3.5A1.5 1.5 0 0 1 3.5 2h1.15a1.5 1.5 0 0 1 1.46 1.14l.52 2.08a1.5 1.5 0 0 1-.56 1.57l-.9.68a.5.5 0 0 0-.16.59 7.5 7.5 0 0 0 3.93 3.93.5.5 0 0 0 .59-.16l.68-.9a1.5 1.5 0 0 1 1.57-.56l2.08.52A1.5 1.5 0 0 1 16 12.35v1.15a1.5 1.5 0 0 1-1.5 1.5H13C7 15 2 10 2 4V3.5Z" />
        )}
      </svg>
      <span className="sr-only">{label}</span>
    </a>
  );
}
