"use client";

import { currencyCode, dealFields } from "@nexo/crm/schemas";
import { skipToken, useMutation, useQueries, useQuery, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import type { Route } from "next";
import { useState } from "react";
import { Badge } from "~/components/badge";
import { CustomFieldsPanel, type CustomValue } from "~/components/records/custom-fields";
import { DeleteRecordButton } from "~/components/records/delete-record";
import { checkWith, MemberEditor, MemberName, type MoneyDraft, MoneyEditor } from "~/components/records/fields";
import { useMembers } from "~/components/records/hooks";
import { InlineField, selectEditor, textEditor } from "~/components/records/inline-field";
import {
  Breadcrumb,
  LinkedRow,
  Panel,
  RecordBody,
  RecordFrame,
  RecordHeader,
  RecordIcon,
  RecordLink,
} from "~/components/records/layout";
import { timelineQuery } from "~/components/records/queries";
import { ContactsPicker, PencilIcon, RecordPicker, type RecordRef } from "~/components/records/record-picker";
import { RecordTags } from "~/components/records/record-tags";
import { ContactList, type ContactSummary, contactName } from "~/components/records/related";
import { Timeline } from "~/components/records/timeline";
import { useOptimisticSave } from "~/components/records/use-optimistic-save";
import { usePermissions } from "~/hooks/use-permissions";
import { formatDate, formatMoney, minorDigits, parseMoney } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import type { RouterInputs, RouterOutputs } from "~/trpc/types";

type Deal = RouterOutputs["crm"]["deals"]["get"];
type Patch = Omit<RouterInputs["crm"]["deals"]["update"], "id">;

const title = checkWith(dealFields.shape.title);
const currency = checkWith(dealFields.shape.currency);
const currencyForm = checkWith(currencyCode);
const closeDate = checkWith(dealFields.shape.expectedCloseDate);

function moneyDraft(deal: Pick<Deal, "amountMinor" | "currency">): MoneyDraft {
  const digits = minorDigits(deal.currency);
  return { amount: (deal.amountMinor / 10 ** digits).toFixed(digits), currency: deal.currency };
}

/** `stored`: the deal's own code, which it may keep even if no longer known (see deals.update). */
function moneyProblem(draft: MoneyDraft, stored: string): string | undefined {
  const same = draft.currency.trim().toUpperCase() === stored;
  const code = (same ? currencyForm : currency).validate(draft.currency);
  if (code) return code;
  const minor = parseMoney(draft.amount, draft.currency.trim().toUpperCase());
  if (minor === null)
    return `Enter an amount like ${(1250).toFixed(minorDigits(draft.currency.trim().toUpperCase()))}.`;
  if (minor < 0) return "Amount cannot be negative.";
  return undefined;
}

export function DealRecord({ id }: { id: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can } = usePermissions();
  const canWrite = can("deals.write");
  const members = useMembers();
  const deal = useSuspenseQuery(trpc.crm.deals.get.queryOptions({ id })).data;
  const pipelines = useQuery(trpc.crm.pipelines.list.queryOptions());
  const company = useQuery(
    trpc.crm.companies.get.queryOptions(deal.companyId ? { id: deal.companyId } : skipToken, { retry: false }),
  );
  const contacts = useQueries({
    queries: deal.contactIds.map((contactId) => ({
      ...trpc.crm.contacts.get.queryOptions({ id: contactId }),
      retry: false,
    })),
  });
  const tags = useQuery(trpc.crm.tags.list.queryOptions());
  // Names of what was just picked, shown before their own queries answer.
  const [picked, setPicked] = useState<Record<string, string>>({});

  const update = useMutation(trpc.crm.deals.update.mutationOptions());
  const move = useMutation(trpc.crm.deals.move.mutationOptions());
  const setTags = useMutation(trpc.crm.tags.set.mutationOptions());
  const remove = useMutation(trpc.crm.deals.delete.mutationOptions());
  const restore = useMutation(trpc.crm.deals.restore.mutationOptions());
  const key = trpc.crm.deals.get.queryKey({ id });
  const refreshAround = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: timelineQuery(trpc, "deal", id).queryKey }),
      queryClient.invalidateQueries({ queryKey: trpc.crm.deals.list.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.crm.deals.board.pathKey() }),
    ]);

  const save = useOptimisticSave<Deal, Patch, Awaited<ReturnType<typeof update.mutateAsync>>>({
    queryKey: key,
    apply: (data, patch) => {
      const { customFields, ...fields } = patch;
      const merged = { ...data.customFields, ...customFields };
      for (const [k, v] of Object.entries(merged)) if (v === null) delete merged[k];
      return { ...data, ...(fields as Partial<Deal>), customFields: merged as Deal["customFields"] };
    },
    send: (patch) => update.mutateAsync({ id, ...patch }),
    // Tags are saved on their own: an answer to an earlier field save must not undo a newer tag change.
    settle: (data, result) => ({ ...data, ...result, tags: data.tags }),
    afterSave: refreshAround,
  });
  const saveStage = useOptimisticSave<Deal, string, Awaited<ReturnType<typeof move.mutateAsync>>>({
    queryKey: key,
    apply: (data, stageId) => ({ ...data, stageId }),
    send: (stageId) => move.mutateAsync({ id, stageId }),
    // Tags are saved on their own: an answer to an earlier field save must not undo a newer tag change.
    settle: (data, result) => ({ ...data, ...result, tags: data.tags }),
    afterSave: refreshAround,
  });
  const saveTags = useOptimisticSave<Deal, string[], unknown>({
    queryKey: key,
    apply: (data, tagIds) => ({ ...data, tags: (tags.data ?? []).filter((tag) => tagIds.includes(tag.id)) }),
    send: (tagIds) => setTags.mutateAsync({ entityType: "deal", entityId: id, tagIds }),
    afterSave: refreshAround,
  });

  const pipeline = pipelines.data?.find((p) => p.id === deal.pipelineId);
  const stage = pipeline?.stages.find((s) => s.id === deal.stageId);
  const owner = deal.ownerId ? members.name(deal.ownerId) : null;
  const companyName = deal.companyId ? (picked[deal.companyId] ?? company.data?.name) : undefined;
  const linkedContacts: ContactSummary[] = deal.contactIds.map((contactId, index) => {
    const loaded = contacts[index]?.data;
    if (loaded) return loaded;
    const [firstName = "", ...rest] = (picked[contactId] ?? "").split(" ");
    return { id: contactId, firstName: firstName || "…", lastName: rest.join(" "), email: null, jobTitle: null };
  });
  const remember = (refs: RecordRef[]) =>
    setPicked((current) => ({ ...current, ...Object.fromEntries(refs.map((ref) => [ref.id, ref.name])) }));

  return (
    <RecordFrame>
      <Breadcrumb href={"/deals" as Route} label="Deals" current={deal.title} />
      <RecordHeader
        avatar={<RecordIcon kind="deal" />}
        title={
          <h1 className="min-w-0">
            <InlineField
              variant="heading"
              label="Title"
              value={deal.title}
              display={deal.title}
              readOnly={!canWrite}
              editor={textEditor({ className: "h-10 text-base font-semibold" })}
              validate={title.validate}
              onSave={(draft) => save({ title: title.parse(draft) }, { name: "title", label: "Title" })}
            />
          </h1>
        }
        subtitle={
          <span className="flex items-center gap-1.5">
            <span className="font-medium text-slate-700 tabular-nums">
              {formatMoney(deal.amountMinor, deal.currency)}
            </span>
            {pipeline ? (
              <>
                <span aria-hidden="true">·</span>
                <span className="truncate">{pipeline.name}</span>
              </>
            ) : null}
            {deal.status !== "open" ? (
              <Badge tone={deal.status === "won" ? "green" : "red"}>{deal.status === "won" ? "Won" : "Lost"}</Badge>
            ) : null}
          </span>
        }
        tags={
          <RecordTags
            tags={deal.tags}
            onChange={(tagIds) => saveTags(tagIds, { name: "tagIds", label: "Tags" })}
            readOnly={!can("tags.apply")}
          />
        }
        actions={
          canWrite ? (
            <DeleteRecordButton
              noun="deal"
              name={deal.title}
              listHref={"/deals" as Route}
              recordHref={`/deals/${id}` as Route}
              remove={() => remove.mutateAsync({ id })}
              restore={() => restore.mutateAsync({ id })}
              refreshLists={() =>
                Promise.all([
                  queryClient.invalidateQueries({ queryKey: trpc.crm.deals.list.pathKey() }),
                  queryClient.invalidateQueries({ queryKey: trpc.crm.deals.board.pathKey() }),
                ])
              }
            />
          ) : null
        }
      >
        <InlineField<MoneyDraft>
          label="Amount"
          value={moneyDraft(deal)}
          display={<span className="tabular-nums">{formatMoney(deal.amountMinor, deal.currency)}</span>}
          readOnly={!canWrite}
          equals={(a, b) => a.amount === b.amount && a.currency === b.currency}
          editor={MoneyEditor}
          validate={(draft) => moneyProblem(draft, deal.currency)}
          onSave={(draft) => {
            const code = currencyForm.parse(draft.currency);
            return save(
              { amountMinor: parseMoney(draft.amount, code) ?? 0, currency: code },
              { name: "amountMinor", label: "Amount" },
            );
          }}
        />
        <InlineField<string>
          label="Stage"
          value={deal.stageId}
          display={stage?.name ?? "—"}
          readOnly={!canWrite}
          editor={selectEditor((pipeline?.stages ?? []).map((s) => ({ value: s.id, label: s.name })))}
          onSave={(draft) => saveStage(draft, { name: "stageId", label: "Stage" })}
        />
        <InlineField
          label="Expected close"
          value={deal.expectedCloseDate ?? ""}
          display={deal.expectedCloseDate ? formatDate(deal.expectedCloseDate) : null}
          empty={!deal.expectedCloseDate}
          readOnly={!canWrite}
          editor={textEditor({ type: "date" })}
          validate={(draft) => closeDate.validate(draft || null)}
          onSave={(draft) =>
            save({ expectedCloseDate: draft || null }, { name: "expectedCloseDate", label: "Expected close date" })
          }
        />
        <InlineField
          label="Owner"
          value={deal.ownerId ?? ""}
          display={owner ? <MemberName name={owner} /> : null}
          empty={!owner}
          readOnly={!canWrite}
          editor={(props) => <MemberEditor {...props} allowEmpty />}
          onSave={(draft) => save({ ownerId: draft || null }, { name: "ownerId", label: "Owner" })}
        />
        <LinkedRow
          label="Company"
          action={
            canWrite ? (
              <RecordPicker
                kind="company"
                value={deal.companyId ? { id: deal.companyId, name: companyName ?? "" } : null}
                triggerLabel={deal.companyId ? "Change company" : "Choose a company"}
                trigger={<PencilIcon />}
                onChange={(next) => {
                  if (next) remember([next]);
                  void save({ companyId: next?.id ?? null }, { name: "companyId", label: "Company" });
                }}
              />
            ) : null
          }
        >
          {deal.companyId ? (
            companyName ? (
              <RecordLink href={`/companies/${deal.companyId}` as Route}>{companyName}</RecordLink>
            ) : (
              <span className="text-slate-500">{company.isPending ? "…" : "A company you can’t see"}</span>
            )
          ) : (
            <span className="text-slate-500">No company</span>
          )}
        </LinkedRow>
      </RecordHeader>
      <RecordBody
        aside={
          <>
            <Panel
              title="Contacts"
              count={deal.contactIds.length}
              action={
                canWrite ? (
                  <ContactsPicker
                    value={linkedContacts.map((c) => ({ id: c.id, name: contactName(c) }))}
                    triggerLabel="Edit the deal’s contacts"
                    trigger={<PencilIcon />}
                    onChange={(next) => {
                      remember(next);
                      return save({ contactIds: next.map((c) => c.id) }, { name: "contactIds", label: "Contacts" });
                    }}
                  />
                ) : null
              }
            >
              <ContactList contacts={linkedContacts} empty="No contacts on this deal yet." />
            </Panel>
            <CustomFieldsPanel
              entityType="deal"
              values={deal.customFields}
              readOnly={!canWrite}
              onSave={(fieldKey, label, value: CustomValue | null) =>
                save({ customFields: { [fieldKey]: value } }, { name: "customFields", label })
              }
            />
          </>
        }
      >
        <Timeline entityType="deal" entityId={id} currency={deal.currency} />
      </RecordBody>
    </RecordFrame>
  );
}
