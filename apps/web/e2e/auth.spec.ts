import { expect, test } from "@playwright/test";
import { newUser, registerViaApi } from "./support/accounts";
import { sidebar } from "./support/shell";

test("signed-out visitors are sent to the sign-in page", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/contacts?q=ada");
  await expect(page).toHaveURL(/\/login$/);
});

test("a wrong password shows an error on the form", async ({ page, browser }) => {
  const user = newUser("login");
  const setup = await browser.newContext();
  await registerViaApi(setup.request, user);
  await setup.close();

  await page.goto("/login");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();

  const form = page.getByRole("form", { name: "Sign in" });
  await expect(form.getByRole("alert")).toHaveText("Invalid email or password.");
  await expect(page).toHaveURL(/\/login$/);

  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(sidebar(page)).toContainText(user.name);
});

test("registration checks each field before sending", async ({ page }) => {
  await page.goto("/register");
  await page.getByLabel("Your name").fill("Grace Hopper");
  await page.getByLabel("Work email").fill("grace-at-example");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();

  await expect(page.getByLabel("Work email")).toHaveAccessibleDescription("Enter a valid email address.");
  await expect(page.getByLabel("Password")).toHaveAccessibleDescription("Use at least 10 characters.");
  await expect(page.getByLabel("Organization name")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Work email")).toBeFocused();
  await expect(page).toHaveURL(/\/register$/);
});

test("registering an email twice shows why", async ({ page, browser }) => {
  const user = newUser("taken");
  const setup = await browser.newContext();
  await registerViaApi(setup.request, user);
  await setup.close();

  await page.goto("/register");
  await page.getByLabel("Your name").fill(user.name);
  await page.getByLabel("Work email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByLabel("Organization name").fill(user.organizationName);
  await page.getByRole("button", { name: "Create account" }).click();

  await expect(page.getByRole("form", { name: "Create your account" }).getByRole("alert")).toHaveText(
    "An account with this email already exists.",
  );
  await expect(page).toHaveURL(/\/register$/);
});
