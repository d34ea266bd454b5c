import { fileURLToPath } from "node:url";
import { expect, type Page, test } from "@playwright/test";
import { callMutation, newUser, registerViaApi } from "./support/accounts";

// Design review shots of every page, git-ignored. Each is taken once the page shows what it is
// meant to show, so a broken page fails here rather than producing a misleading picture.
const ARTIFACTS = fileURLToPath(new URL("./.artifacts/", import.meta.url));

const VIEWPORTS = {
  desktop: { viewport: { width: 1280, height: 800 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
};

const PEOPLE = [
  {
    firstName: "Amara",
    lastName: "Okafor",
    email: "amara@lumen.example",
    phone: "+234 1 555 0134",
    jobTitle: "Head of Operations",
  },
  { firstName: "Lukas", lastName: "Schneider", email: "lukas.schneider@ferrum.example", jobTitle: "Procurement Lead" },
  { firstName: "Sofía", lastName: "Martínez", phone: "+34 91 555 0199", jobTitle: "Founder" },
  { firstName: "Kenji", lastName: "Watanabe", email: "kenji@tsubame.example", phone: "+81 3 5550 1122" },
  { firstName: "Priya", lastName: "Raman", email: "priya.raman@northwind.example", jobTitle: "CTO" },
];

async function shoot(page: Page, name: string) {
  await page.screenshot({ path: `${ARTIFACTS}${name}-${viewportLabel(page)}.png`, fullPage: true });
}

function viewportLabel(page: Page): string {
  return (page.viewportSize()?.width ?? 0) < 640 ? "phone" : "desktop";
}

for (const [label, options] of Object.entries(VIEWPORTS)) {
  test.describe(`${label} screenshots`, () => {
    test.use(options);

    test("sign-in and registration", async ({ page }) => {
      await page.goto("/login");
      await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
      await shoot(page, "login");

      await page.goto("/register");
      await page.getByLabel("Work email").fill("not-an-email");
      await page.getByRole("button", { name: "Create account" }).click();
      await expect(page.getByLabel("Work email")).toHaveAttribute("aria-invalid", "true");
      await shoot(page, "register-errors");
    });

    test("contacts", async ({ page }) => {
      await registerViaApi(page.request, newUser(`shots-${label}`));
      await page.goto("/contacts");
      await expect(page.getByRole("heading", { name: "No contacts yet — add your first" })).toBeVisible();
      await shoot(page, "contacts-empty");

      for (const person of PEOPLE) await callMutation(page.request, "crm.contacts.create", person);
      await page.reload();
      await expect(page.getByRole("list", { name: "Contacts" }).getByRole("listitem")).toHaveCount(PEOPLE.length);
      await shoot(page, "contacts");

      await page.getByRole("button", { name: "New contact" }).click();
      await expect(page.getByRole("dialog", { name: "New contact" })).toBeVisible();
      await shoot(page, "contact-create");
      await page.keyboard.press("Escape");

      await page.getByRole("button", { name: "Delete Amara Okafor" }).click();
      await expect(page.getByRole("alertdialog", { name: "Delete Amara Okafor?" })).toBeVisible();
      await shoot(page, "contact-delete");
    });
  });
}
