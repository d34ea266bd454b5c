import { expect, test } from "@playwright/test";
import { acceptInviteViaApi, callMutation, createInviteLink, newUser, registerViaApi } from "./support/accounts";
import { sidebar } from "./support/shell";

test("a viewer reads contacts and settings but is offered no changes", async ({ browser }) => {
  const ownerCtx = await browser.newContext();
  await registerViaApi(ownerCtx.request, newUser("boss"));
  await callMutation(ownerCtx.request, "crm.contacts.create", { firstName: "Shared", lastName: "Record" });
  const viewerCtx = await browser.newContext();
  const viewer = { ...newUser("viewer"), name: "Vera Viewer" };
  await acceptInviteViaApi(viewerCtx.request, await createInviteLink(ownerCtx.request, "viewer"), viewer);

  const page = await viewerCtx.newPage();
  await page.goto("/contacts");
  const list = page.getByRole("table", { name: "Contacts" });
  await expect(list).toContainText("Shared Record");
  await expect(page.getByRole("button", { name: "New contact" })).toHaveCount(0);
  // Sorting is all a viewer may do in the list: no editing, no selection, no row actions.
  await expect(list.getByRole("button", { name: /edit|Delete/ })).toHaveCount(0);
  await expect(list.getByRole("checkbox")).toHaveCount(0);

  await page.goto("/settings/members");
  const nav = page.getByRole("navigation", { name: "Settings" });
  await expect(nav.getByRole("link", { name: "Members & invites" })).toHaveAttribute("aria-current", "page");
  await expect(nav.getByRole("link", { name: "Audit log" })).toHaveCount(0);
  await expect(page.getByRole("list", { name: "Members" }).getByRole("listitem")).toHaveCount(2);
  await expect(page.getByRole("button", { name: "Invite people" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^Remove/ })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Leave organization" })).toBeVisible();

  // The server is the authority: a page opened by URL explains, and a forged call is refused.
  await page.goto("/settings/audit");
  await expect(page.getByText("Only owners and admins can read the audit log.")).toBeVisible();
  await page.goto("/settings/organization");
  await expect(page.getByLabel("Organization name")).toBeDisabled();
  await expect(page.getByRole("button", { name: "Save changes" })).toHaveCount(0);
  const forged = await viewerCtx.request.post("/api/trpc/crm.contacts.create", {
    data: { json: { firstName: "Sneaky" } },
    headers: { origin: process.env.E2E_WEB_URL ?? "" },
  });
  expect(forged.status()).toBe(403);
  expect(await forged.text()).toContain("FORBIDDEN");
  expect(await forged.text()).not.toContain("Cross-site");

  await ownerCtx.close();
  await viewerCtx.close();
});

test("an owner changes a role, and with visibility 'own' members see only their records", async ({ browser }) => {
  const ownerCtx = await browser.newContext();
  await registerViaApi(ownerCtx.request, newUser("visibility"));
  await callMutation(ownerCtx.request, "crm.contacts.create", { firstName: "Owner", lastName: "Record" });
  const memberCtx = await browser.newContext();
  const member = { ...newUser("member"), name: "Mia Member" };
  await acceptInviteViaApi(memberCtx.request, await createInviteLink(ownerCtx.request, "viewer"), member);

  const page = await ownerCtx.newPage();
  await page.goto("/settings/members");
  await page.getByLabel(`Role of ${member.name}`).selectOption("member");
  await expect(page.getByText(`${member.name} is now a member.`)).toBeVisible();

  // A role change ends the member's sessions: they sign in again and get the new role.
  const memberPage = await memberCtx.newPage();
  await memberPage.goto("/contacts");
  await expect(memberPage).toHaveURL(/\/login$/);
  await memberPage.getByLabel("Email").fill(member.email);
  await memberPage.getByLabel("Password").fill(member.password);
  await memberPage.getByRole("button", { name: "Sign in" }).click();
  await expect(memberPage).toHaveURL(/\/dashboard$/);
  await memberPage.goto("/contacts");
  await expect(memberPage.getByRole("table", { name: "Contacts" })).toContainText("Owner Record");
  await memberPage.getByRole("button", { name: "New contact" }).click();
  await memberPage.getByRole("dialog", { name: "New contact" }).getByLabel("First name").fill("Member");
  await memberPage.getByRole("dialog", { name: "New contact" }).getByLabel("Last name").fill("Record");
  await memberPage.getByRole("button", { name: "Add contact" }).click();
  await expect(memberPage.getByText("Member Record was added.")).toBeVisible();

  await page.goto("/settings/organization");
  await page.getByLabel("Organization name").fill("Harbor Renamed");
  await page.getByRole("radio", { name: /only the records they own/ }).check();
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Organization settings saved.")).toBeVisible();
  await expect(sidebar(page)).toContainText("Harbor Renamed");

  await memberPage.reload();
  const memberList = memberPage.getByRole("table", { name: "Contacts" });
  await expect(memberList.locator("tbody").getByRole("row")).toHaveCount(1);
  await expect(memberList).toContainText("Member Record");
  await page.goto("/contacts");
  await expect(page.getByRole("table", { name: "Contacts" }).locator("tbody").getByRole("row")).toHaveCount(2);

  await ownerCtx.close();
  await memberCtx.close();
});
