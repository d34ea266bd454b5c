import { readFile } from "node:fs/promises";
import { type APIRequestContext, expect, type Locator, type Page, test } from "@playwright/test";
import {
  acceptInviteViaApi,
  callMutation,
  createInviteLink,
  mutationData,
  newUser,
  queryData,
  registerViaApi,
} from "./support/accounts";

/** Imports a CSV through the gateway, as the import page does: many records in one request. */
async function importCsv(request: APIRequestContext, kind: "contacts" | "companies" | "deals", csv: string) {
  const response = await request.post(`${process.env.E2E_GATEWAY_URL}/import/${kind}`, {
    data: csv,
    headers: { "content-type": "text/csv", origin: process.env.E2E_WEB_URL ?? "" },
  });
  expect(response.ok(), await response.text()).toBe(true);
}

async function createContact(request: APIRequestContext, input: Record<string, unknown>) {
  return mutationData<{ id: string }>(request, "crm.contacts.create", input);
}

/** The body rows of a list's table (the header row left out). */
function bodyRows(table: Locator): Locator {
  return table.locator("tbody").getByRole("row");
}

/** Names in the first column of each row, in order. */
async function names(page: Page, label: string): Promise<string[]> {
  const links = page.getByRole("table", { name: label }).locator("tbody").getByRole("link");
  return (await links.allTextContents()).filter((text) => text.trim() !== "");
}

/** Records every tRPC call the page makes from now on. */
function watchApi(page: Page): string[] {
  const calls: string[] = [];
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith("/api/trpc/")) calls.push(path.slice("/api/trpc/".length));
  });
  return calls;
}

/**
 * Resolves once the page is hydrated and idle: the toolbar's menus, which load when the browser is
 * idle, have taken over from their stand-ins. A list fetched again on load would have been asked
 * for by then.
 */
async function settled(page: Page) {
  await expect(page.getByRole("button", { name: /^Filters\b/ })).toHaveAttribute("data-state", "closed");
}

/** The next answer to a tRPC mutation (its rows already show the change; this is the server's word). */
function nextAnswer(page: Page, procedure: string) {
  return page.waitForResponse(
    (response) =>
      response.request().method() === "POST" && new URL(response.url()).pathname.split("/").pop()!.includes(procedure),
  );
}

async function openFilters(page: Page) {
  await page.getByRole("button", { name: "Filters", exact: true }).click();
  return page.getByRole("dialog", { name: "Filters" });
}

test("sorts by the columns the API can sort, kept in the URL and rendered by the server", async ({ page }) => {
  await registerViaApi(page.request, newUser("sort"));
  for (const [firstName, lastName] of [
    ["Zoe", "Adams"],
    ["Yuri", "Baker"],
    ["Xena", "Clark"],
  ]) {
    await createContact(page.request, { firstName, lastName });
  }
  await page.goto("/contacts");
  const table = page.getByRole("table", { name: "Contacts" });
  // Newest first by default.
  expect(await names(page, "Contacts")).toEqual(["Xena Clark", "Yuri Baker", "Zoe Adams"]);
  const nameHeader = table.getByRole("columnheader", { name: /Name/ });
  await expect(nameHeader).not.toHaveAttribute("aria-sort");
  // Only columns the API can order by offer sorting.
  await expect(table.getByRole("columnheader", { name: "Email" }).getByRole("button")).toHaveCount(0);

  await nameHeader.getByRole("button").click();
  await expect(page).toHaveURL(/[?&]sort=name\b/);
  await expect(nameHeader).toHaveAttribute("aria-sort", "ascending");
  await expect.poll(() => names(page, "Contacts")).toEqual(["Zoe Adams", "Yuri Baker", "Xena Clark"]);

  const calls = watchApi(page);
  await page.reload();
  await expect(nameHeader).toHaveAttribute("aria-sort", "ascending");
  expect(await names(page, "Contacts")).toEqual(["Zoe Adams", "Yuri Baker", "Xena Clark"]);
  await settled(page);
  expect(calls.filter((call) => call.includes("crm.contacts.list"))).toEqual([]);

  // Name sorts one way only: a second click goes back to the default order.
  await nameHeader.getByRole("button").click();
  await expect(page).not.toHaveURL(/sort=/);
  await expect.poll(() => names(page, "Contacts")).toEqual(["Xena Clark", "Yuri Baker", "Zoe Adams"]);

  const activity = table.getByRole("columnheader", { name: /Last activity/ });
  await activity.getByRole("button").click();
  await expect(page).toHaveURL(/[?&]sort=lastActivity\b/);
  await expect(activity).toHaveAttribute("aria-sort", "descending");
});

