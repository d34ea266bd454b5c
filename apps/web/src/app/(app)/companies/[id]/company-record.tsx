"use client";

import { companyFields, companySizes } from "@nexo/crm/schemas";
import { useMutation, useQuery, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import type { Route } from "next";
import { focusRing } from "~/components/button";
import { CustomFieldsPanel, type CustomValue } from "~/components/records/custom-fields";
import { DeleteRecordButton } from "~/components/records/delete-record";
import { checkWith, MemberEditor, MemberName } from "~/components/records/fields";
import { useMembers } from "~/components/records/hooks";
import { InlineField, selectEditor, textEditor } from "~/components/records/inline-field";
import { Breadcrumb, Panel, RecordBody, RecordFrame, RecordHeader, RecordIcon } from "~/components/records/layout";
import { RELATED_LIMIT, timelineQuery } from "~/components/records/queries";
import { RecordTags } from "~/components/records/record-tags";
import { ContactList, DealList } from "~/components/records/related";
import { Timeline } from "~/components/records/timeline";
import { useOptimisticSave } from "~/components/records/use-optimistic-save";
import { usePermissions } from "~/hooks/use-permissions";
import { useTRPC } from "~/trpc/react";
import type { RouterInputs, RouterOutputs } from "~/trpc/types";

type Overview = RouterOutputs["crm"]["companies"]["overview"];
type Company = Overview["company"];
type Patch = Omit<RouterInputs["crm"]["companies"]["update"], "id">;

const name = checkWith(companyFields.shape.name);
const domain = checkWith(companyFields.shape.domain);
const industry = checkWith(companyFields.shape.industry);
const phone = checkWith(companyFields.shape.phone);

const SIZE_CHOICES = companySizes.map((size) => ({ value: size, label: `${size} people` }));

export function CompanyRecord({ id }: { id: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can } = usePermissions();
  const canWrite = can("companies.write");
  const members = useMembers();
  const overview = useSuspenseQuery(trpc.crm.companies.overview.queryOptions({ id })).data;
  const company = overview.company;
  const tags = useQuery(trpc.crm.tags.list.queryOptions());

  const update = useMutation(trpc.crm.companies.update.mutationOptions());
  const setTags = useMutation(trpc.crm.tags.set.mutationOptions());
  const remove = useMutation(trpc.crm.companies.delete.mutationOptions());
  const restore = useMutation(trpc.crm.companies.restore.mutationOptions());
  const key = trpc.crm.companies.overview.queryKey({ id });
  const refreshAround = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: timelineQuery(trpc, "company", id).queryKey }),
      queryClient.invalidateQueries({ queryKey: trpc.crm.companies.list.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.crm.companies.get.queryKey({ id }) }),
    ]);
  const withCompany = (data: Overview, change: (c: Company) => Company): Overview => ({
    ...data,
    company: change(data.company),
  });

  const save = useOptimisticSave<Overview, Patch, Awaited<ReturnType<typeof update.mutateAsync>>>({
    queryKey: key,
    apply: (data, patch) =>
      withCompany(data, (c) => {
        const { customFields, ...fields } = patch;
        const merged = { ...c.customFields, ...customFields };
        for (const [k, v] of Object.entries(merged)) if (v === null) delete merged[k];
        return { ...c, ...(fields as Partial<Company>), customFields: merged as Company["customFields"] };
      }),
    send: (patch) => update.mutateAsync({ id, ...patch }),
    settle: (data, result) => withCompany(data, (c) => ({ ...c, ...result, tags: c.tags })),
    afterSave: refreshAround,
  });
  const saveTags = useOptimisticSave<Overview, string[], unknown>({
    queryKey: key,
    apply: (data, tagIds) =>
      withCompany(data, (c) => ({ ...c, tags: (tags.data ?? []).filter((tag) => tagIds.includes(tag.id)) })),
    send: (tagIds) => setTags.mutateAsync({ entityType: "company", entityId: id, tagIds }),
    afterSave: refreshAround,
  });

  const owner = company.ownerId ? members.name(company.ownerId) : null;
  const text = (field: "domain" | "industry" | "phone", label: string, check: typeof domain) => ({
    label,
    value: company[field] ?? "",
    empty: !company[field],
    readOnly: !canWrite,
    validate: check.validate,
    onSave: (draft: string) => save({ [field]: check.parse(draft) }, { name: field, label }),
  });

  return (
    <RecordFrame>
      <Breadcrumb href={"/companies" as Route} label="Companies" current={company.name} />
      <RecordHeader
        avatar={<RecordIcon kind="company" />}
        title={
          <h1 className="min-w-0">
            <InlineField
              variant="heading"
              label="Name"
              value={company.name}
              display={company.name}
              readOnly={!canWrite}
              editor={textEditor({ className: "h-10 text-base font-semibold" })}
              validate={name.validate}
              onSave={(draft) => save({ name: name.parse(draft) }, { name: "name", label: "Name" })}
            />
          </h1>
        }
        subtitle={[company.industry, company.domain].filter(Boolean).join(" · ") || null}
        tags={
          <RecordTags
            tags={company.tags}
            onChange={(tagIds) => saveTags(tagIds, { name: "tagIds", label: "Tags" })}
            readOnly={!can("tags.apply")}
          />
        }
        actions={
          canWrite ? (
            <DeleteRecordButton
              noun="company"
              name={company.name}
              listHref={"/companies" as Route}
              recordHref={`/companies/${id}` as Route}
              remove={() => remove.mutateAsync({ id })}
              restore={() => restore.mutateAsync({ id })}
              refreshLists={() => queryClient.invalidateQueries({ queryKey: trpc.crm.companies.list.pathKey() })}
            />
          ) : null
        }
      >
        <InlineField
          {...text("domain", "Domain", domain)}
          display={company.domain}
          editor={textEditor({ inputMode: "url", placeholder: "acme.com" })}
          extra={company.domain ? <WebsiteLink domain={company.domain} /> : null}
        />
        <InlineField {...text("industry", "Industry", industry)} display={company.industry} editor={textEditor()} />
        <InlineField
          label="Size"
          value={company.size ?? ""}
          display={company.size ? `${company.size} people` : null}
          empty={!company.size}
          readOnly={!canWrite}
          editor={selectEditor(SIZE_CHOICES, { emptyLabel: "Unknown" })}
          onSave={(draft) => save({ size: (draft || null) as Patch["size"] }, { name: "size", label: "Size" })}
        />
        <InlineField
          {...text("phone", "Phone", phone)}
          display={company.phone}
          editor={textEditor({ type: "tel", inputMode: "tel" })}
        />
        <InlineField
          label="Owner"
          value={company.ownerId ?? ""}
          display={owner ? <MemberName name={owner} /> : null}
          empty={!owner}
          readOnly={!canWrite}
          editor={(props) => <MemberEditor {...props} allowEmpty />}
          onSave={(draft) => save({ ownerId: draft || null }, { name: "ownerId", label: "Owner" })}
        />
      </RecordHeader>
      <RecordBody
        aside={
          <>
            <Panel title="Contacts" count={overview.contacts.length}>
              <ContactList contacts={overview.contacts} empty="No contacts at this company yet." />
              {overview.contacts.length >= RELATED_LIMIT ? <MoreNote /> : null}
            </Panel>
            <Panel title="Deals" count={overview.deals.length}>
              <DealList deals={overview.deals} empty="No deals with this company yet." />
              {overview.deals.length >= RELATED_LIMIT ? <MoreNote /> : null}
            </Panel>
            <CustomFieldsPanel
              entityType="company"
              values={company.customFields}
              readOnly={!canWrite}
              onSave={(fieldKey, label, value: CustomValue | null) =>
                save({ customFields: { [fieldKey]: value } }, { name: "customFields", label })
              }
            />
          </>
        }
      >
        <Timeline entityType="company" entityId={id} />
      </RecordBody>
    </RecordFrame>
  );
}

