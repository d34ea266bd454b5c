import { expect, test } from "@playwright/test";
import {
  acceptInviteViaApi,
  callMutation,
  createInviteLink,
  mutationData,
  newUser,
  queryData,
  registerViaApi,
} from "./support/accounts";
import { whenHydrated } from "./support/hydration";

interface Created {
  id: string;
}

const DAY = 86_400_000;

test("a task is created on /tasks, completed with one click, and stays done", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await registerViaApi(page.request, newUser("tasks"));
  const contact = await mutationData<Created>(page.request, "crm.contacts.create", {
    firstName: "Katherine",
    lastName: "Johnson",
  });

  await page.goto("/tasks");
  await expect(page.getByRole("heading", { name: "No tasks — create one" })).toBeVisible();
  await page.getByRole("button", { name: "New task" }).first().click();
  const dialog = page.getByRole("dialog", { name: "New task" });
  await dialog.getByRole("button", { name: "Add task" }).click();
  await expect(dialog.getByLabel("Title")).toHaveAccessibleDescription("Give the task a title.");
  await dialog.getByLabel("Title").fill("Send the orbit figures");
  const today = new Date();
  const iso = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, "0")}-${String(today.getDate()).padStart(2, "0")}`;
  await dialog.getByLabel("Due date").fill(iso);
  await dialog.getByLabel("Related to").selectOption("contact");
  await dialog.getByRole("searchbox", { name: "Find a contact" }).fill("kathe");
  await dialog
    .getByRole("list", { name: "Contacts" })
    .getByRole("button", { name: /Katherine Johnson/ })
    .click();
  await expect(dialog.getByRole("button", { name: "Change the contact" })).toBeVisible();
  await expect(dialog).toContainText("Katherine Johnson");
  await dialog.getByRole("button", { name: "Add task" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("status").getByText("Task added.")).toBeVisible();

  // Due by the end of today: in "Today", linked to its contact.
  const todayGroup = page.getByRole("list", { name: /^Today/ });
  await expect(todayGroup.getByRole("listitem")).toHaveCount(1);
  await expect(todayGroup).toContainText("Send the orbit figures");
  await expect(todayGroup).toContainText("Today");
  await expect(todayGroup.getByRole("link", { name: "Katherine Johnson" })).toHaveAttribute(
    "href",
    `/contacts/${contact.id}`,
  );

  await todayGroup.getByRole("checkbox", { name: "Complete “Send the orbit figures”" }).click();
  await expect(page.getByRole("status").getByText("Completed “Send the orbit figures”.")).toBeVisible();
  await expect(page.getByRole("heading", { name: "No tasks — create one" })).toBeVisible();

  await page.reload();
  await expect(page.getByRole("heading", { name: "No tasks — create one" })).toBeVisible();
  // On the contact's timeline it shows as done.
  await page.goto(`/contacts/${contact.id}`);
  const done = page.getByRole("article", { name: "Task: Send the orbit figures" });
  await expect(done.getByRole("checkbox")).toBeChecked();
  await expect(done).toContainText("Done");
  expect(errors).toEqual([]);
});

test("tasks are grouped overdue, today and upcoming; Undo reopens a completed one", async ({ page }) => {
  await registerViaApi(page.request, newUser("buckets"));
  const me = await queryData<{ user: { id: string } }>(page.request, "auth.me");
  const deal = await (async () => {
    const pipeline = await mutationData<{ stages: Created[] }>(page.request, "crm.pipelines.create", { name: "P" });
    return mutationData<Created>(page.request, "crm.deals.create", {
      title: "Apollo guidance",
      currency: "USD",
      stageId: pipeline.stages[0]?.id,
    });
  })();
  const task = (subject: string, dueAt: Date | null, extra: Record<string, unknown> = {}) =>
    callMutation(page.request, "crm.activities.create", {
      kind: "task",
      subject,
      dueAt: dueAt?.toISOString() ?? null,
      assigneeId: me.user.id,
      ...extra,
    });
  await task("Late report", new Date(Date.now() - 2 * DAY), { dealId: deal.id });
  await task("Next week's review", new Date(Date.now() + 7 * DAY));
  await task("Someday idea", null);
  await task("Someone else's", new Date(Date.now() - DAY), { assigneeId: null });

  await page.goto("/tasks");
  const overdue = page.getByRole("list", { name: /^Overdue/ });
  const upcoming = page.getByRole("list", { name: /^Upcoming/ });
  await expect(overdue.getByRole("listitem")).toHaveCount(1);
  await expect(overdue).toContainText("Late report");
  await expect(overdue.getByRole("link", { name: "Apollo guidance" })).toHaveAttribute("href", `/deals/${deal.id}`);
  await expect(page.getByRole("list", { name: /^Today/ })).toHaveCount(0);
  await expect(upcoming.getByRole("listitem")).toHaveCount(2);
  await expect(upcoming.getByRole("listitem").first()).toContainText("Next week's review");
  await expect(upcoming.getByRole("listitem").last()).toContainText("Someday idea");
  await expect(upcoming.getByRole("listitem").last()).toContainText("Personal to-do");
  await expect(page.getByText("Someone else's")).toHaveCount(0);

  await overdue.getByRole("checkbox", { name: "Complete “Late report”" }).click();
  await expect(overdue).toHaveCount(0);
  await page.getByRole("status").getByRole("button", { name: "Undo" }).click();
  await expect(page.getByRole("list", { name: /^Overdue/ })).toContainText("Late report");
  await page.reload();
  await expect(page.getByRole("list", { name: /^Overdue/ })).toContainText("Late report");

  // Everyone's tasks, for those who may see them; the choice is kept in the address.
  await page.getByRole("button", { name: "Everyone" }).click();
  await expect(page).toHaveURL(/\/tasks\?view=everyone$/);
  const everyoneOverdue = page.getByRole("list", { name: /^Overdue/ });
  await expect(everyoneOverdue.getByRole("listitem")).toHaveCount(2);
  await expect(everyoneOverdue).toContainText("Someone else's");
  await expect(everyoneOverdue).toContainText("Unassigned");
  await page.reload();
  await expect(page.getByRole("button", { name: "Everyone" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByRole("list", { name: /^Overdue/ }).getByRole("listitem")).toHaveCount(2);
});

test("a failed completion puts the task back and says so", async ({ browser }) => {
  const ownerCtx = await browser.newContext();
  await registerViaApi(ownerCtx.request, newUser("revoked"));
  const viewerCtx = await browser.newContext();
  await acceptInviteViaApi(viewerCtx.request, await createInviteLink(ownerCtx.request, "member"), newUser("member"));
  const member = await queryData<{ user: { id: string } }>(viewerCtx.request, "auth.me");
  const contact = await mutationData<Created>(ownerCtx.request, "crm.contacts.create", { firstName: "Dorothy" });
  const created = await mutationData<Created>(ownerCtx.request, "crm.activities.create", {
    kind: "task",
    subject: "Check the punch cards",
    contactId: contact.id,
    assigneeId: member.user.id,
  });

  const page = await viewerCtx.newPage();
  await page.goto("/tasks");
  const later = page.getByRole("list", { name: /^Upcoming/ });
  await expect(later).toContainText("Check the punch cards");
  // Someone deletes the task meanwhile: completing it fails, and the row comes back.
  await callMutation(ownerCtx.request, "crm.activities.delete", { id: created.id });
  const complete = later.getByRole("checkbox", { name: "Complete “Check the punch cards”" });
  await whenHydrated(complete);
  await complete.click();
  await expect(page.getByRole("status").getByText(/wasn’t completed: Activity not found\./)).toBeVisible();
  await expect(later).toContainText("Check the punch cards");
  await ownerCtx.close();
  await viewerCtx.close();
});

test("a task is added and ticked off on a record's timeline", async ({ page }) => {
  await registerViaApi(page.request, newUser("timeline-task"));
  const company = await mutationData<Created>(page.request, "crm.companies.create", { name: "Langley" });
  await page.goto(`/companies/${company.id}`);
  await page.getByRole("tab", { name: "Task" }).click();
  const form = page.getByRole("form", { name: "New task" });
  await form.getByLabel("Title").fill("Book the wind tunnel");
  await form.getByLabel("Due date").fill("2030-05-01");
  await form.getByLabel("Time").fill("14:30");
  await form.getByRole("button", { name: "Add task" }).click();
  const task = page.getByRole("article", { name: "Task: Book the wind tunnel" });
  await expect(task).toContainText("Due 1 May 2030, 14:30");
  await expect(task).toContainText("Assigned to Grace Hopper");
  await task.getByRole("checkbox", { name: "Mark as done: Book the wind tunnel" }).check();
  await expect(task.getByRole("checkbox")).toBeChecked();
  // The box is ticked before the server has answered; a reload must not race the write.
  const timeline = `crm.activities.timeline?input=${encodeURIComponent(
    JSON.stringify({ json: { entityType: "company", entityId: company.id } }),
  )}`;
  await expect
    .poll(async () => {
      return JSON.stringify(await queryData<unknown>(page.request, timeline));
    })
    .toMatch(/"doneAt":"\d{4}-/);
  await page.reload();
  await expect(page.getByRole("article", { name: "Task: Book the wind tunnel" }).getByRole("checkbox")).toBeChecked();
  await page.goto("/tasks");
  await expect(page.getByRole("heading", { name: "No tasks — create one" })).toBeVisible();
});