test("filters by tag and owner from the URL, renders them on the server and clears them", async ({ browser }) => {
  const ownerCtx = await browser.newContext();
  const request = ownerCtx.request;
  await registerViaApi(request, newUser("filters"));
  const member = { ...newUser("filters-member"), name: "Mia Member" };
  const memberCtx = await browser.newContext();
  await acceptInviteViaApi(memberCtx.request, await createInviteLink(request, "member"), member);
  const members = await queryData<{ userId: string; name: string }[]>(request, "auth.members.list");
  const mia = members.find((m) => m.name === "Mia Member")!;

  const vip = await mutationData<{ id: string }>(request, "crm.tags.create", { name: "VIP" });
  const tagged = await createContact(request, { firstName: "Tessa", lastName: "Tagged" });
  await createContact(request, { firstName: "Ursula", lastName: "Untagged" });
  const handed = await createContact(request, { firstName: "Hank", lastName: "Handed" });
  await callMutation(request, "crm.tags.set", { entityType: "contact", entityId: tagged.id, tagIds: [vip.id] });
  await callMutation(request, "crm.contacts.bulkAssignOwner", { ids: [handed.id], ownerId: mia.userId });

  const page = await ownerCtx.newPage();
  await page.goto("/contacts");
  const table = page.getByRole("table", { name: "Contacts" });
  await expect(bodyRows(table)).toHaveCount(3);

  const filters = await openFilters(page);
  await filters.getByLabel("Tag", { exact: true }).selectOption({ label: "VIP" });
  await expect(page).toHaveURL(new RegExp(`[?&]tag=${vip.id}`));
  await expect(bodyRows(table)).toHaveCount(1);
  await expect(table).toContainText("Tessa Tagged");
  await expect(page.getByText("1 contact", { exact: true })).toBeVisible();

  // Tag and owner together match nobody: the empty state offers to clear the filters.
  await filters.getByLabel("Owner").selectOption({ label: "Mia Member" });
  await page.keyboard.press("Escape");
  await expect(page.getByRole("heading", { name: "No contacts match these filters" })).toBeVisible();
  await page
    .getByRole("list", { name: "Active filters" })
    .getByRole("button", { name: "Remove filter Tag: VIP" })
    .click();
  await expect(bodyRows(table)).toHaveCount(1);
  await expect(table).toContainText("Hank Handed");
  await expect(page).toHaveURL(new RegExp(`[?&]owner=${mia.userId}`));

  // The filtered URL is rendered by the server: the rows arrive with the page.
  const calls = watchApi(page);
  await page.reload();
  await expect(bodyRows(table)).toHaveCount(1);
  await expect(table).toContainText("Hank Handed");
  await expect(page.getByRole("list", { name: "Active filters" })).toContainText("Owner: Mia Member");
  await settled(page);
  expect(calls).toEqual([]);

  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(bodyRows(table)).toHaveCount(3);
  await expect(page).toHaveURL(/\/contacts$/);

  await ownerCtx.close();
  await memberCtx.close();
});

