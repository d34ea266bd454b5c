import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import { newUser, registerViaApi } from "./support/accounts";
import { buildWorkspace, type Workspace } from "./support/workspace";

// Every main page, checked by axe-core against WCAG 2.1 A and AA in both themes: no serious or
// critical violation may ship. Each page is checked once it shows its data, not its skeleton.

const PAGES: { name: string; path: (w: Workspace) => string }[] = [
  { name: "dashboard", path: () => "/dashboard" },
  { name: "contacts", path: () => "/contacts" },
  { name: "contact record", path: (w) => `/contacts/${w.contactIds[0]}` },
  { name: "companies", path: () => "/companies" },
  { name: "company record", path: (w) => `/companies/${w.companyIds[0]}` },
  { name: "deal board", path: (w) => `/deals?pipeline=${w.pipelineId}` },
  { name: "deals list", path: () => "/deals/list" },
  { name: "deal record", path: (w) => `/deals/${w.dealIds[0]}` },
  { name: "tasks", path: () => "/tasks" },
  { name: "import", path: () => "/import?kind=contacts" },
  { name: "settings", path: () => "/settings/profile" },
  { name: "members", path: () => "/settings/members" },
];

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => ({
      rule: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.slice(0, 5).map((node) => node.target.join(" ")),
    }));
}

for (const scheme of ["light", "dark"] as const) {
  test.describe(`${scheme} theme`, () => {
    test.use({ colorScheme: scheme });

    test("main pages have no serious or critical accessibility violations", async ({ page }) => {
      test.setTimeout(180_000);
      await registerViaApi(page.request, newUser(`a11y-${scheme}`));
      const workspace = await buildWorkspace(page.request);
      const found: Record<string, unknown> = {};
      for (const entry of PAGES) {
        await page.goto(entry.path(workspace));
        await expect(page.getByRole("main").getByRole("heading", { level: 1 })).toBeVisible();
        await expect(page.locator("html")).toHaveClass(scheme === "dark" ? /\bdark\b/ : /^(?!.*\bdark\b)/);
        const violations = await seriousViolations(page);
        if (violations.length) found[entry.name] = violations;
      }
      expect(found).toEqual({});
    });
  });
}
