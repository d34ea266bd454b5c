import { readFile } from "node:fs/promises";
import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import { callMutation, newUser, registerViaApi } from "./support/accounts";

interface ListedContact {
  firstName: string;
  email: string | null;
  jobTitle: string | null;
  tags: { name: string }[];
  customFields: Record<string, unknown>;
}

/** The organization's contacts, read through the API as the app does. */
async function contactsViaApi(request: APIRequestContext): Promise<ListedContact[]> {
  const input = encodeURIComponent(JSON.stringify({ json: { limit: 100 } }));
  const response = await request.get(`/api/trpc/crm.contacts.list?input=${input}`);
  expect(response.ok()).toBe(true);
  const body = (await response.json()) as { result: { data: { json: { items: ListedContact[] } } } };
  return body.result.data.json.items;
}

async function chooseFile(page: Page, name: string, content: string | Buffer, mimeType = "text/csv") {
  await page.getByLabel("CSV file to import").setInputFiles({ name, mimeType, buffer: Buffer.from(content) });
}

test("imports contacts with a bad row: the preview shows it, the summary counts it, the report lists it", async ({
  page,
}) => {
  await registerViaApi(page.request, newUser("import"));
  // The page renders from the server: the browser fetches none of its data (checked once it is
  // long hydrated, at the preview; the steps until then upload to /api/import, not tRPC).
  const apiCalls: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname.startsWith("/api/trpc/")) apiCalls.push(request.url());
  });
  await page.goto("/import?kind=contacts");
  await expect(page.getByRole("heading", { name: "Import contacts" })).toBeVisible();
  await expect(page.getByText("CSV (UTF-8), up to 50 MB")).toBeVisible();
  await expect(page.getByText("No imports yet.")).toBeVisible();

  await chooseFile(
    page,
    "people.csv",
    "First name,Last name,Email\nAda,Lovelace,ada@example.com\nGrace,Hopper,not-an-email\nAlan,Turing,alan@example.com\n",
  );

  // Step 2: the columns were matched by name.
  await expect(page.getByRole("heading", { name: "Map columns" })).toBeVisible();
  await expect(page.getByText("First name ← “First name”")).toBeVisible();
  await expect(page.getByLabel("Import column “Email” as")).toHaveValue("email");
  await expect(page.getByText("3 rows · 3 columns")).toBeVisible();
  await page.getByRole("button", { name: "Preview import" }).click();

  // Step 3: the bad row, its field and the reason.
  await expect(page.getByRole("heading", { name: "Preview" })).toBeVisible();
  const problems = page.getByRole("table", { name: "Rows with problems" });
  await expect(problems.getByRole("row")).toHaveCount(2);
  await expect(problems.getByRole("row").nth(1)).toHaveText(/^2\s*Email\s*Enter a valid email address\.$/);
  const preview = page.getByRole("table", { name: "Preview rows" });
  await expect(preview.getByRole("row")).toHaveCount(3);
  await expect(preview).toContainText("Lovelace");
  await expect(preview).not.toContainText("Hopper");
  expect(apiCalls).toEqual([]);

  // Steps 4 and 5.
  await page.getByRole("button", { name: "Import 3 rows" }).click();
  await expect(page.getByRole("heading", { name: "Import complete" })).toBeVisible();
  await expect(page.getByRole("definition").nth(0)).toHaveText("2");
  await expect(page.getByText("Failed")).toBeVisible();
  await expect(page.getByRole("definition").nth(3)).toHaveText("1");

  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download error report" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^import-.+-errors\.csv$/);
  const report = await readFile(await download.path(), "utf8");
  expect(report.replace(/^\ufeff/, "").split("\r\n")).toEqual([
    "Row,Error,First name,Last name,Email",
    "2,email: Enter a valid email address.,Grace,Hopper,not-an-email",
    "",
  ]);

  const names = (await contactsViaApi(page.request)).map((c) => c.firstName).sort();
  expect(names).toEqual(["Ada", "Alan"]);

  // The import is listed, with its report, when starting over.
  await page.getByRole("button", { name: "Import another file" }).click();
  const recent = page.getByRole("list", { name: "Recent imports" });
  await expect(recent.getByRole("listitem")).toHaveCount(1);
  await expect(recent).toContainText("2 imported · 0 updated · 0 skipped · 1 failed");
  await expect(recent.getByRole("link", { name: /^Error report/ })).toHaveAttribute("href", /\/api\/import\/errors\//);
});