test("saves the filters, sort and columns as a view, and brings the view back after a reload", async ({ page }) => {
  await registerViaApi(page.request, newUser("views"));
  await createContact(page.request, { firstName: "Cora", lastName: "Customer", lifecycleStage: "customer" });
  await createContact(page.request, { firstName: "Leo", lastName: "Lead", lifecycleStage: "lead", phone: "+1 555" });
  await page.goto("/contacts");
  const table = page.getByRole("table", { name: "Contacts" });
  await expect(bodyRows(table)).toHaveCount(2);

  const filters = await openFilters(page);
  await filters.getByLabel("Lifecycle stage").selectOption("customer");
  await page.keyboard.press("Escape");
  await expect(bodyRows(table)).toHaveCount(1);
  await page.getByRole("button", { name: "Columns", exact: true }).click();
  await page.getByRole("menuitemcheckbox", { name: "Phone" }).click();
  await page.keyboard.press("Escape");
  await expect(table.getByRole("columnheader", { name: "Phone" })).toHaveCount(0);

  await page.getByRole("button", { name: "View: All contacts" }).click();
  await page.getByRole("menuitem", { name: "Save as new view…" }).click();
  const dialog = page.getByRole("dialog", { name: "Save view" });
  await dialog.getByLabel("Name").fill("Customers");
  await dialog.getByLabel(/Share with the organization/).check();
  await dialog.getByRole("button", { name: "Save view" }).click();
  await expect(page.getByText("View “Customers” created.")).toBeVisible();
  await expect(page).toHaveURL(/[?&]view=[0-9a-f-]{36}/);
  await expect(page.getByRole("button", { name: "View: Customers" })).toBeVisible();

  // A clean list, then the view chosen from the menu.
  await page.goto("/contacts");
  await expect(bodyRows(table)).toHaveCount(2);
  await expect(table.getByRole("columnheader", { name: "Phone" })).toBeVisible();
  await page.getByRole("button", { name: "View: All contacts" }).click();
  await page.getByRole("menuitemradio", { name: /Customers/ }).click();
  await expect(bodyRows(table)).toHaveCount(1);
  await expect(table).toContainText("Cora Customer");
  await expect(table.getByRole("columnheader", { name: "Phone" })).toHaveCount(0);

  await page.reload();
  await expect(page.getByRole("button", { name: "View: Customers" })).toBeVisible();
  await expect(bodyRows(table)).toHaveCount(1);
  await expect(table.getByRole("columnheader", { name: "Phone" })).toHaveCount(0);

  // Changing the list marks the view as edited; saving the change updates it.
  await page.getByRole("button", { name: "Remove filter Lifecycle stage: Customer" }).click();
  await expect(bodyRows(table)).toHaveCount(2);
  await expect(page.getByRole("button", { name: /View: Customers\s*\(edited\)/ })).toBeVisible();
  await page.getByRole("button", { name: "Update view" }).click();
  await expect(page.getByText("View “Customers” saved.")).toBeVisible();
  await expect(page.getByRole("button", { name: "View: Customers", exact: true })).toBeVisible();

  await page.getByRole("button", { name: "View: Customers", exact: true }).click();
  await page.getByRole("menuitem", { name: "Delete view…" }).click();
  await page
    .getByRole("alertdialog", { name: "Delete view “Customers”?" })
    .getByRole("button", { name: "Delete view" })
    .click();
  await expect(page.getByText("View “Customers” deleted.")).toBeVisible();
  await expect(page.getByRole("button", { name: "View: All contacts" })).toBeVisible();
  await expect(page).not.toHaveURL(/view=/);
});

test("hides and shows columns, custom fields included, and filters on a custom field", async ({ page }) => {
  await registerViaApi(page.request, newUser("columns"));
  await callMutation(page.request, "crm.customFields.create", {
    entityType: "contact",
    key: "seats",
    label: "Seats",
    type: "number",
  });
  await createContact(page.request, { firstName: "Small", lastName: "Shop", customFields: { seats: 3 } });
  await createContact(page.request, { firstName: "Large", lastName: "Firm", customFields: { seats: 40 } });
  await page.goto("/contacts");
  const table = page.getByRole("table", { name: "Contacts" });
  await expect(table.getByRole("columnheader", { name: "Email" })).toBeVisible();
  await expect(table.getByRole("columnheader", { name: "Seats" })).toHaveCount(0);

  await page.getByRole("button", { name: "Columns", exact: true }).click();
  await page.getByRole("menuitemcheckbox", { name: "Email" }).click();
  await page.getByRole("menuitemcheckbox", { name: "Seats" }).click();
  await page.keyboard.press("Escape");
  await expect(table.getByRole("columnheader", { name: "Email" })).toHaveCount(0);
  await expect(table.getByRole("columnheader", { name: "Seats" })).toBeVisible();
  await expect(table.getByRole("row", { name: /Large Firm/ })).toContainText("40");
  await expect(page).toHaveURL(/[?&]cols=[^&]*customFields\.seats/);

  await page.reload();
  await expect(table.getByRole("columnheader", { name: "Email" })).toHaveCount(0);
  await expect(table.getByRole("columnheader", { name: "Seats" })).toBeVisible();

  const filters = await openFilters(page);
  await filters.getByLabel("Custom field").selectOption({ label: "Seats" });
  await filters.getByLabel("Condition").selectOption(">");
  await filters.getByLabel("Seats value").fill("10");
  await expect(bodyRows(table)).toHaveCount(1);
  await expect(table).toContainText("Large Firm");
  await page.keyboard.press("Escape");
  await expect(page.getByRole("list", { name: "Active filters" })).toContainText("Seats > 10");

  // A reload types the filter from the field's definition again, on the server.
  await page.reload();
  await expect(bodyRows(table)).toHaveCount(1);
  await expect(table).toContainText("Large Firm");
});

