import { createNexoClient, isNexoClientError } from "@nexo/client";
import { type BrowserContext, expect, type Page, test } from "@playwright/test";
import {
  acceptInviteViaApi,
  callMutation,
  createInviteLink,
  newUser,
  registerViaApi,
  signIn,
  type TestUser,
} from "./support/accounts";
import { logOut, sidebar } from "./support/shell";

const gatewayUrl = process.env.E2E_GATEWAY_URL ?? "http://127.0.0.1:4100";

/** A browser context already signed in as a new owner of a new organization. */
async function ownerContext(context: BrowserContext, label: string): Promise<{ page: Page; user: TestUser }> {
  const user = newUser(label);
  await registerViaApi(context.request, user);
  return { page: await context.newPage(), user };
}

test("an invited person joins in another browser, signs in and sees the organization's contacts", async ({
  browser,
}) => {
  const ownerCtx = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
  const { page, user: owner } = await ownerContext(ownerCtx, "inviter");
  await callMutation(ownerCtx.request, "crm.contacts.create", { firstName: "Ada", lastName: "Lovelace" });

  await page.goto("/contacts");
  await sidebar(page).getByRole("link", { name: "Settings" }).click();
  await expect(page).toHaveURL(/\/settings\/profile$/);
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Members & invites" }).click();
  await expect(page.getByRole("list", { name: "Members" }).getByRole("listitem")).toHaveCount(1);
  await expect(page.getByText("No pending invites.")).toBeVisible();

  await page.getByRole("button", { name: "Invite people" }).click();
  const dialog = page.getByRole("dialog", { name: "Invite people" });
  await dialog.getByLabel("Expires in (days)").fill("45");
  await dialog.getByRole("button", { name: "Create invite link" }).click();
  await expect(dialog.getByLabel("Expires in (days)")).toHaveAccessibleDescription("At most 30 days.");
  await dialog.getByLabel("Expires in (days)").fill("3");
  await dialog.getByLabel("Role").selectOption("member");
  await dialog.getByRole("button", { name: "Create invite link" }).click();

  const created = page.getByRole("dialog", { name: "Invite link created" });
  const link = created.getByRole("textbox", { name: "Invite link" });
  await expect(link).toHaveValue(/\/invite\/[\w-]{43}$/);
  const url = await link.inputValue();
  await created.getByRole("button", { name: "Copy" }).click();
  await expect(created.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
  await created.getByRole("button", { name: "Done" }).click();
  await expect(page.getByRole("list", { name: "Pending invites" })).toContainText("Anyone with the link");

  // The invited person, in a browser of their own.
  const memberCtx = await browser.newContext();
  const invited = await memberCtx.newPage();
  const member = { ...newUser("invited"), name: "Linus Torvalds" };
  await invited.goto(new URL(url).pathname);
  await expect(invited.getByRole("heading", { name: `Join ${owner.organizationName}` })).toBeVisible();
  await invited.getByLabel("Your name").fill(member.name);
  await invited.getByLabel("Email").fill(member.email);
  await invited.getByLabel("Password").fill(member.password);
  await invited.getByRole("button", { name: "Create account and join" }).click();
  await expect(invited).toHaveURL(/\/dashboard$/);
  await invited.goto("/contacts");
  await expect(sidebar(invited)).toContainText(owner.organizationName);
  await expect(invited.getByRole("table", { name: "Contacts" })).toContainText("Ada Lovelace");

  await logOut(invited);
  await signIn(invited, member);
  await invited.goto("/contacts");
  await expect(sidebar(invited)).toContainText(owner.organizationName);
  await expect(invited.getByRole("table", { name: "Contacts" })).toContainText("Ada Lovelace");

  // The link was used up; the owner sees the new member and no pending invite.
  await invited.goto(new URL(url).pathname);
  await expect(invited.getByRole("heading", { name: "This invite can’t be used" })).toBeVisible();
  await page.reload();
  const members = page.getByRole("list", { name: "Members" });
  await expect(members.getByRole("listitem")).toHaveCount(2);
  await expect(members).toContainText(member.name);
  await expect(page.getByText("No pending invites.")).toBeVisible();

  await ownerCtx.close();
  await memberCtx.close();
});

test("revoking sessions signs the other devices out on their next request", async ({ browser }) => {
  const user = newUser("sessions");
  const main = await browser.newContext();
  await registerViaApi(main.request, user);
  const laptop = await browser.newContext();
  const laptopPage = await laptop.newPage();
  await signIn(laptopPage, user);
  const phone = await browser.newContext();
  const phonePage = await phone.newPage();
  await signIn(phonePage, user);

  const page = await main.newPage();
  await page.goto("/settings/sessions");
  const sessions = page.getByRole("list", { name: "Sessions" }).getByRole("listitem");
  await expect(sessions).toHaveCount(3);
  const thisDevice = sessions.filter({ hasText: "This device" });
  await expect(thisDevice).toHaveCount(1);
  await expect(sessions.first()).toContainText("Last seen");
  await expect(sessions.first()).toContainText("IP");

  // One session
  await sessions
    .filter({ hasNotText: "This device" })
    .first()
    .getByRole("button", { name: /^Revoke/ })
    .click();
  const confirm = page.getByRole("alertdialog", { name: "Sign out this session?" });
  await expect(confirm.getByRole("button", { name: "Cancel" })).toBeFocused();
  await confirm.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByText("The session was signed out.")).toBeVisible();
  await expect(sessions).toHaveCount(2);

  // Whichever of the two it was is signed out on its next request; the other is not.
  await laptopPage.goto("/contacts");
  await phonePage.goto("/contacts");
  const signedOut = [laptopPage.url(), phonePage.url()].filter((url) => url.endsWith("/login"));
  expect(signedOut).toHaveLength(1);
  const survivor = laptopPage.url().endsWith("/contacts") ? laptopPage : phonePage;

  // Everywhere else
  await page.getByRole("button", { name: "Log out everywhere else" }).click();
  await page
    .getByRole("alertdialog", { name: "Log out everywhere else?" })
    .getByRole("button", { name: "Log out other sessions" })
    .click();
  await expect(page.getByText("1 other session was signed out.")).toBeVisible();
  await expect(sessions).toHaveCount(1);
  await expect(page.getByRole("button", { name: "Log out everywhere else" })).toBeDisabled();
  // A call made by the open page (not a navigation) meets the ended session too.
  await survivor.getByRole("button", { name: "New contact" }).click();
  const late = survivor.getByRole("dialog", { name: "New contact" });
  await late.getByLabel("First name").fill("Late");
  await late.getByRole("button", { name: "Add contact" }).click();
  await expect(survivor).toHaveURL(/\/login$/);

  // Everywhere, this device included
  await page.getByRole("button", { name: "Log out everywhere", exact: true }).click();
  await page
    .getByRole("alertdialog", { name: "Log out everywhere?" })
    .getByRole("button", { name: "Log out everywhere" })
    .click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/settings/sessions");
  await expect(page).toHaveURL(/\/login$/);

  for (const context of [main, laptop, phone]) await context.close();
});

