import { fileURLToPath } from "node:url";
import { expect, type Page, test } from "@playwright/test";
import {
  acceptInviteViaApi,
  callMutation,
  createInviteLink,
  mutationData,
  newUser,
  queryData,
  registerViaApi,
} from "./support/accounts";
import { buildWorkspace } from "./support/workspace";

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

// The main pages the issue asks for, with a realistic workspace, in both themes on both sizes:
// `<page>-<light|dark>-<desktop|phone>.png`.
const MAIN_PAGES = ["dashboard", "contacts", "company", "deal-board", "record", "import", "settings"] as const;

for (const [label, options] of Object.entries(VIEWPORTS)) {
  for (const scheme of ["light", "dark"] as const) {
    test.describe(`${label} ${scheme} main pages`, () => {
      test.use({ ...options, colorScheme: scheme });

      test("main pages", async ({ page }) => {
        test.setTimeout(120_000);
        await registerViaApi(page.request, { ...newUser(`main-${label}-${scheme}`), name: "Grace Hopper" });
        const workspace = await buildWorkspace(page.request);
        const paths: Record<(typeof MAIN_PAGES)[number], string> = {
          dashboard: "/dashboard",
          contacts: "/contacts",
          company: `/companies/${workspace.companyIds[0]}`,
          "deal-board": `/deals?pipeline=${workspace.pipelineId}`,
          record: `/contacts/${workspace.contactIds[0]}`,
          import: "/import?kind=contacts",
          settings: "/settings/members",
        };
        for (const name of MAIN_PAGES) {
          await page.goto(paths[name]);
          await expect(page.getByRole("main").getByRole("heading", { level: 1 })).toBeVisible();
          // Shown once nothing is loading any more.
          await expect(page.locator("[aria-busy=true]")).toHaveCount(0);
          await page.screenshot({ path: `${ARTIFACTS}${name}-${scheme}-${label}.png`, fullPage: true });
        }
      });
    });
  }
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

    test("settings", async ({ page, browser }) => {
      await registerViaApi(page.request, { ...newUser(`settings-${label}`), name: "Amara Okafor" });
      const teammate = await browser.newContext();
      await acceptInviteViaApi(teammate.request, await createInviteLink(page.request, "member"), {
        ...newUser(`teammate-${label}`),
        name: "Lukas Schneider",
      });
      await teammate.close();
      await callMutation(page.request, "auth.invites.create", {
        role: "viewer",
        email: "kenji@tsubame.example",
        expiresInDays: 7,
      });
      await callMutation(page.request, "auth.apiTokens.create", { name: "Nightly import", expiresInDays: 90 });

      await page.goto("/settings/profile");
      await expect(page.getByRole("form", { name: "Change password" })).toBeVisible();
      await shoot(page, "settings-profile");

      if (viewportLabel(page) === "phone") await page.getByRole("button", { name: "Open navigation" }).click();
      await page
        .getByRole(viewportLabel(page) === "phone" ? "dialog" : "complementary", {
          name: viewportLabel(page) === "phone" ? "Navigation" : "Sidebar",
        })
        .getByRole("button", { name: /^Organization:/ })
        .click();
      await expect(page.getByRole("list", { name: "Your organizations" }).getByRole("button")).toHaveCount(1);
      await shoot(page, "header-organizations");
      await page.keyboard.press("Escape");

      await page.goto("/settings/sessions");
      await expect(page.getByText("This device", { exact: true })).toBeVisible();
      await shoot(page, "settings-sessions");

      await page.goto("/settings/members");
      await expect(page.getByRole("list", { name: "Members" }).getByRole("listitem")).toHaveCount(2);
      await expect(page.getByRole("list", { name: "Pending invites" }).getByRole("listitem")).toHaveCount(1);
      await shoot(page, "settings-members");
      await page.getByRole("button", { name: "Invite people" }).click();
      await page
        .getByRole("dialog", { name: "Invite people" })
        .getByRole("button", { name: "Create invite link" })
        .click();
      await expect(page.getByRole("dialog", { name: "Invite link created" })).toBeVisible();
      await shoot(page, "settings-invite-created");
      await page.keyboard.press("Escape");
      await page.getByRole("button", { name: "Remove Lukas Schneider" }).click();
      await expect(page.getByRole("alertdialog", { name: "Remove Lukas Schneider?" })).toBeVisible();
      await shoot(page, "settings-member-remove");
      await page.keyboard.press("Escape");

      await page.goto("/settings/api-tokens");
      await expect(page.getByRole("list", { name: "API tokens" }).getByRole("listitem")).toHaveCount(1);
      await shoot(page, "settings-api-tokens");
      await page.getByRole("button", { name: "Create token" }).click();
      await page.getByRole("dialog", { name: "Create API token" }).getByLabel("Name").fill("Reporting");
      await page
        .getByRole("dialog", { name: "Create API token" })
        .getByRole("button", { name: "Create token" })
        .click();
      await expect(page.getByRole("dialog", { name: "Token created" })).toBeVisible();
      await shoot(page, "settings-token-created");
      await page.keyboard.press("Escape");

      await page.goto("/settings/audit");
      await expect(page.getByRole("list", { name: "Audit log" }).getByRole("listitem").first()).toBeVisible();
      await shoot(page, "settings-audit");

      await page.goto("/settings/organization");
      await expect(page.getByLabel("Organization name")).toBeEnabled();
      await shoot(page, "settings-organization");
    });

    test("invite and password reset pages", async ({ page, browser }) => {
      const owner = await browser.newContext();
      await registerViaApi(owner.request, newUser(`links-${label}`));
      const invite = await createInviteLink(owner.request, "member");
      const member = await browser.newContext();
      await acceptInviteViaApi(member.request, await createInviteLink(owner.request, "member"), {
        ...newUser(`reset-${label}`),
        name: "Priya Raman",
      });
      await member.close();
      const members = await queryData<{ userId: string; isYou: boolean }[]>(owner.request, "auth.members.list");
      const { url: reset } = await mutationData<{ url: string }>(owner.request, "auth.passwordReset.createLink", {
        userId: members.find((m) => !m.isYou)?.userId,
      });
      await owner.close();

      await page.goto(new URL(invite).pathname);
      await expect(page.getByRole("heading", { name: /^Join / })).toBeVisible();
      await shoot(page, "invite");
      await page.goto("/invite/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
      await expect(page.getByRole("heading", { name: "This invite can’t be used" })).toBeVisible();
      await shoot(page, "invite-invalid");

      await page.goto("/forgot-password");
      await expect(page.getByRole("heading", { name: "Reset your password" })).toBeVisible();
      await shoot(page, "forgot-password");
      await page.goto(new URL(reset).pathname);
      await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
      await shoot(page, "reset-password");
      await page.goto("/reset-password/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
      await expect(page.getByRole("heading", { name: "This link can’t be used" })).toBeVisible();
      await shoot(page, "reset-password-invalid");
    });
  });
}
