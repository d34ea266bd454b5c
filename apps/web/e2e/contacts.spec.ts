import { expect, test } from "@playwright/test";
import { callMutation, newUser, registerViaApi } from "./support/accounts";
import { logOut, sidebar } from "./support/shell";

test("a new user registers, manages a contact and logs out", async ({ page }) => {
  // Hydration mismatches and uncaught exceptions only show up in the console. Failed requests are
  // checked by their answers instead, leaving out links' prefetches of other pages (`?_rsc=`): a
  // 404 there is about another page, not this one.
  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
      consoleErrors.push(message.text());
    }
  });
  page.on("pageerror", (error) => consoleErrors.push(error.message));
  page.on("response", (response) => {
    const url = new URL(response.url());
    if (response.status() >= 400 && !url.searchParams.has("_rsc")) {
      consoleErrors.push(`${response.status()} ${url.pathname}`);
    }
  });
  const user = newUser("flow");

  await page.goto("/register");
  await page.getByLabel("Your name").fill(user.name);
  await page.getByLabel("Work email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByLabel("Organization name").fill(user.organizationName);
  await page.getByRole("button", { name: "Create account" }).click();

  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto("/contacts");
  const header = sidebar(page);
  await expect(header).toContainText(user.organizationName);
  await expect(header).toContainText(user.name);
  await expect(page.getByRole("heading", { name: "No contacts yet" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Import a CSV" })).toHaveAttribute("href", "/import?kind=contacts");

  // Create
  await page.getByRole("button", { name: "Add your first contact" }).click();
  const createDialog = page.getByRole("dialog", { name: "New contact" });
  await createDialog.getByLabel("First name").fill("Ada");
  await createDialog.getByLabel("Last name").fill("Lovelace");
  await createDialog.getByLabel("Email").fill("ada@analytical.example");
  await createDialog.getByLabel("Phone").fill("+44 20 7946 0000");
  await createDialog.getByLabel("Job title").fill("Mathematician");
  await createDialog.getByRole("button", { name: "Add contact" }).click();
  await expect(createDialog).toBeHidden();
  await expect(page.getByText("Ada Lovelace was added.")).toBeVisible();

  const list = page.getByRole("table", { name: "Contacts" });
  const rows = list.locator("tbody").getByRole("row");
  await expect(rows).toHaveCount(1);
  await expect(list).toContainText("Ada Lovelace");
  await expect(list).toContainText("ada@analytical.example");

  // Persisted: a reload renders it from the server, and the browser does not fetch the list again.
  const apiCalls: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname.startsWith("/api/trpc/")) apiCalls.push(request.url());
  });
  await page.reload();
  await expect(rows).toHaveCount(1);
  await expect(list).toContainText("Mathematician");
  // Hydrated and idle once the toolbar's menus (loaded when the browser is idle) replace their
  // stand-ins: a list fetched again on load would have been asked for by then.
  await expect(page.getByRole("button", { name: "Filters", exact: true })).toHaveAttribute("data-state", "closed");
  expect(apiCalls).toEqual([]);

  // Search, reflected in the URL
  const search = page.getByRole("searchbox", { name: "Search contacts" });
  await search.fill("lovel");
  await expect(page).toHaveURL(/\/contacts\?q=lovel$/);
  await expect(rows).toHaveCount(1);
  await expect(list).toContainText("Ada Lovelace");

  await search.fill("zebulon");
  await expect(page).toHaveURL(/\/contacts\?q=zebulon$/);
  await expect(page.getByRole("heading", { name: "No contacts match these filters" })).toBeVisible();
  await expect(list).toHaveCount(0);

  // A searched URL renders its results on the server.
  await page.goto("/contacts?q=ada");
  await expect(search).toHaveValue("ada");
  await expect(list).toContainText("Ada Lovelace");
  await page.getByRole("searchbox", { name: "Search contacts" }).clear();
  await expect(page).toHaveURL(/\/contacts$/);

  // Edit, with a client-side validation error first
  await list.getByRole("button", { name: "Edit Ada Lovelace" }).click();
  const editDialog = page.getByRole("dialog", { name: "Edit contact" });
  await expect(editDialog.getByLabel("First name")).toHaveValue("Ada");
  await editDialog.getByLabel("Email").fill("ada-at-analytical");
  await editDialog.getByRole("button", { name: "Save changes" }).click();
  await expect(editDialog.getByLabel("Email")).toHaveAccessibleDescription("Enter a valid email address.");
  await expect(editDialog.getByLabel("Email")).toBeFocused();
  await editDialog.getByLabel("Email").fill("countess@analytical.example");
  await editDialog.getByLabel("Job title").fill("Analyst");
  await editDialog.getByRole("button", { name: "Save changes" }).click();
  await expect(editDialog).toBeHidden();
  await expect(page.getByText("Changes saved.")).toBeVisible();
  await expect(list).toContainText("Analyst");
  await expect(list).toContainText("countess@analytical.example");
  await expect(list).not.toContainText("Mathematician");

  // Delete, after confirming
  await list.getByRole("button", { name: "Delete Ada Lovelace" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Delete Ada Lovelace?" });
  await expect(confirm.getByRole("button", { name: "Cancel" })).toBeFocused();
  await confirm.getByRole("button", { name: "Delete contact" }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByText("Ada Lovelace was deleted.")).toBeVisible();
  await expect(page.getByRole("heading", { name: "No contacts yet" })).toBeVisible();

  // The toast's Undo brings it back from the trash.
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(page.getByText("Ada Lovelace was restored.")).toBeVisible();
  await expect(rows).toHaveCount(1);
  await expect(list).toContainText("Ada Lovelace");

  // Log out
  await logOut(page);
  await page.goto("/contacts");
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  expect(consoleErrors).toEqual([]);
});

test("the list loads 50 contacts at a time, newest first", async ({ page }) => {
  await registerViaApi(page.request, newUser("pages"));
  for (let index = 1; index <= 52; index++) {
    await callMutation(page.request, "crm.contacts.create", {
      firstName: "Person",
      lastName: String(index).padStart(2, "0"),
    });
  }

  await page.goto("/contacts");
  const rows = page.getByRole("table", { name: "Contacts" }).locator("tbody").getByRole("row");
  await expect(page.getByText("52 contacts", { exact: true })).toBeVisible();
  await expect(rows).toHaveCount(50);
  await expect(rows.first()).toContainText("Person 52");
  await expect(rows.last()).toContainText("Person 03");

  await page.getByRole("button", { name: "Load more contacts" }).click();
  await expect(rows).toHaveCount(52);
  await expect(rows.last()).toContainText("Person 01");
  await expect(page.getByRole("button", { name: "Load more contacts" })).toHaveCount(0);
});

test("contacts of another organization are not visible", async ({ browser }) => {
  const owner = await browser.newContext();
  await registerViaApi(owner.request, newUser("owner"));
  await callMutation(owner.request, "crm.contacts.create", { firstName: "Private", lastName: "Person" });

  const outsider = await browser.newContext();
  await registerViaApi(outsider.request, newUser("outsider"));
  const page = await outsider.newPage();
  await page.goto("/contacts?q=Private");
  await expect(page.getByRole("heading", { name: "No contacts match these filters" })).toBeVisible();

  await owner.close();
  await outsider.close();
});