function MoreNote() {
  return <p className="py-2 text-xs text-slate-500">Showing the {RELATED_LIMIT} most recent.</p>;
}

function WebsiteLink({ domain }: { domain: string }) {
  return (
    <a
      href={`https://${domain}`}
      target="_blank"
      rel="noopener noreferrer"
      title={`Open ${domain}`}
      className={`inline-flex size-8 shrink-0 items-center justify-center rounded-md text-slate-400 hover:bg-slate-100 hover:text-indigo-600 ${focusRing}`}
    >
      <svg className="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
        <path
          fillRule="evenodd"
          d="M4.25 5.5a.75.75 0 0 0-.75.75v8.5c0 .41.34.75.75.75h8.5a.75.75 0 0 0 .75-.75v-4a.75.75 0 0 1 1.5 0v4A2.25 2.25 0 0 1 12.75 17h-8.5A2.25 2.25 0 0 1 2 14.75v-8.5A2.25 2.25 0 0 1 4.25 4h5a.75.75 0 0 1 0 1.5h-5Zm7.25-.75a.75.75 0 0 1 .75-.75h3.5a.75.75 0 0 1 .75.75v3.5a.75.75 0 0 1-1.5 0V6.56l-5.22 5.22a.75.75 0 1 1-1.06-1.06l5.22-5.22h-1.69a.75.75 0 0 1-.75-.75Z"
          clipRule="evenodd"
        />
      </svg>
      <span className="sr-only">Open {domain}</span>
    </a>
  );
}