test("an API token created in settings works through @nexo/client until it is revoked", async ({ page }) => {
  await registerViaApi(page.request, newUser("tokens"));
  await page.goto("/settings/api-tokens");
  await expect(page.getByText("No API tokens yet.")).toBeVisible();

  await page.getByRole("button", { name: "Create token" }).click();
  const dialog = page.getByRole("dialog", { name: "Create API token" });
  await dialog.getByRole("button", { name: "Create token" }).click();
  await expect(dialog.getByLabel("Name")).toHaveAccessibleDescription("Give the token a name.");
  await dialog.getByLabel("Name").fill("Nightly import");
  await dialog.getByLabel("Expires after").selectOption({ label: "30 days" });
  await dialog.getByRole("button", { name: "Create token" }).click();

  const created = page.getByRole("dialog", { name: "Token created" });
  const field = created.getByRole("textbox", { name: "API token “Nightly import”" });
  await expect(field).toHaveValue(/^nexo_pat_/);
  const token = await field.inputValue();
  await created.getByRole("button", { name: "Done" }).click();
  const row = page.getByRole("list", { name: "API tokens" }).getByRole("listitem");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("Nightly import");
  await expect(row).toContainText("Last usednever");

  const client = createNexoClient({ url: gatewayUrl, token });
  expect((await client.crm.contacts.list.query({})).items).toEqual([]);
  const contact = await client.crm.contacts.create.mutate({ firstName: "Grace", lastName: "Script" });
  expect(contact.firstName).toBe("Grace");
  const listed = await client.crm.contacts.list.query({ search: "script" });
  expect(listed.items.map((item) => item.id)).toEqual([contact.id]);

  await page.goto("/contacts");
  await expect(page.getByRole("table", { name: "Contacts" })).toContainText("Grace Script");
  await page.goto("/settings/api-tokens");
  await expect(row).not.toContainText("Last usednever");

  await row.getByRole("button", { name: "Revoke Nightly import" }).click();
  await page
    .getByRole("alertdialog", { name: "Revoke Nightly import?" })
    .getByRole("button", { name: "Revoke token" })
    .click();
  await expect(page.getByText("Nightly import was revoked.")).toBeVisible();
  await expect(page.getByText("No API tokens yet.")).toBeVisible();
  const refused = await client.crm.contacts.list.query({}).catch((error: unknown) => error);
  expect(isNexoClientError(refused) && refused.data?.code).toBe("UNAUTHORIZED");
});

