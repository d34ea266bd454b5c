import { expect, type Page, test } from "@playwright/test";
import {
  acceptInviteViaApi,
  callMutation,
  createInviteLink,
  mutationData,
  newUser,
  registerViaApi,
} from "./support/accounts";
import { whenHydrated } from "./support/hydration";

interface Created {
  id: string;
}

/** Fails the test on hydration mismatches and uncaught exceptions, which only show in the console. */
function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    // A link's prefetch of a page another part of the app adds is not this page's error.
    if (message.type() === "error" && !message.text().includes("404 (Not Found)")) errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

test("a contact's fields are edited in place, checked, kept, and recorded in its timeline", async ({ page }) => {
  const errors = watchConsole(page);
  await registerViaApi(page.request, newUser("inline"));
  const contact = await mutationData<Created>(page.request, "crm.contacts.create", {
    firstName: "Ada",
    lastName: "Lovelace",
    email: "ada@engines.example",
  });
  await page.goto(`/contacts/${contact.id}`);
  const details = page.getByRole("region", { name: "Details" });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Ada Lovelace/);

  // A bad email is refused next to the field, and Escape puts the old value back.
  await details.getByRole("button", { name: "Edit email" }).click();
  const email = details.getByLabel("Email");
  await expect(email).toBeFocused();
  await expect(email).toHaveValue("ada@engines.example");
  await email.fill("ada-at-engines");
  await email.press("Enter");
  await expect(email).toHaveAccessibleDescription("Enter a valid email address.");
  await expect(email).toHaveAttribute("aria-invalid", "true");
  await email.press("Escape");
  await expect(details.getByRole("button", { name: "Edit email" })).toContainText("ada@engines.example");
  await expect(details.getByRole("button", { name: "Edit email" })).toBeFocused();

  // Enter saves; the value is shown at once and survives a reload.
  await details.getByRole("button", { name: "Edit email" }).click();
  await email.fill("Countess@Engines.example");
  await email.press("Enter");
  await expect(details.getByRole("button", { name: "Edit email" })).toContainText("countess@engines.example");

  // Leaving a field saves it too; the fields stay where they are as the header gains the job title
  // (moved under the pointer, the click on the next field would miss it).
  const phoneAt = await details.getByRole("button", { name: "Edit phone" }).boundingBox();
  await details.getByRole("button", { name: "Edit job title" }).click();
  await details.getByLabel("Job title").fill("Analyst");
  await details.getByRole("button", { name: "Edit phone" }).click();
  await expect(details.getByRole("button", { name: "Edit job title" })).toContainText("Analyst");
  await expect(page.getByRole("heading", { level: 1 }).locator("xpath=..")).toContainText("Analyst");
  await details.getByLabel("Phone").press("Escape");
  const phoneNow = await details.getByRole("button", { name: "Edit phone" }).boundingBox();
  expect(phoneNow?.y).toBeCloseTo(phoneAt?.y ?? Number.NaN, 0);

  await details.getByRole("button", { name: "Edit lifecycle" }).click();
  await details.getByLabel("Lifecycle").selectOption("customer");
  await expect(details.getByRole("button", { name: "Edit lifecycle" })).toContainText("Customer");

  const timeline = page.getByRole("list", { name: "Timeline" });
  await expect(timeline).toContainText("You changed email from ada@engines.example → countess@engines.example");
  await expect(timeline).toContainText("You set job title to Analyst");
  await expect(timeline).toContainText("You changed lifecycle stage from Lead → Customer");

  // Persisted, rendered by the server: the browser fetches nothing on load.
  const apiCalls: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname.startsWith("/api/trpc/")) apiCalls.push(request.url());
  });
  await page.reload();
  await expect(details.getByRole("button", { name: "Edit email" })).toContainText("countess@engines.example");
  await expect(details.getByRole("button", { name: "Edit job title" })).toContainText("Analyst");
  await expect(timeline).toContainText("You changed lifecycle stage from Lead → Customer");
  // Once the page has hydrated, any fetch on mount would have started.
  await whenHydrated(details.getByRole("button", { name: "Edit phone" }));
  await details.getByRole("button", { name: "Edit phone" }).click();
  await details.getByLabel("Phone").press("Escape");
  await expect(details.getByRole("button", { name: "Edit phone" })).toBeFocused();
  expect(apiCalls).toEqual([]);

  // The name is two fields saved together; the page heading follows.
  await page.getByRole("button", { name: "Edit name" }).click();
  await page.getByLabel("Last name").fill("King");
  await page.getByLabel("Last name").press("Enter");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Ada King/);
  await expect(timeline).toContainText("You changed last name from Lovelace → King");
  expect(errors).toEqual([]);
});