test("a CSV with tags and a custom field column imports those values", async ({ page }) => {
  await registerViaApi(page.request, newUser("import-tags"));
  await callMutation(page.request, "crm.customFields.create", {
    entityType: "contact",
    key: "tier",
    label: "Tier",
    type: "select",
    options: ["Gold", "Silver"],
  });
  await page.goto("/import?kind=contacts");
  // Dropped on the drop zone rather than chosen.
  const dataTransfer = await page.evaluateHandle((text) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], "tagged.csv", { type: "text/csv" }));
    return transfer;
  }, "First name,Email,Tags,Tier\nAda,ada@example.com,VIP; Beta,gold\nBob,bob@example.com,vip,Silver\n");
  const dropZone = page.getByText("Drop your CSV file here");
  await dropZone.dispatchEvent("dragover", { dataTransfer });
  await dropZone.dispatchEvent("drop", { dataTransfer });
  await expect(page.getByText("tagged.csv · 2 rows · 4 columns.", { exact: false })).toBeVisible();
  await expect(page.getByLabel("Import column “Tags” as")).toHaveValue("tags");
  await expect(page.getByLabel("Import column “Tier” as")).toHaveValue("customFields.tier");
  await page.getByRole("button", { name: "Preview import" }).click();

  const preview = page.getByRole("table", { name: "Preview rows" });
  await expect(preview.getByRole("columnheader")).toHaveText(["Row", "Action", "First name", "Email", "Tags", "Tier"]);
  await expect(preview.getByRole("row").nth(1)).toContainText("VIP, Beta");
  await expect(preview.getByRole("row").nth(1)).toContainText("Gold");

  await page.getByRole("button", { name: "Import 2 rows" }).click();
  await expect(page.getByRole("heading", { name: "Import complete" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Download error report" })).toHaveCount(0);

  const contacts = await contactsViaApi(page.request);
  const ada = contacts.find((c) => c.firstName === "Ada");
  const bob = contacts.find((c) => c.firstName === "Bob");
  expect(ada?.tags.map((t) => t.name).sort()).toEqual(["Beta", "VIP"]);
  expect(ada?.customFields).toEqual({ tier: "Gold" });
  // "vip" is the tag the first row created, not a second one.
  expect(bob?.tags.map((t) => t.name)).toEqual(["VIP"]);
  expect(bob?.customFields).toEqual({ tier: "Silver" });
});

test("files that are not CSV text get a clear error and no import", async ({ page }) => {
  await registerViaApi(page.request, newUser("import-bad"));
  await page.goto("/import?kind=companies");
  await expect(page.getByRole("heading", { name: "Import companies" })).toBeVisible();
  // The upload step's own message, not Next's route announcer.
  const alert = page.getByRole("alert").filter({ hasText: "“" });

  await chooseFile(page, "report.xlsx", Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), "application/octet-stream");
  await expect(alert).toHaveText(/^“report\.xlsx” is a spreadsheet, not a CSV file\. .*CSV UTF-8/);

  // Named .csv but binary: the server reads it and says what is wrong.
  const garbage = Buffer.alloc(4096);
  for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919) % 256;
  await chooseFile(page, "garbage.csv", garbage);
  await expect(alert).toHaveText(
    "“garbage.csv” can’t be imported. The file contains binary data; upload a CSV text file.",
  );

  await chooseFile(page, "latin1.csv", Buffer.from("Name,Domain\nCaf\xe9 Noir,cafe.example\n", "latin1"));
  await expect(alert).toContainText("“latin1.csv” can’t be imported. The file is not UTF-8 text");
  await expect(page.getByRole("heading", { name: "Map columns" })).toHaveCount(0);
  await expect(page.getByText("No imports yet.")).toBeVisible();
});