test("changing the password shows field errors and ends the other session", async ({ browser }) => {
  const user = newUser("password");
  const main = await browser.newContext();
  await registerViaApi(main.request, user);
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage, user);

  const page = await main.newPage();
  await page.goto("/settings/profile");
  await expect(page.getByRole("main").getByText(user.email)).toBeVisible();
  const form = page.getByRole("form", { name: "Change password" });
  await form.getByLabel("Current password").fill(user.password);
  await form.getByLabel("New password").fill("short");
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByLabel("New password")).toHaveAccessibleDescription("Use at least 10 characters.");
  await expect(form.getByLabel("New password")).toBeFocused();

  await form.getByLabel("Current password").fill("not my password");
  await form.getByLabel("New password").fill("a much better passphrase");
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByLabel("Current password")).toHaveAccessibleDescription(
    "Your current password is not correct.",
  );

  await form.getByLabel("Current password").fill(user.password);
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Password changed. 1 other session was signed out.")).toBeVisible();
  await expect(form.getByLabel("New password")).toHaveValue("");

  await otherPage.reload();
  await expect(otherPage).toHaveURL(/\/login$/);
  await page.reload();
  await expect(page).toHaveURL(/\/settings\/profile$/);
  await signIn(otherPage, { email: user.email, password: "a much better passphrase" });

  await main.close();
  await other.close();
});

test("an admin's reset link lets a member choose a new password", async ({ browser }) => {
  const ownerCtx = await browser.newContext();
  const { page } = await ownerContext(ownerCtx, "resetter");
  const memberCtx = await browser.newContext();
  const member = { ...newUser("forgetful"), name: "Margaret Hamilton" };
  await acceptInviteViaApi(memberCtx.request, await createInviteLink(ownerCtx.request, "member"), member);

  await page.goto("/settings/members");
  await page.getByRole("button", { name: `Reset link for ${member.name}` }).click();
  const dialog = page.getByRole("dialog", { name: `Password reset link for ${member.name}` });
  await dialog.getByRole("button", { name: "Create reset link" }).click();
  const link = dialog.getByRole("textbox", { name: "Reset link" });
  await expect(link).toHaveValue(/\/reset-password\/[\w-]{43}$/);
  const path = new URL(await link.inputValue()).pathname;
  await dialog.getByRole("button", { name: "Done" }).click();

  const fresh = await browser.newContext();
  const resetPage = await fresh.newPage();
  await resetPage.goto(path);
  await expect(resetPage.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
  await expect(resetPage.getByText(member.email)).toBeVisible();
  await resetPage.getByLabel("New password", { exact: true }).fill("brand new passphrase");
  await resetPage.getByRole("button", { name: "Set new password" }).click();
  await expect(resetPage).toHaveURL(/\/login\?reset=1$/);
  await expect(resetPage.getByText("Your password was changed. Sign in with the new one.")).toBeVisible();
  await signIn(resetPage, { email: member.email, password: "brand new passphrase" });

  // The reset signed the member out everywhere, and the link works once.
  const memberPage = await memberCtx.newPage();
  await memberPage.goto("/contacts");
  await expect(memberPage).toHaveURL(/\/login$/);
  await memberPage.goto(path);
  await expect(memberPage.getByRole("heading", { name: "This link can’t be used" })).toBeVisible();

  for (const context of [ownerCtx, memberCtx, fresh]) await context.close();
});

test("forgot password answers the same whether or not the email has an account", async ({ page }) => {
  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot password?" }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await page.getByLabel("Email").fill("nobody-here");
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByLabel("Email")).toHaveAccessibleDescription("Enter a valid email address.");
  await page.getByLabel("Email").fill(`${newUser("nobody").email}`);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "If an account exists for this email" })).toBeVisible();
});