test("a refused save puts the old value back, says why next to the field and in a toast", async ({ page }) => {
  await registerViaApi(page.request, newUser("refused"));
  await callMutation(page.request, "crm.companies.create", { name: "Taken", domain: "taken.example" });
  const company = await mutationData<Created>(page.request, "crm.companies.create", {
    name: "Babbage & Co",
    domain: "babbage.example",
  });
  await page.goto(`/companies/${company.id}`);
  const details = page.getByRole("region", { name: "Details" });
  await details.getByRole("button", { name: "Edit domain" }).click();
  await details.getByLabel("Domain").fill("https://www.Taken.example/about");
  await details.getByLabel("Domain").press("Enter");
  // The server refuses (another company has it): the field reopens with what was typed and the reason.
  const message = "Another company in your organization already has this domain.";
  await expect(details.getByLabel("Domain")).toHaveAccessibleDescription(message);
  await expect(details.getByLabel("Domain")).toHaveValue("https://www.Taken.example/about");
  await expect(page.getByRole("status").getByText(`Domain wasn’t saved: ${message}`)).toBeVisible();
  await details.getByLabel("Domain").press("Escape");
  await expect(details.getByRole("button", { name: "Edit domain" })).toContainText("babbage.example");
  await page.reload();
  await expect(details.getByRole("button", { name: "Edit domain" })).toContainText("babbage.example");
});

