import { expect, test } from "@playwright/test";
import { mutationData, newUser, registerViaApi } from "./support/accounts";
import { sidebar } from "./support/shell";

test("⌘K finds a contact, a company and a deal, grouped, and opens the chosen record", async ({ context, page }) => {
  await registerViaApi(context.request, newUser("palette"));
  await mutationData(context.request, "crm.companies.create", {
    name: "Zephyrine Logistics",
    domain: "zephyrine.example",
  });
  const contact = await mutationData<{ id: string }>(context.request, "crm.contacts.create", {
    firstName: "Zelda",
    lastName: "Zephyrine",
    email: "zelda@zephyrine.example",
  });
  const pipeline = await mutationData<{ stages: { id: string }[] }>(context.request, "crm.pipelines.create", {
    name: "Sales",
  });
  await mutationData(context.request, "crm.deals.create", {
    title: "Zephyrine fleet renewal",
    amountMinor: 1_250_000,
    currency: "EUR",
    stageId: pipeline.stages[0]?.id,
  });

  await page.goto("/contacts");
  await page.keyboard.press("ControlOrMeta+k");
  const palette = page.getByRole("dialog", { name: "Search and quick actions" });
  await expect(palette).toBeVisible();
  // A typo still finds both records.
  await palette.getByRole("combobox").fill("zephyrin");
  const contacts = palette.getByRole("group", { name: "Contacts" });
  await expect(contacts.getByRole("option", { name: /Zelda Zephyrine/ })).toBeVisible();
  await expect(palette.getByRole("group", { name: "Companies" }).getByRole("option")).toHaveText(/Zephyrine Logistics/);

  // The keyboard picks the first hit: the contact.
  await page.keyboard.press("Enter");
  await expect(palette).toBeHidden();
  await expect(page).toHaveURL(new RegExp(`/contacts/${contact.id}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Zelda Zephyrine/);

  // Quick actions are there too, and filter by what is typed. (⌘K toggles the palette, so each
  // press waits until the last choice has closed it.)
  await page.keyboard.press("ControlOrMeta+k");
  await expect(palette).toBeVisible();
  await palette.getByRole("combobox").fill("go to comp");
  // The search's answer adds a line above the actions: click once it is in, not while it moves them.
  await expect(palette.getByText("No contacts, companies or deals match “go to comp”.")).toBeVisible();
  await palette.getByRole("option", { name: "Go to Companies" }).click();
  await expect(page).toHaveURL(/\/companies$/);
  await expect(palette).toBeHidden();

  // "New …" opens that page's form, once.
  await page.keyboard.press("ControlOrMeta+k");
  await expect(palette).toBeVisible();
  await palette.getByRole("combobox").fill("new contact");
  await expect(palette.getByText("No contacts, companies or deals match “new contact”.")).toBeVisible();
  await palette.getByRole("option", { name: "New contact" }).click();
  await expect(page.getByRole("dialog", { name: "New contact" })).toBeVisible();
  await expect(page).toHaveURL(/\/contacts$/);
});

test("the shortcuts help opens with ? and g then a letter moves between places", async ({ context, page }) => {
  await registerViaApi(context.request, newUser("keys"));
  await page.goto("/settings/profile");
  await page.keyboard.press("?");
  const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(help).toBeVisible();
  await expect(help).toContainText("Go to Contacts");
  await page.keyboard.press("Escape");
  await expect(help).toBeHidden();

  await page.keyboard.press("g");
  await page.keyboard.press("c");
  await expect(page).toHaveURL(/\/contacts$/);
  await expect(sidebar(page).getByRole("link", { name: "Contacts" })).toHaveAttribute("aria-current", "page");

  // Typing in a field is typing, not a shortcut.
  await page.goto("/settings/organization");
  const name = page.getByLabel("Organization name");
  await name.click();
  await name.press("End");
  await page.keyboard.type("?");
  await expect(help).toBeHidden();
  await expect(name).toHaveValue(/\?$/);
});

test("the theme follows the account menu's choice and survives a reload", async ({ context, page }) => {
  await registerViaApi(context.request, newUser("theme"));
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto("/contacts");
  const html = page.locator("html");
  await expect(html).not.toHaveClass(/\bdark\b/);

  await sidebar(page)
    .getByRole("button", { name: /Account menu/ })
    .click();
  await page.getByRole("menuitemradio", { name: "Dark" }).click();
  await expect(html).toHaveClass(/\bdark\b/);
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(background).not.toBe("rgb(248, 250, 252)");

  await page.reload();
  await expect(html).toHaveClass(/\bdark\b/);

  // "System" follows the operating system.
  await sidebar(page)
    .getByRole("button", { name: /Account menu/ })
    .click();
  await page.getByRole("menuitemradio", { name: "System" }).click();
  await expect(html).not.toHaveClass(/\bdark\b/);
  await page.emulateMedia({ colorScheme: "dark" });
  await expect(html).toHaveClass(/\bdark\b/);
});

test.describe("phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test("the navigation opens as a drawer and closes once a place is chosen", async ({ context, page }) => {
    const user = newUser("drawer");
    await registerViaApi(context.request, user);
    await page.goto("/settings/profile");
    await expect(sidebar(page)).toBeHidden();
    await page.getByRole("button", { name: "Open navigation" }).click();
    const drawer = page.getByRole("dialog", { name: "Navigation" });
    await expect(drawer).toBeVisible();
    await expect(drawer).toContainText(user.organizationName);
    await drawer.getByRole("link", { name: "Contacts" }).click();
    await expect(page).toHaveURL(/\/contacts$/);
    await expect(drawer).toBeHidden();
    // Nothing is wider than the phone.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