test("the organization switcher opens another of the user's organizations", async ({ browser }) => {
  const otherOwner = await browser.newContext();
  const { user: other } = await ownerContext(otherOwner, "second-org");
  await callMutation(otherOwner.request, "crm.contacts.create", { firstName: "Only", lastName: "Elsewhere" });
  const invite = await createInviteLink(otherOwner.request, "viewer");

  const context = await browser.newContext();
  const { page, user } = await ownerContext(context, "switcher");
  await callMutation(context.request, "auth.invites.accept", {
    mode: "signedIn",
    token: new URL(invite).pathname.split("/").at(-1),
  });
  // Accepting opened the other organization; go back to the user's own first.
  await page.goto("/contacts");
  const header = sidebar(page);
  await expect(header).toContainText(other.organizationName);
  await header.getByRole("button", { name: `Organization: ${other.organizationName}` }).click();
  const list = header.getByRole("list", { name: "Your organizations" });
  await expect(list.getByRole("button")).toHaveCount(2);
  await list.getByRole("button", { name: new RegExp(user.organizationName) }).click();
  await expect(header.getByRole("button", { name: `Organization: ${user.organizationName}` })).toBeVisible();
  await page.goto("/contacts");
  await expect(page.getByRole("heading", { name: "No contacts yet" })).toBeVisible();

  await header.getByRole("button", { name: `Organization: ${user.organizationName}` }).click();
  await list.getByRole("button", { name: new RegExp(other.organizationName) }).click();
  await expect(header.getByRole("button", { name: `Organization: ${other.organizationName}` })).toBeVisible();
  await page.goto("/contacts");
  await expect(page.getByRole("table", { name: "Contacts" })).toContainText("Only Elsewhere");
  // A viewer there: reading only.
  await expect(page.getByRole("button", { name: "New contact" })).toHaveCount(0);

  await otherOwner.close();
  await context.close();
});

test("the audit log lists sign-ins and filters them, a page at a time", async ({ browser }) => {
  const user = newUser("audited");
  const context = await browser.newContext();
  await registerViaApi(context.request, user);
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await otherPage.goto("/login");
  await otherPage.getByLabel("Email").fill(user.email);
  await otherPage.getByLabel("Password").fill("a wrong password");
  await otherPage.getByRole("button", { name: "Sign in" }).click();
  await expect(otherPage.getByRole("form", { name: "Sign in" }).getByRole("alert")).toHaveText(
    "Invalid email or password.",
  );
  await signIn(otherPage, user);
  for (let index = 1; index <= 25; index++) {
    await callMutation(context.request, "auth.apiTokens.create", { name: `Token ${index}` });
  }

  const page = await context.newPage();
  await page.goto("/settings/audit");
  const entries = page.getByRole("list", { name: "Audit log" }).getByRole("listitem");
  await expect(entries).toHaveCount(25);
  await expect(entries.first()).toContainText("API token created");
  await page.getByRole("button", { name: "Load more" }).click();
  await expect(entries).toHaveCount(28);
  await expect(entries.filter({ hasText: "Account created" })).toHaveCount(1);
  await expect(entries.filter({ hasText: "Signed in" })).toHaveCount(1);
  await expect(entries.filter({ hasText: "Sign-in failed" })).toHaveCount(1);
  await expect(page.getByRole("button", { name: "Load more" })).toHaveCount(0);

  await page.getByLabel("Event").selectOption({ label: "Signed in" });
  await expect(entries).toHaveCount(1);
  await expect(entries.first()).toContainText(user.email);
  await page.getByLabel("Person").selectOption({ label: user.name });
  await expect(entries).toHaveCount(1);

  const today = new Date().toLocaleDateString("en-CA");
  await page.getByLabel("From").fill(today);
  await page.getByLabel("To").fill("2001-01-01");
  await expect(page.getByLabel("To")).toHaveAccessibleDescription("The start must not be after the end.");
  await page.getByLabel("To").fill(today);
  await expect(entries).toHaveCount(1);
  await page.getByLabel("From").fill("2001-01-01");
  await page.getByLabel("To").fill("2001-01-02");
  await expect(page.getByText("No events match these filters.")).toBeVisible();
  // Back to the unfiltered list, with both pages loaded before.
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(entries).toHaveCount(28);

  await context.close();
  await other.close();
});