test("notes are added to the timeline as safe Markdown, then edited and deleted", async ({ page }) => {
  const errors = watchConsole(page);
  await registerViaApi(page.request, newUser("notes"));
  const contact = await mutationData<Created>(page.request, "crm.contacts.create", { firstName: "Charles" });
  await page.goto(`/contacts/${contact.id}`);

  const composer = page.getByRole("form", { name: "New note" });
  await composer.getByRole("button", { name: "Add note" }).click();
  await expect(composer.getByLabel("Note")).toHaveAccessibleDescription("Write the note first.");

  await composer
    .getByLabel("Note")
    .fill(
      "**Agreed** on next steps:\n- send the proposal\n- book a demo\n\n<img src=x onerror=alert(1)> [site](javascript:alert(1))",
    );
  await composer.getByRole("button", { name: "Add note" }).click();
  await expect(page.getByRole("status").getByText("Note added.")).toBeVisible();
  await expect(composer.getByLabel("Note")).toHaveValue("");

  const note = page.getByRole("list", { name: "Timeline" }).getByRole("article").first();
  await expect(note).toContainText("Grace Hopper added a note");
  await expect(note.locator("strong")).toHaveText("Agreed");
  await expect(note.getByRole("listitem")).toHaveText(["send the proposal", "book a demo"]);
  // Written HTML is text, and a javascript: link is not a link.
  await expect(note).toContainText("<img src=x onerror=alert(1)>");
  await expect(note.locator("img")).toHaveCount(0);
  await expect(note.getByRole("link")).toHaveCount(0);

  // Only one's own activity offers edit and delete, each asking first.
  await note.getByRole("button", { name: "Actions for this note" }).click();
  await page.getByRole("menuitem", { name: "Edit note" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit note" });
  await dialog.getByLabel("Note", { exact: true }).fill("Proposal sent on *Monday*.");
  await dialog.getByRole("button", { name: "Save changes" }).click();
  await expect(dialog).toBeHidden();
  await expect(note.locator("em")).toHaveText("Monday");

  await note.getByRole("button", { name: "Actions for this note" }).click();
  await page.getByRole("menuitem", { name: "Delete note" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Delete this note?" });
  await expect(confirm.getByRole("button", { name: "Cancel" })).toBeFocused();
  await confirm.getByRole("button", { name: "Delete note" }).click();
  await expect(page.getByRole("status").getByText("Note deleted.")).toBeVisible();
  await expect(page.getByRole("list", { name: "Timeline" }).getByRole("article")).toHaveCount(0);

  // A call is logged with its duration and outcome.
  await page.getByRole("tab", { name: "Call" }).click();
  const call = page.getByRole("form", { name: "New call" });
  await call.getByLabel("Subject").fill("Intro call");
  await call.getByLabel("Duration (minutes)").fill("-5");
  await call.getByRole("button", { name: "Log call" }).click();
  await expect(call.getByLabel("Duration (minutes)")).toHaveAccessibleDescription("Duration cannot be negative.");
  await call.getByLabel("Duration (minutes)").fill("25");
  await call.getByLabel("Outcome").fill("Interested");
  await call.getByRole("button", { name: "Log call" }).click();
  const logged = page.getByRole("article", { name: "Call: Intro call" });
  await expect(logged).toContainText("25 min");
  await expect(logged).toContainText("Outcome: Interested");
  expect(errors).toEqual([]);
});

test("a company lists its contacts and deals; a deal shows its company, contacts and stage history", async ({
  page,
}) => {
  const errors = watchConsole(page);
  await registerViaApi(page.request, newUser("related"));
  const company = await mutationData<Created>(page.request, "crm.companies.create", { name: "Difference Engines" });
  const ada = await mutationData<Created>(page.request, "crm.contacts.create", {
    firstName: "Ada",
    lastName: "Lovelace",
    jobTitle: "Analyst",
    companyId: company.id,
  });
  await callMutation(page.request, "crm.contacts.create", {
    firstName: "Charles",
    lastName: "Babbage",
    companyId: company.id,
  });
  await callMutation(page.request, "crm.contacts.create", { firstName: "Elsewhere" });
  const pipeline = await mutationData<{ stages: Created[] }>(page.request, "crm.pipelines.create", { name: "Sales" });
  const deal = await mutationData<Created>(page.request, "crm.deals.create", {
    title: "Engine No. 2",
    amountMinor: 1_250_000,
    currency: "GBP",
    stageId: pipeline.stages[0]?.id,
    companyId: company.id,
    contactIds: [ada.id],
  });

  await page.goto(`/companies/${company.id}`);
  const contacts = page.getByRole("region", { name: "Contacts" }).getByRole("list", { name: "Contacts" });
  await expect(contacts.getByRole("listitem")).toHaveCount(2);
  await expect(contacts).toContainText("Ada Lovelace");
  await expect(contacts).toContainText("Charles Babbage");
  await expect(contacts).not.toContainText("Elsewhere");
  const deals = page.getByRole("region", { name: "Deals" }).getByRole("list", { name: "Deals" });
  await expect(deals).toContainText("Engine No. 2");
  await expect(deals).toContainText("£12,500.00");

  await deals.getByRole("link", { name: /Engine No\. 2/ }).click();
  await expect(page).toHaveURL(new RegExp(`/deals/${deal.id}$`));
  const details = page.getByRole("region", { name: "Details" });
  await expect(details.getByRole("link", { name: "Difference Engines" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Contacts" })).toContainText("Ada Lovelace");

  await details.getByRole("button", { name: "Edit stage" }).click();
  await details.getByLabel("Stage").selectOption({ label: "Qualified" });
  await expect(details.getByRole("button", { name: "Edit stage" })).toContainText("Qualified");
  await expect(page.getByRole("list", { name: "Timeline" })).toContainText("You changed stage from Lead → Qualified");

  // Contacts are ticked on and off the deal; each change is in its history, by name.
  await page.getByRole("button", { name: "Edit the deal’s contacts" }).click();
  await page.getByRole("searchbox", { name: "Find a contact" }).fill("babbage");
  await page.getByRole("checkbox", { name: "Charles Babbage" }).check();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("region", { name: "Contacts" }).getByRole("listitem")).toHaveCount(2);
  await expect(page.getByRole("list", { name: "Timeline" })).toContainText("You added Charles Babbage as contacts");

  await details.getByRole("button", { name: "Edit amount" }).click();
  await details.getByLabel("Amount").fill("12.345");
  await details.getByLabel("Amount").press("Enter");
  await expect(details.getByLabel("Amount")).toHaveAccessibleDescription("Enter an amount like 1250.00.");
  await details.getByLabel("Amount").fill("20000");
  await details.getByLabel("Currency").fill("eur");
  await details.getByLabel("Currency").press("Enter");
  await expect(details.getByRole("button", { name: "Edit amount" })).toContainText("€20,000.00");

  // The contact page shows the company and the deal, each linking back.
  await page
    .getByRole("region", { name: "Contacts" })
    .getByRole("link", { name: /Ada Lovelace/ })
    .click();
  await expect(page).toHaveURL(new RegExp(`/contacts/${ada.id}$`));
  await expect(
    page.getByRole("region", { name: "Details" }).getByRole("link", { name: "Difference Engines" }),
  ).toBeVisible();
  await expect(page.getByRole("region", { name: "Deals" })).toContainText("Engine No. 2");
  await expect(page.getByRole("region", { name: "Deals" })).toContainText("Qualified");
  expect(errors).toEqual([]);
});

test("a deleted record goes to the trash and Undo brings it back", async ({ page }) => {
  await registerViaApi(page.request, newUser("undo"));
  const contact = await mutationData<Created>(page.request, "crm.contacts.create", {
    firstName: "Mary",
    lastName: "Somerville",
  });
  await page.goto(`/contacts/${contact.id}`);
  await page.getByRole("button", { name: "Delete contact" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Delete Mary Somerville?" });
  await expect(confirm.getByRole("button", { name: "Cancel" })).toBeFocused();
  await confirm.getByRole("button", { name: "Delete contact" }).click();

  await expect(page).toHaveURL(/\/contacts$/);
  const toast = page.getByRole("status");
  await expect(toast.getByText("Mary Somerville was moved to the trash.")).toBeVisible();
  await expect(page.getByRole("heading", { name: "No contacts yet" })).toBeVisible();
  await toast.getByRole("button", { name: "Undo" }).click();
  await expect(toast.getByText("Mary Somerville was restored.")).toBeVisible();
  await expect(page.getByRole("table", { name: "Contacts" })).toContainText("Mary Somerville");
  await toast.getByRole("button", { name: "Open" }).click();
  await expect(page).toHaveURL(new RegExp(`/contacts/${contact.id}$`));
  await expect(page.getByRole("list", { name: "Timeline" })).toContainText("You restored this contact from the trash");
});

test("another organization's record, a trashed one and a malformed id are all not found", async ({ browser }) => {
  const other = await browser.newContext();
  await registerViaApi(other.request, newUser("foreign"));
  const foreign = await mutationData<Created>(other.request, "crm.contacts.create", { firstName: "Secret" });
  const foreignCompany = await mutationData<Created>(other.request, "crm.companies.create", { name: "Secret Co" });

  const mine = await browser.newContext();
  await registerViaApi(mine.request, newUser("snoop"));
  const binned = await mutationData<Created>(mine.request, "crm.contacts.create", { firstName: "Binned" });
  await callMutation(mine.request, "crm.contacts.delete", { id: binned.id });
  const page = await mine.newPage();
  for (const path of [
    `/contacts/${foreign.id}`,
    `/companies/${foreignCompany.id}`,
    `/deals/${foreign.id}`,
    `/contacts/${binned.id}`,
    "/contacts/not-a-uuid",
  ]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { name: "Page not found" }), path).toBeVisible();
    // The skeleton has streamed by then (status 200): the page still tells robots it is not one.
    await expect(page.locator('meta[name="robots"][content*="noindex"]').first(), path).toBeAttached();
    await expect(page.getByText("Secret")).toHaveCount(0);
  }
  await other.close();
  await mine.close();
});

test("a record page works on a phone", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await registerViaApi(page.request, newUser("phone"));
  const company = await mutationData<Created>(page.request, "crm.companies.create", { name: "Pocket Analytics" });
  const contact = await mutationData<Created>(page.request, "crm.contacts.create", {
    firstName: "Hedy",
    lastName: "Lamarr",
    email: "hedy.lamarr.with.a.rather.long.address@pocket-analytics.example",
    jobTitle: "Inventor",
    companyId: company.id,
  });
  await page.goto(`/contacts/${contact.id}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Hedy Lamarr/);
  // Nothing is wider than the screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const details = page.getByRole("region", { name: "Details" });
  await details.getByRole("button", { name: "Edit job title" }).click();
  await details.getByLabel("Job title").fill("Inventor and actress");
  await details.getByLabel("Job title").press("Enter");
  await expect(details.getByRole("button", { name: "Edit job title" })).toContainText("Inventor and actress");
  await page.getByRole("tab", { name: "Task" }).click();
  const task = page.getByRole("form", { name: "New task" });
  await task.getByLabel("Title").fill("Patent filing");
  await task.getByRole("button", { name: "Add task" }).click();
  await expect(page.getByRole("article", { name: "Task: Patent filing" })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("contact-phone.png"), fullPage: true });
});

test("custom fields and tags are edited in place by their type, and recorded", async ({ page }) => {
  await registerViaApi(page.request, newUser("custom"));
  const field = (key: string, label: string, type: string, options?: string[]) =>
    callMutation(page.request, "crm.customFields.create", { entityType: "contact", key, label, type, options });
  await field("source", "Source", "select", ["Referral", "Web"]);
  await field("seats", "Seats", "number");
  await field("vip", "VIP", "checkbox");
  await field("renewal", "Renewal", "date");
  await callMutation(page.request, "crm.tags.create", { name: "Investor" });
  const contact = await mutationData<Created>(page.request, "crm.contacts.create", { firstName: "Grace" });
  await page.goto(`/contacts/${contact.id}`);
  const more = page.getByRole("region", { name: "More fields" });

  await more.getByRole("button", { name: "Edit seats" }).click();
  await more.getByLabel("Seats").fill("twelve");
  await more.getByLabel("Seats").press("Enter");
  await expect(more.getByLabel("Seats")).toHaveAccessibleDescription("Enter a number.");
  await more.getByLabel("Seats").fill("1200");
  await more.getByLabel("Seats").press("Enter");
  await expect(more.getByRole("button", { name: "Edit seats" })).toContainText("1,200");

  await more.getByRole("button", { name: "Edit source" }).click();
  await more.getByLabel("Source").selectOption("Referral");
  await expect(more.getByRole("button", { name: "Edit source" })).toContainText("Referral");
  await more.getByRole("button", { name: "Edit renewal" }).click();
  await more.getByLabel("Renewal").fill("2027-01-31");
  await more.getByLabel("Renewal").press("Enter");
  await expect(more.getByRole("button", { name: "Edit renewal" })).toContainText("31 Jan 2027");
  await more.getByLabel("VIP").check();

  await page.getByRole("button", { name: "Add tags" }).click();
  await page.getByRole("checkbox", { name: "Investor" }).check();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("button", { name: "Investor Edit tags" })).toBeVisible();

  const timeline = page.getByRole("list", { name: "Timeline" });
  await expect(timeline).toContainText("You set Seats to 1200");
  await expect(timeline).toContainText("You set Source to Referral");
  await expect(timeline).toContainText("You set VIP to Yes");
  await expect(timeline).toContainText("You added Investor as tag");

  await page.reload();
  await expect(more.getByRole("button", { name: "Edit seats" })).toContainText("1,200");
  await expect(more.getByRole("button", { name: "Edit source" })).toContainText("Referral");
  await expect(more.getByLabel("VIP")).toBeChecked();
  await expect(page.getByRole("button", { name: "Investor Edit tags" })).toBeVisible();
});

test("the timeline loads older entries a page at a time", async ({ page }) => {
  await registerViaApi(page.request, newUser("older"));
  const contact = await mutationData<Created>(page.request, "crm.contacts.create", { firstName: "Busy" });
  for (let index = 1; index <= 24; index++) {
    await callMutation(page.request, "crm.activities.create", {
      kind: "note",
      body: `Note ${String(index).padStart(2, "0")}`,
      contactId: contact.id,
      occurredAt: new Date(Date.UTC(2025, 0, index)).toISOString(),
    });
  }
  await page.goto(`/contacts/${contact.id}`);
  const entries = page
    .getByRole("list", { name: "Timeline" })
    .getByRole("listitem")
    .filter({ has: page.getByRole("article") });
  // The creation entry is newest; twenty entries a page.
  await expect(entries).toHaveCount(19);
  await expect(entries.first()).toContainText("Note 24");
  await page.getByRole("button", { name: "Show older" }).click();
  await expect(entries).toHaveCount(24);
  await expect(entries.last()).toContainText("Note 01");
  await expect(page.getByRole("button", { name: "Show older" })).toHaveCount(0);
});

test("a viewer reads a record but is offered no changes", async ({ browser }) => {
  const ownerCtx = await browser.newContext();
  await registerViaApi(ownerCtx.request, newUser("boss"));
  const contact = await mutationData<Created>(ownerCtx.request, "crm.contacts.create", {
    firstName: "Read",
    lastName: "Only",
    email: "read@only.example",
  });
  await callMutation(ownerCtx.request, "crm.activities.create", {
    kind: "note",
    body: "Visible",
    contactId: contact.id,
  });
  const viewerCtx = await browser.newContext();
  await acceptInviteViaApi(viewerCtx.request, await createInviteLink(ownerCtx.request, "viewer"), newUser("viewer"));
  const page = await viewerCtx.newPage();
  await page.goto(`/contacts/${contact.id}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Read Only/);
  await expect(page.getByRole("list", { name: "Timeline" })).toContainText("Visible");
  await expect(page.getByRole("button", { name: /^Edit/ })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Delete/ })).toHaveCount(0);
  await expect(page.getByRole("tablist", { name: "Add to the timeline" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Actions for/ })).toHaveCount(0);
  await ownerCtx.close();
  await viewerCtx.close();
});
