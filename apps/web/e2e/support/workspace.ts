import type { APIRequestContext } from "@playwright/test";
import { mutationData } from "./accounts";

/**
 * A small, realistic workspace built through the API as the signed-in user of `request`: tagged
 * companies with their people, a pipeline with deals in several stages (one won, one lost), and
 * notes, calls and tasks (one overdue) on the records. Pages are screenshot and checked against it.
 */
export interface Workspace {
  companyIds: string[];
  contactIds: string[];
  dealIds: string[];
  pipelineId: string;
  stageIds: string[];
}

const COMPANIES = [
  { name: "Lumen Health", domain: "lumen.example", industry: "Healthcare", size: "51-200" },
  { name: "Ferrum Works", domain: "ferrum.example", industry: "Manufacturing", size: "201-1000" },
  { name: "Tsubame Studio", domain: "tsubame.example", industry: "Design", size: "11-50" },
];

const PEOPLE = [
  {
    firstName: "Amara",
    lastName: "Okafor",
    email: "amara@lumen.example",
    jobTitle: "Head of Operations",
    company: 0,
    lifecycle: "customer",
  },
  {
    firstName: "Lukas",
    lastName: "Schneider",
    email: "lukas@ferrum.example",
    jobTitle: "Procurement Lead",
    company: 1,
    lifecycle: "prospect",
  },
  {
    firstName: "Kenji",
    lastName: "Watanabe",
    email: "kenji@tsubame.example",
    phone: "+81 3 5550 1122",
    company: 2,
    lifecycle: "lead",
  },
  {
    firstName: "Sofía",
    lastName: "Martínez",
    phone: "+34 91 555 0199",
    jobTitle: "Founder",
    company: 0,
    lifecycle: "customer",
  },
  {
    firstName: "Priya",
    lastName: "Raman",
    email: "priya@ferrum.example",
    jobTitle: "CTO",
    company: 1,
    lifecycle: "prospect",
  },
];

const DEALS = [
  { title: "Lumen clinic rollout", amountMinor: 4_800_000, stage: 2, company: 0, contact: 0 },
  { title: "Ferrum annual licence", amountMinor: 12_000_000, stage: 3, company: 1, contact: 1 },
  { title: "Tsubame pilot", amountMinor: 900_000, stage: 0, company: 2, contact: 2 },
  { title: "Ferrum second site", amountMinor: 3_500_000, stage: 1, company: 1, contact: 4 },
  { title: "Lumen analytics add-on", amountMinor: 1_500_000, stage: 1, company: 0, contact: 3 },
];

const DAY = 24 * 3600 * 1000;

function isoDate(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);
}

export async function buildWorkspace(request: APIRequestContext): Promise<Workspace> {
  const create = <T>(path: string, input: unknown) => mutationData<T>(request, path, input);
  const vip = await create<{ id: string }>("crm.tags.create", { name: "VIP", color: "#e11d48" });
  const partner = await create<{ id: string }>("crm.tags.create", { name: "Partner", color: "#0891b2" });

  const companyIds: string[] = [];
  for (const company of COMPANIES) companyIds.push((await create<{ id: string }>("crm.companies.create", company)).id);
  await create("crm.tags.set", { entityType: "company", entityId: companyIds[0], tagIds: [vip.id, partner.id] });

  const contactIds: string[] = [];
  for (const { company, lifecycle, ...person } of PEOPLE) {
    const contact = await create<{ id: string }>("crm.contacts.create", {
      ...person,
      companyId: companyIds[company],
      lifecycleStage: lifecycle,
    });
    contactIds.push(contact.id);
  }
  await create("crm.tags.set", { entityType: "contact", entityId: contactIds[0], tagIds: [vip.id] });

  const pipeline = await create<{ id: string; stages: { id: string; isWon: boolean; isLost: boolean }[] }>(
    "crm.pipelines.create",
    { name: "New business" },
  );
  const stageIds = pipeline.stages.map((stage) => stage.id);
  const dealIds: string[] = [];
  for (const [index, deal] of DEALS.entries()) {
    const created = await create<{ id: string }>("crm.deals.create", {
      title: deal.title,
      amountMinor: deal.amountMinor,
      currency: "EUR",
      stageId: stageIds[deal.stage],
      companyId: companyIds[deal.company],
      contactIds: [contactIds[deal.contact]],
      expectedCloseDate: isoDate(20 + index * 15),
    });
    dealIds.push(created.id);
  }
  const won = await create<{ id: string }>("crm.deals.create", {
    title: "Tsubame brand refresh",
    amountMinor: 2_200_000,
    currency: "EUR",
    stageId: stageIds[0],
    companyId: companyIds[2],
  });
  await create("crm.deals.close", { id: won.id, outcome: "won", reason: "Best fit for their team" });
  const lost = await create<{ id: string }>("crm.deals.create", {
    title: "Ferrum legacy migration",
    amountMinor: 6_000_000,
    currency: "EUR",
    stageId: stageIds[1],
    companyId: companyIds[1],
  });
  await create("crm.deals.close", { id: lost.id, outcome: "lost", reason: "Budget moved to next year" });
  dealIds.push(won.id, lost.id);

  await create("crm.activities.create", {
    kind: "note",
    subject: "Kick-off",
    body: "Agreed on a **two-clinic pilot** first, then the rollout.\n\n- Amara owns the schedule\n- Weekly check-in on Tuesdays",
    contactId: contactIds[0],
    dealId: dealIds[0],
  });
  await create("crm.activities.create", {
    kind: "call",
    subject: "Pricing call",
    durationMinutes: 25,
    outcome: "Asked for a volume discount",
    contactId: contactIds[1],
    dealId: dealIds[1],
  });
  await create("crm.activities.create", {
    kind: "meeting",
    subject: "On-site demo",
    durationMinutes: 60,
    occurredAt: new Date(Date.now() - 2 * DAY).toISOString(),
    companyId: companyIds[0],
  });
  await create("crm.activities.create", {
    kind: "task",
    subject: "Send the signed order form",
    dueAt: new Date(Date.now() - DAY).toISOString(),
    contactId: contactIds[0],
  });
  await create("crm.activities.create", {
    kind: "task",
    subject: "Prepare the pilot report",
    dueAt: new Date(Date.now() + 3 * DAY).toISOString(),
    dealId: dealIds[0],
  });

  return { companyIds, contactIds, dealIds, pipelineId: pipeline.id, stageIds };
}
