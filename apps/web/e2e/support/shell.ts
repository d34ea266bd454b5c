import { expect, type Page } from "@playwright/test";

/** The app's sidebar (desktop widths): organization switcher, navigation and the account menu. */
export function sidebar(page: Page) {
  return page.getByRole("complementary", { name: "Sidebar" });
}

/** Opens the account menu and logs out; ends on the sign-in page. */
export async function logOut(page: Page) {
  await sidebar(page)
    .getByRole("button", { name: /Account menu/ })
    .click();
  await page.getByRole("menuitem", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login$/);
}