test("tags and deletes the selected contacts in bulk, and Undo brings them back", async ({ page }) => {
  await registerViaApi(page.request, newUser("bulk"));
  await callMutation(page.request, "crm.tags.create", { name: "Conference" });
  for (const firstName of ["Anna", "Boris", "Chen"]) await createContact(page.request, { firstName, lastName: "Bulk" });
  await page.goto("/contacts");
  const table = page.getByRole("table", { name: "Contacts" });
  await expect(bodyRows(table)).toHaveCount(3);

  await table.getByRole("checkbox", { name: "Select Anna Bulk" }).check();
  await table.getByRole("checkbox", { name: "Select Chen Bulk" }).check();
  const bar = page.getByRole("region", { name: "Bulk actions" });
  await expect(bar).toContainText("2 contacts selected");

  await bar.getByRole("button", { name: "Add tag" }).click();
  await page.getByRole("menuitem", { name: "Conference" }).click();
  await expect(page.getByText("Tagged 2 contacts “Conference”.")).toBeVisible();
  await expect(bar).toHaveCount(0);
  await expect(table.getByRole("row", { name: /Anna Bulk/ })).toContainText("Conference");
  await expect(table.getByRole("row", { name: /Chen Bulk/ })).toContainText("Conference");
  await expect(table.getByRole("row", { name: /Boris Bulk/ })).not.toContainText("Conference");

  // Select all loaded, then leave one out.
  await table.getByRole("checkbox", { name: "Select all loaded contacts" }).check();
  await table.getByRole("checkbox", { name: "Select Boris Bulk" }).uncheck();
  await expect(bar).toContainText("2 contacts selected");
  await bar.getByRole("button", { name: "Delete" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Delete 2 contacts?" });
  await expect(confirm.getByRole("button", { name: "Cancel" })).toBeFocused();
  await confirm.getByRole("button", { name: "Delete 2 contacts" }).click();
  await expect(page.getByText("Deleted 2 contacts.")).toBeVisible();
  await expect(bodyRows(table)).toHaveCount(1);
  await expect(table).toContainText("Boris Bulk");

  await page.getByRole("button", { name: "Undo" }).click();
  await expect(page.getByText("Restored 2 contacts.")).toBeVisible();
  await expect(bodyRows(table)).toHaveCount(3);
  await page.reload();
  await expect(bodyRows(table)).toHaveCount(3);
  await expect(table.getByRole("row", { name: /Chen Bulk/ })).toContainText("Conference");
});

test("edits cells in place: Enter saves, Escape cancels, a bad email is refused next to the input", async ({
  page,
}) => {
  await registerViaApi(page.request, newUser("inline"));
  await createContact(page.request, { firstName: "Ines", lastName: "Inline", email: "ines@old.example" });
  await page.goto("/contacts");
  const table = page.getByRole("table", { name: "Contacts" });
  const row = table.getByRole("row", { name: /Ines Inline/ });

  await row.getByRole("button", { name: /edit email of Ines Inline/ }).click();
  const email = row.getByRole("textbox", { name: "Email" });
  await expect(email).toBeFocused();
  await email.fill("not-an-email");
  await email.press("Enter");
  await expect(email).toHaveAttribute("aria-invalid", "true");
  await expect(email).toHaveAccessibleDescription("Enter a valid email address.");
  await email.press("Escape");
  await expect(email).toHaveCount(0);
  await expect(row).toContainText("ines@old.example");
  await expect(row.getByRole("button", { name: /edit email of Ines Inline/ })).toBeFocused();

  // Enter on the focused cell opens it; Enter in the input saves. The row changes at once, before
  // the server has answered.
  await page.keyboard.press("Enter");
  await row.getByRole("textbox", { name: "Email" }).fill("Ines@New.Example");
  let answer = nextAnswer(page, "crm.contacts.update");
  await page.keyboard.press("Enter");
  await expect(row).toContainText("ines@new.example");
  expect((await answer).ok()).toBe(true);

  await row.getByRole("button", { name: /edit title of Ines Inline/ }).click();
  await row.getByRole("textbox", { name: "Job title" }).fill("Engineer");
  answer = nextAnswer(page, "crm.contacts.update");
  await page.keyboard.press("Enter");
  await expect(row).toContainText("Engineer");
  expect((await answer).ok()).toBe(true);

  await row.getByRole("button", { name: /edit lifecycle stage of Ines Inline/ }).click();
  answer = nextAnswer(page, "crm.contacts.update");
  await row.getByRole("combobox", { name: "Lifecycle stage" }).selectOption("customer");
  await expect(row).toContainText("Customer");
  expect((await answer).ok()).toBe(true);

  await row.getByRole("button", { name: "Edit name of Ines Inline" }).click();
  await row.getByRole("textbox", { name: "Last name" }).fill("Renamed");
  answer = nextAnswer(page, "crm.contacts.update");
  await page.keyboard.press("Enter");
  await expect(table.getByRole("row", { name: /Ines Renamed/ })).toBeVisible();
  expect((await answer).ok()).toBe(true);

  await page.reload();
  const saved = table.getByRole("row", { name: /Ines Renamed/ });
  await expect(saved).toContainText("ines@new.example");
  await expect(saved).toContainText("Engineer");
  await expect(saved).toContainText("Customer");
});

test("a change the server refuses rolls back, with a toast and the message at the cell", async ({ page }) => {
  await registerViaApi(page.request, newUser("rollback"));
  await callMutation(page.request, "crm.companies.create", { name: "Taken Inc", domain: "taken.example" });
  await callMutation(page.request, "crm.companies.create", { name: "Free Ltd", domain: "free.example" });
  await page.goto("/companies");
  const row = page.getByRole("table", { name: "Companies" }).getByRole("row", { name: /Free Ltd/ });

  await row.getByRole("button", { name: /edit domain of Free Ltd/ }).click();
  await row.getByRole("textbox", { name: "Domain" }).fill("taken.example");
  await page.keyboard.press("Enter");
  const message = "Another company in your organization already has this domain.";
  await expect(page.getByText(`Free Ltd was not changed: ${message}`)).toBeVisible();
  const input = row.getByRole("textbox", { name: "Domain" });
  await expect(input).toHaveAccessibleDescription(message);
  await input.press("Escape");
  await expect(row).toContainText("free.example");
  await page.reload();
  await expect(page.getByRole("table", { name: "Companies" }).getByRole("row", { name: /Free Ltd/ })).toContainText(
    "free.example",
  );
});

test("exports the filtered list as a CSV download", async ({ page }) => {
  await registerViaApi(page.request, newUser("export"));
  await createContact(page.request, { firstName: "Cassie", lastName: "Customer", lifecycleStage: "customer" });
  await createContact(page.request, { firstName: "Larry", lastName: "Lead", lifecycleStage: "lead" });
  await page.goto("/contacts?lifecycle=customer");
  await expect(bodyRows(page.getByRole("table", { name: "Contacts" }))).toHaveCount(1);

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Export CSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^contacts-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await readFile((await download.path())!, "utf8");
  const lines = csv.trim().split(/\r?\n/);
  expect(lines[0]).toContain("First name");
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain("Cassie,Customer");
  expect(csv).not.toContain("Larry");
});

test("counts the matches and loads more rows as the list scrolls", async ({ page }) => {
  await registerViaApi(page.request, newUser("scroll"));
  const header = "First name,Last name,Email";
  const rows = Array.from({ length: 130 }, (_, i) => {
    const n = String(i + 1).padStart(3, "0");
    return `Person,${n},person${n}@scroll.example`;
  });
  await importCsv(page.request, "contacts", `${[header, ...rows].join("\n")}\n`);
  await page.goto("/contacts");
  const table = page.getByRole("table", { name: "Contacts" });
  await expect(page.getByText("130 contacts", { exact: true })).toBeVisible();
  await expect(table).toHaveAttribute("aria-rowcount", "131");
  await expect(bodyRows(table)).toHaveCount(50);

  // Scrolling to the end of the table loads the next pages. The button is found by its text: a
  // role query names every one of the table's hundreds of cell buttons on each poll, which on a
  // busy machine starves the page it waits for. Beyond the first page only the rows near the view
  // are drawn, so the second page shows its first rows where the first page ended.
  const loadMore = page.locator("button", { hasText: "Load more contacts" });
  const scroller = table.locator("xpath=..");
  // Tabbing to the last row scrolls to the end of the table, which loads the next page; the rows in
  // view stay in place, focus included, when it arrives.
  const lastLink = table.locator("tbody tr[aria-rowindex='51']").getByRole("link").first();
  await lastLink.focus();
  await expect(table.locator("tbody tr[aria-rowindex='55']")).toBeAttached({ timeout: 30_000 });
  await expect(lastLink).toBeFocused();
  await expect(table.locator("tbody tr[aria-rowindex='101']")).not.toBeAttached();
  await expect(loadMore).toBeVisible();
  await scroller.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
  await expect(table.locator("tbody tr[aria-rowindex='101']")).toBeAttached({ timeout: 30_000 });
  await expect(loadMore).toHaveCount(0, { timeout: 30_000 });
  await scroller.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
  await expect(table.locator("tbody tr[aria-rowindex='131']")).toBeAttached({ timeout: 30_000 });
  // With all 130 loaded, only the rows near the view are in the page.
  const rendered = await table.locator("tbody tr[aria-rowindex]").count();
  expect(rendered).toBeLessThan(130);
  await expect(table.locator("tbody tr[aria-rowindex='2']")).not.toBeAttached();
  await scroller.evaluate((element) => element.scrollTo({ top: 0 }));
  await expect(table.locator("tbody tr[aria-rowindex='2']")).toBeAttached({ timeout: 30_000 });
});

test("beyond 1,000 matches the count is the database's estimate, and says so", async ({ page }) => {
  await registerViaApi(page.request, newUser("estimate"));
  const rows = Array.from({ length: 1001 }, (_, i) => `Many,${String(i).padStart(4, "0")}`);
  await importCsv(page.request, "contacts", `First name,Last name\n${rows.join("\n")}\n`);
  await page.goto("/contacts");
  // At least the 1,001 counted, rounded: "about 1,000 contacts" (or more, as the planner guesses).
  await expect(page.getByText(/^about \d{1,3}(,\d{3})+ contacts$/)).toBeVisible();
  // An estimated total is not announced as the table's row count.
  await expect(page.getByRole("table", { name: "Contacts" })).toHaveAttribute("aria-rowcount", "-1");
});

test("a viewer sees the list without selection or editing", async ({ browser }) => {
  const ownerCtx = await browser.newContext();
  await registerViaApi(ownerCtx.request, newUser("list-owner"));
  await createContact(ownerCtx.request, { firstName: "Read", lastName: "Only", email: "read@only.example" });
  const viewerCtx = await browser.newContext();
  await acceptInviteViaApi(viewerCtx.request, await createInviteLink(ownerCtx.request, "viewer"), newUser("viewer"));
  const page = await viewerCtx.newPage();
  await page.goto("/contacts");
  const table = page.getByRole("table", { name: "Contacts" });
  await expect(table).toContainText("read@only.example");
  await expect(table.getByRole("checkbox")).toHaveCount(0);
  await expect(table.getByRole("button", { name: /edit|Delete/ })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Export CSV" })).toHaveCount(0);
  await ownerCtx.close();
  await viewerCtx.close();
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test("the contacts list fits the screen and scrolls sideways inside its frame", async ({ page }) => {
    await registerViaApi(page.request, newUser("phone"));
    await createContact(page.request, {
      firstName: "Penelope",
      lastName: "Phoneworth",
      email: "penelope.phoneworth@a-rather-long-domain.example",
      phone: "+44 20 7946 0000",
      jobTitle: "Head of Partnerships",
    });
    await page.goto("/contacts");
    const table = page.getByRole("table", { name: "Contacts" });
    await expect(table).toContainText("Penelope Phoneworth");
    await expect(page.getByRole("searchbox", { name: "Search contacts" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Filters", exact: true })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const scroller = table.locator("xpath=..");
    expect(await scroller.evaluate((element) => element.scrollWidth > element.clientWidth)).toBe(true);
    // The name stays in view while the other columns scroll under it.
    await scroller.evaluate((element) => element.scrollTo({ left: element.scrollWidth }));
    await expect(table.getByRole("link", { name: "Penelope Phoneworth" })).toBeInViewport();
    await table.getByRole("checkbox", { name: "Select Penelope Phoneworth" }).check();
    await expect(page.getByRole("region", { name: "Bulk actions" })).toContainText("1 contact selected");
  });
});

test("companies: sorted by name, filtered by industry, deleted with Undo", async ({ page }) => {
  await registerViaApi(page.request, newUser("companies"));
  await importCsv(
    page.request,
    "companies",
    "Name,Domain,Industry\nBeta Works,beta.example,Software\nAlpha Forge,alpha.example,Manufacturing\nGamma Soft,gamma.example,Software\n",
  );
  await page.goto("/companies");
  const table = page.getByRole("table", { name: "Companies" });
  await expect(bodyRows(table)).toHaveCount(3);
  await table.getByRole("columnheader", { name: /Name/ }).getByRole("button").click();
  await expect.poll(() => names(page, "Companies")).toEqual(["Alpha Forge", "Beta Works", "Gamma Soft"]);

  const filters = await openFilters(page);
  await filters.getByLabel("Industry").fill("Software");
  await expect(bodyRows(table)).toHaveCount(2);
  await page.keyboard.press("Escape");
  await expect(page).toHaveURL(/[?&]industry=Software/);
  await expect(page.getByText("2 companies", { exact: true })).toBeVisible();

  await table.getByRole("button", { name: "Delete Beta Works" }).click();
  await page
    .getByRole("alertdialog", { name: "Delete Beta Works?" })
    .getByRole("button", { name: "Delete company" })
    .click();
  await expect(page.getByText("Beta Works was deleted.")).toBeVisible();
  await expect(bodyRows(table)).toHaveCount(1);
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(page.getByText("Beta Works was restored.")).toBeVisible();
  await expect(bodyRows(table)).toHaveCount(2);
});

test("deals: a table of the pipeline's deals, filtered by stage, with the amount edited in place", async ({ page }) => {
  await registerViaApi(page.request, newUser("deals"));
  const pipeline = await mutationData<{ id: string; stages: { id: string; name: string }[] }>(
    page.request,
    "crm.pipelines.create",
    { name: "Sales" },
  );
  const [lead, qualified] = pipeline.stages;
  const company = await mutationData<{ id: string }>(page.request, "crm.companies.create", { name: "Orbit Co" });
  await callMutation(page.request, "crm.deals.create", {
    title: "Orbit renewal",
    amountMinor: 1_250_00,
    currency: "EUR",
    stageId: lead!.id,
    companyId: company.id,
  });
  await callMutation(page.request, "crm.deals.create", {
    title: "Nova pilot",
    amountMinor: 80_00,
    currency: "USD",
    stageId: qualified!.id,
  });

  await page.goto("/deals/list");
  const views = page.getByRole("navigation", { name: "Deals view" });
  await expect(views.getByRole("link", { name: "List" })).toHaveAttribute("aria-current", "page");
  await expect(views.getByRole("link", { name: "Board" })).toHaveAttribute("href", "/deals");
  const table = page.getByRole("table", { name: "Deals" });
  const orbit = table.getByRole("row", { name: /Orbit renewal/ });
  await expect(orbit).toContainText("€1,250.00");
  await expect(orbit).toContainText("Orbit Co");
  await expect(orbit).toContainText("Lead");

  const filters = await openFilters(page);
  await filters.getByLabel("Stage").selectOption({ label: "Qualified" });
  await page.keyboard.press("Escape");
  await expect(bodyRows(table)).toHaveCount(1);
  await expect(table).toContainText("Nova pilot");
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(bodyRows(table)).toHaveCount(2);

  await orbit.getByRole("button", { name: /edit amount of Orbit renewal/ }).click();
  const amount = orbit.getByRole("textbox", { name: "Amount in EUR" });
  await amount.fill("12.345");
  await amount.press("Enter");
  await expect(amount).toHaveAccessibleDescription("Amount must be a number.");
  await amount.fill("2,000.50");
  const answer = nextAnswer(page, "crm.deals.update");
  await amount.press("Enter");
  await expect(orbit).toContainText("€2,000.50");
  expect((await answer).ok()).toBe(true);
  // The answer streams: its status line comes before the write is done. A reload must not race it.
  await expect
    .poll(async () => {
      const input = encodeURIComponent(JSON.stringify({ json: {} }));
      return JSON.stringify(await (await page.request.get(`/api/trpc/crm.deals.list?input=${input}`)).json());
    })
    .toContain("200050");
  await page.reload();
  await expect(table.getByRole("row", { name: /Orbit renewal/ })).toContainText("€2,000.50");
});