test("dedupe “update” updates the existing contact instead of adding one", async ({ page }) => {
  await registerViaApi(page.request, newUser("import-dedupe"));
  await callMutation(page.request, "crm.contacts.create", {
    firstName: "Ada",
    lastName: "Lovelace",
    email: "ada@example.com",
    jobTitle: "Mathematician",
  });
  await page.goto("/import?kind=contacts");
  await chooseFile(
    page,
    "update.csv",
    "Vorname,Email,Job title\nAda,ADA@example.com,Analyst\nNew,new@example.com,Engineer\n",
  );

  // "Vorname" is not recognised: the required field is flagged until a column is chosen for it.
  await expect(page.getByText("First name is required: choose its column")).toBeVisible();
  await expect(page.getByRole("button", { name: "Preview import" })).toBeDisabled();
  await page.getByLabel("Import column “Vorname” as").selectOption("firstName");
  await expect(page.getByText("First name ← “Vorname”")).toBeVisible();
  await page.getByRole("button", { name: "Preview import" }).click();

  const rows = page.getByRole("table", { name: "Preview rows" }).getByRole("row");
  await expect(rows.nth(1)).toContainText("Skip");
  await expect(rows.nth(2)).toContainText("New");
  await page.getByLabel("Update the contact").check();
  await expect(rows.nth(1)).toContainText("Update");

  await page.getByRole("button", { name: "Import 2 rows" }).click();
  await expect(page.getByRole("heading", { name: "Import complete" })).toBeVisible();
  await expect(page.getByRole("definition").nth(0)).toHaveText("1");
  await expect(page.getByRole("definition").nth(1)).toHaveText("1");

  const contacts = await contactsViaApi(page.request);
  expect(contacts).toHaveLength(2);
  expect(contacts.find((c) => c.email === "ada@example.com")).toMatchObject({ firstName: "Ada", jobTitle: "Analyst" });

  await page.getByRole("link", { name: "View contacts" }).click();
  await expect(page).toHaveURL(/\/contacts$/);
  await expect(page.getByRole("table", { name: "Contacts" })).toContainText("Analyst");
});

test("the import shows its progress while the file uploads, and stopping it imports nothing more", async ({ page }) => {
  await registerViaApi(page.request, newUser("import-stop"));
  await page.goto("/import?kind=contacts");
  await chooseFile(page, "slow.csv", "First name,Email\nAda,ada@example.com\nBob,bob@example.com\nCy,cy@example.com\n");
  await page.getByRole("button", { name: "Preview import" }).click();

  // The upload itself is held back, as a slow connection would: the page shows the import under way.
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route(
    (url) => url.pathname === "/api/import/contacts" && url.searchParams.has("uploadId"),
    async (route) => {
      await held;
      await route.continue().catch(() => {});
    },
  );
  await page.getByRole("button", { name: "Import 3 rows" }).click();
  await expect(page.getByRole("heading", { name: "Importing contacts from slow.csv…" })).toBeVisible();
  const progress = page.getByRole("progressbar", { name: "Rows imported" });
  await expect(progress).toHaveAttribute("aria-valuemax", "3");
  await expect(progress).toHaveAttribute("aria-valuenow", "0");
  await expect(page.getByText("0 of 3 rows saved (0%)")).toBeVisible();
  await expect(page.getByText("Safe to stop")).toBeVisible();
  // The kind cannot be switched while the import runs.
  await expect(page.getByRole("navigation", { name: "What to import" }).getByRole("link")).toHaveText(["Contacts"]);

  await page.getByRole("button", { name: "Stop import" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Stop the import?" });
  await expect(confirm).toContainText("The 0 rows saved so far stay imported");
  await confirm.getByRole("button", { name: "Stop import" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "You stopped the import." })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Upload a CSV file" })).toBeVisible();
  expect(await contactsViaApi(page.request)).toEqual([]);
  await page.unrouteAll({ behavior: "ignoreErrors" });
  release();
});
