import { type APIRequestContext, expect, type Locator, type Page, test } from "@playwright/test";
import { mutationData, newUser, queryData, registerViaApi } from "./support/accounts";

interface Pipeline {
  id: string;
  name: string;
  stages: { id: string; name: string }[];
}
interface Deal {
  id: string;
  title: string;
  stageId: string;
  status: string;
  closeReason: string | null;
}

/** A signed-in owner with a "Sales" pipeline (the default stages) and three deals in EUR. */
async function seedBoard(request: APIRequestContext) {
  await registerViaApi(request, newUser("board"));
  const pipeline = await mutationData<Pipeline>(request, "crm.pipelines.create", { name: "Sales" });
  const stage = Object.fromEntries(pipeline.stages.map((s) => [s.name, s.id])) as Record<string, string>;
  const initech = await mutationData<{ id: string }>(request, "crm.companies.create", { name: "Initech" });
  const deal = (title: string, amountMinor: number, stageName: string, extra: Record<string, unknown> = {}) =>
    mutationData<Deal>(request, "crm.deals.create", {
      title,
      amountMinor,
      currency: "EUR",
      stageId: stage[stageName],
      ...extra,
    });
  // Created in reverse: each new deal goes on top of its stage.
  const beta = await deal("Beta pilot", 2_500_00, "Lead");
  const alpha = await deal("Alpha renewal", 1_000_00, "Lead", {
    companyId: initech.id,
    expectedCloseDate: "2031-06-30",
  });
  const gamma = await deal("Gamma expansion", 4_000_00, "Qualified");
  return { pipeline, stage, alpha, beta, gamma };
}

// Wide enough to show five stages side by side, so a drag from the first stage to "Won" needs no scrolling.
test.use({ viewport: { width: 1600, height: 900 } });

const column = (page: Page, name: string) => page.getByRole("region", { name, exact: true });
const card = (scope: Page | Locator, title: string) => scope.getByRole("article", { name: title, exact: true });

async function expectTotals(page: Page, stage: string, count: number, total: string, weighted?: string) {
  const col = column(page, stage);
  await expect(col.getByTestId("stage-count")).toHaveText(`Deals: ${count}`);
  await expect(col.getByTestId("stage-total")).toHaveText(`Total${total}`);
  if (weighted) await expect(col.getByTestId("stage-weighted")).toContainText(weighted);
}

/** Drags with the mouse as a person does: press, move a little, travel to the target, release. */
async function dragWithMouse(page: Page, source: Locator, target: Locator) {
  await source.scrollIntoViewIfNeeded();
  const width = page.viewportSize()?.width ?? 1280;
  // A column beyond the window's edge is reached the way a person does: by holding the card at
  // the edge until the board has scrolled it into view.
  const aimX = (box: { x: number; width: number }) => Math.min(box.x + box.width / 2, width - 8);
  const from = await source.boundingBox();
  const to = await target.boundingBox();
  if (!from || !to) throw new Error("card or column not on screen");
  // The lower part of the card: its title is a link.
  const startX = from.x + from.width / 2;
  const startY = from.y + from.height - 14;
  await page.mouse.move(startX, startY);
  await page.mouse.down();
  await page.mouse.move(startX + 12, startY + 8, { steps: 4 });
  await page.mouse.move(aimX(to), to.y + Math.min(to.height - 20, 160), { steps: 16 });
  // Near the board's edge the board scrolls under the pointer (as it does for a person): follow the
  // column until it stays put, then let go over it.
  let last = to;
  for (let attempt = 0; attempt < 60; attempt++) {
    const now = await target.boundingBox();
    if (!now) throw new Error("column left the page during the drag");
    await page.mouse.move(aimX(now), now.y + Math.min(now.height - 20, 160), { steps: 2 });
    const inView = now.x + now.width / 2 <= width - 8;
    if (inView && Math.abs(now.x - last.x) < 1 && attempt > 0) break;
    last = now;
  }
  await page.mouse.up();
}

test("a deal dragged with the mouse to another stage stays there after a reload, with the totals updated", async ({
  page,
}) => {
  // Hydration mismatches and uncaught exceptions only show up in the console. (Links prefetch the
  // pages they lead to; a 404 there is about another page, not this one.)
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource"))
      errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  const { alpha } = await seedBoard(page.request);

  await page.goto("/deals");
  await expect(page.getByRole("heading", { name: "Deals", level: 1 })).toBeVisible();
  const lead = column(page, "Lead");
  const qualified = column(page, "Qualified");
  await expect(lead.getByRole("article")).toHaveCount(2);
  await expect(card(lead, "Alpha renewal")).toContainText("Initech");
  await expect(card(lead, "Alpha renewal")).toContainText("€1,000.00");
  await expect(card(lead, "Alpha renewal")).toContainText("30 Jun 2031");
  await expectTotals(page, "Lead", 2, "€3,500.00", "€350.00");
  await expectTotals(page, "Qualified", 1, "€4,000.00", "€1,000.00");

  await dragWithMouse(page, card(lead, "Alpha renewal"), qualified);

  // Shown at once, before any reload.
  await expect(card(qualified, "Alpha renewal")).toBeVisible();
  await expect(card(lead, "Alpha renewal")).toHaveCount(0);
  await expectTotals(page, "Lead", 1, "€2,500.00", "€250.00");
  await expectTotals(page, "Qualified", 2, "€5,000.00", "€1,250.00");

  // Saved: the server agrees, and a reload shows the same board.
  await expect
    .poll(async () => (await queryData<Deal>(page.request, `crm.deals.get?input=${dealInput(alpha.id)}`)).stageId)
    .not.toBe(alpha.stageId);
  await page.reload();
  await expect(card(column(page, "Qualified"), "Alpha renewal")).toBeVisible();
  await expectTotals(page, "Lead", 1, "€2,500.00");
  await expectTotals(page, "Qualified", 2, "€5,000.00", "€1,250.00");

  // The title opens the deal; the list view is one click away.
  await expect(card(page, "Alpha renewal").getByRole("link", { name: "Alpha renewal" })).toHaveAttribute(
    "href",
    `/deals/${alpha.id}`,
  );
  await expect(
    page.getByRole("navigation", { name: "Deal views" }).getByRole("link", { name: "List" }),
  ).toHaveAttribute("href", "/deals/list");
  expect(errors).toEqual([]);
});

function dealInput(id: string): string {
  return encodeURIComponent(JSON.stringify({ json: { id } }));
}

test("a deal moves to another stage with the keyboard, announced to screen readers", async ({ page }) => {
  const { stage, beta } = await seedBoard(page.request);
  await page.goto("/deals");
  const lead = column(page, "Lead");

  await lead.getByRole("button", { name: "Move Beta pilot" }).focus();
  await page.keyboard.press("Space");
  // The pick-up is announced, then at once where the card is (over its own place).
  await expect(page.getByText(/Picked up Beta pilot, in Lead|Beta pilot is over Lead/)).toBeAttached();
  await page.keyboard.press("ArrowRight");
  await expect(page.getByText(/Beta pilot is over Qualified/)).toBeAttached();
  await page.keyboard.press("Space");
  await expect(page.getByText(/Beta pilot was dropped in Qualified/)).toBeAttached();

  await expect(card(column(page, "Qualified"), "Beta pilot")).toBeVisible();
  await expectTotals(page, "Qualified", 2, "€6,500.00", "€1,625.00");
  await expectTotals(page, "Lead", 1, "€1,000.00");
  // Focus stays on the moved card's handle, so the next move can follow.
  await expect(page.getByRole("button", { name: "Move Beta pilot" })).toBeFocused();

  await expect
    .poll(async () => (await queryData<Deal>(page.request, `crm.deals.get?input=${dealInput(beta.id)}`)).stageId)
    .toBe(stage.Qualified);
  await page.reload();
  await expect(card(column(page, "Qualified"), "Beta pilot")).toBeVisible();

  // Escape cancels a move: the deal stays where it was.
  await column(page, "Qualified").getByRole("button", { name: "Move Beta pilot" }).focus();
  await page.keyboard.press("Space");
  await expect(page.getByText(/Picked up Beta pilot, in Qualified|Beta pilot is over Qualified/)).toBeAttached();
  await page.keyboard.press("ArrowRight");
  await expect(page.getByText(/Beta pilot is over Proposal/)).toBeAttached();
  await page.keyboard.press("Escape");
  await expect(page.getByText(/Moving Beta pilot was cancelled. It is back in Qualified/)).toBeAttached();
  await expect(card(column(page, "Qualified"), "Beta pilot")).toBeVisible();
  await expect(column(page, "Proposal").getByRole("article")).toHaveCount(0);
});

test("a deal is marked lost with a reason; dropping one on Won asks first, and cancel puts it back", async ({
  page,
}) => {
  const { gamma, alpha } = await seedBoard(page.request);
  await page.goto("/deals");

  // From the card's menu.
  await page.getByRole("button", { name: "Actions for Gamma expansion" }).click();
  await page.getByRole("menuitem", { name: "Mark lost" }).click();
  const dialog = page.getByRole("dialog", { name: "Mark “Gamma expansion” as lost" });
  await expect(dialog.getByLabel("Lost on")).toHaveValue(/^\d{4}-\d{2}-\d{2}$/);
  await dialog.getByLabel("Why was it lost?").fill("Went with a cheaper competitor");
  await dialog.getByRole("button", { name: "Mark lost" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText("“Gamma expansion” was marked lost.")).toBeVisible();
  const lost = column(page, "Lost");
  await expect(card(lost, "Gamma expansion")).toContainText("Lost");
  await expectTotals(page, "Qualified", 0, "€0.00");
  await expectTotals(page, "Lost", 1, "€4,000.00");

  const saved = await queryData<Deal>(page.request, `crm.deals.get?input=${dealInput(gamma.id)}`);
  expect(saved).toMatchObject({ status: "lost", closeReason: "Went with a cheaper competitor" });

  // Dropping on a won stage asks for the reason; cancelling puts the card back where it was.
  await dragWithMouse(page, card(column(page, "Lead"), "Alpha renewal"), column(page, "Won"));
  const wonDialog = page.getByRole("dialog", { name: "Mark “Alpha renewal” as won" });
  await expect(wonDialog).toBeVisible();
  await expect(card(column(page, "Won"), "Alpha renewal")).toBeVisible();
  await wonDialog.getByRole("button", { name: "Cancel" }).click();
  await expect(wonDialog).toBeHidden();
  await expect(card(column(page, "Lead"), "Alpha renewal")).toBeVisible();
  await expect(column(page, "Won").getByRole("article")).toHaveCount(0);
  await expectTotals(page, "Lead", 2, "€3,500.00");
  expect((await queryData<Deal>(page.request, `crm.deals.get?input=${dealInput(alpha.id)}`)).status).toBe("open");

  // A future date is refused next to the field.
  await dragWithMouse(page, card(column(page, "Lead"), "Alpha renewal"), column(page, "Won"));
  await wonDialog.getByLabel("Won on").fill("2999-01-01");
  await wonDialog.getByRole("button", { name: "Mark won" }).click();
  await expect(wonDialog.getByLabel("Won on")).toHaveAccessibleDescription("The close date can’t be in the future.");
  await wonDialog.getByLabel("Won on").fill("2024-02-15");
  await wonDialog.getByLabel("Why was it won?").fill("Best integration");
  await wonDialog.getByRole("button", { name: "Mark won" }).click();
  await expect(wonDialog).toBeHidden();
  await page.reload();
  await expect(card(column(page, "Won"), "Alpha renewal")).toContainText("Won");
  const won = await queryData<Deal & { closedAt: string }>(page.request, `crm.deals.get?input=${dealInput(alpha.id)}`);
  expect(won).toMatchObject({ status: "won", closeReason: "Best integration" });
  expect(won.closedAt.slice(0, 10)).toBe("2024-02-15");
});

test("a move the server refuses is rolled back with a message", async ({ page }) => {
  const { alpha } = await seedBoard(page.request);
  await page.goto("/deals");
  await expect(card(column(page, "Lead"), "Alpha renewal")).toBeVisible();

  // Someone else deletes the deal while this board is open.
  await mutationData(page.request, "crm.deals.delete", { id: alpha.id });
  await dragWithMouse(page, card(column(page, "Lead"), "Alpha renewal"), column(page, "Proposal"));

  await expect(page.getByText("“Alpha renewal” wasn’t moved: Deal not found.")).toBeVisible();
  await expect(card(column(page, "Proposal"), "Alpha renewal")).toHaveCount(0);
  await expectTotals(page, "Proposal", 0, "€0.00");
  // The board then shows what the server has: the deal is gone.
  await expect(card(page, "Alpha renewal")).toHaveCount(0);
  await expectTotals(page, "Lead", 1, "€2,500.00");
});

test("new deals are added with field errors shown, and long columns load more", async ({ page }) => {
  const { stage } = await seedBoard(page.request);
  for (let i = 1; i <= 27; i++) {
    await mutationData(page.request, "crm.deals.create", {
      title: `Bulk ${String(i).padStart(2, "0")}`,
      amountMinor: 100,
      currency: "EUR",
      stageId: stage.Proposal,
    });
  }
  await page.goto("/deals");
  const proposal = column(page, "Proposal");
  await expect(proposal.getByRole("article")).toHaveCount(25);
  await expectTotals(page, "Proposal", 27, "€27.00");
  await proposal.getByRole("button", { name: "Load more in Proposal" }).click();
  await expect(proposal.getByRole("article")).toHaveCount(27);
  await expect(proposal.getByRole("button", { name: "Load more in Proposal" })).toHaveCount(0);

  await page.getByRole("button", { name: "New deal", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "New deal" });
  await dialog.getByLabel("Amount").fill("12,5x");
  await dialog.getByRole("button", { name: "Add deal" }).click();
  await expect(dialog.getByLabel("Title")).toHaveAccessibleDescription("Title is required.");
  await expect(dialog.getByLabel("Amount")).toHaveAccessibleDescription("Amount must be a number.");
  await expect(dialog.getByLabel("Title")).toBeFocused();

  await dialog.getByLabel("Title").fill("Delta onboarding");
  await dialog.getByLabel("Amount").fill("1,234.50");
  await dialog.getByLabel("Stage").selectOption({ label: "Negotiation" });
  await dialog.getByRole("combobox", { name: "Company" }).fill("init");
  await dialog.getByRole("option", { name: "Initech" }).click();
  await dialog.getByRole("button", { name: "Add deal" }).click();
  await expect(dialog).toBeHidden();
  const negotiation = column(page, "Negotiation");
  await expect(card(negotiation, "Delta onboarding")).toContainText("€1,234.50");
  await expect(card(negotiation, "Delta onboarding")).toContainText("Initech");
  await expect(card(negotiation, "Delta onboarding")).toContainText("GH");
  await expectTotals(page, "Negotiation", 1, "€1,234.50", "€925.88");

  // The command palette's "New deal" opens the form through the URL, which then drops the flag.
  await page.goto("/deals?new=1");
  await expect(page.getByRole("dialog", { name: "New deal" })).toBeVisible();
  await expect(page).toHaveURL(/\/deals$/);
});

test("a new organization sets up a pipeline, manages its stages and switches pipelines", async ({ page }) => {
  await registerViaApi(page.request, newUser("board-empty"));
  await page.goto("/deals");
  await expect(page.getByRole("heading", { name: "Set up your first pipeline" })).toBeVisible();
  await page.getByRole("button", { name: "Create a pipeline" }).click();
  const create = page.getByRole("dialog", { name: "New pipeline" });
  await create.getByRole("button", { name: "Create pipeline" }).click();
  await expect(create.getByLabel("Name")).toHaveAccessibleDescription("Name is required.");
  await create.getByLabel("Name").fill("Partnerships");
  await create.getByRole("button", { name: "Create pipeline" }).click();
  await expect(page.getByRole("heading", { name: "No deals in Partnerships yet" })).toBeVisible();

  await page.getByRole("button", { name: "Manage stages" }).click();
  const stages = page.getByRole("dialog", { name: "Stages of Partnerships" });
  const lead = stages.getByRole("listitem", { name: "Lead" });
  await lead.getByLabel("Name of Lead").fill("Intro call");
  await lead.getByLabel("Name of Lead").press("Enter");
  await expect(stages.getByRole("listitem", { name: "Intro call" })).toBeVisible();
  await stages
    .getByRole("listitem", { name: "Negotiation" })
    .getByLabel("Probability of Negotiation (percent)")
    .fill("140");
  await stages.getByRole("listitem", { name: "Negotiation" }).getByLabel("Name of Negotiation").focus();
  await expect(stages.getByRole("listitem", { name: "Negotiation" })).toContainText(
    "Probability must be between 0 and 100.",
  );
  await stages.getByRole("button", { name: "Move Qualified up" }).click();
  await expect(stages.getByRole("listitem").first()).toHaveAccessibleName("Qualified");
  await stages.getByRole("button", { name: "Delete Proposal" }).click();
  await expect(stages.getByRole("listitem", { name: "Proposal" })).toHaveCount(0);
  await expect(page.getByText("Stage “Proposal” was deleted.")).toBeVisible();
  await stages.getByRole("form", { name: "Add a stage" }).getByLabel("New stage name").fill("Pilot");
  await stages.getByRole("form", { name: "Add a stage" }).getByLabel("New stage probability (percent)").fill("60");
  await stages.getByRole("button", { name: "Add", exact: true }).click();
  await expect(stages.getByRole("listitem", { name: "Pilot" })).toBeVisible();
  await stages.getByRole("button", { name: "Done" }).click();

  // A deal makes the columns appear, in the new order.
  await page.getByRole("button", { name: "Add a deal" }).click();
  const dialog = page.getByRole("dialog", { name: "New deal" });
  await dialog.getByLabel("Title").fill("Reseller agreement");
  await dialog.getByRole("button", { name: "Add deal" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.locator("[data-stage]")).toHaveText([
    /^Qualified/,
    /^Intro call/,
    /^Negotiation/,
    /^Won/,
    /^Lost/,
    /^Pilot/,
  ]);
  await expect(card(column(page, "Qualified"), "Reseller agreement")).toBeVisible();

  // A second pipeline: the picker appears and the choice lives in the URL.
  await page.getByRole("button", { name: "New pipeline" }).click();
  await page.getByRole("dialog", { name: "New pipeline" }).getByLabel("Name").fill("Renewals");
  await page.getByRole("dialog", { name: "New pipeline" }).getByRole("button", { name: "Create pipeline" }).click();
  await expect(page.getByRole("heading", { name: "No deals in Renewals yet" })).toBeVisible();
  const picker = page.getByLabel("Pipeline", { exact: true });
  await expect(picker).toHaveValue(/.+/);
  await expect(page).toHaveURL(/\/deals\?pipeline=/);
  await picker.selectOption({ label: "Partnerships" });
  await expect(card(page, "Reseller agreement")).toBeVisible();
  const url = page.url();
  await page.reload();
  expect(page.url()).toBe(url);
  await expect(card(page, "Reseller agreement")).toBeVisible();
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test("the board scrolls sideways through its stages and the page does not", async ({ page }) => {
    await seedBoard(page.request);
    await page.goto("/deals");
    await expect(card(column(page, "Lead"), "Alpha renewal")).toBeVisible();
    await expect(page.getByRole("button", { name: "New deal", exact: true })).toBeVisible();
    const board = page.locator("[data-board]");
    const { scrollWidth, clientWidth } = await board.evaluate((el) => ({
      scrollWidth: el.scrollWidth,
      clientWidth: el.clientWidth,
    }));
    expect(scrollWidth).toBeGreaterThan(clientWidth * 3);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await column(page, "Lost").scrollIntoViewIfNeeded();
    await expect(column(page, "Lost")).toBeInViewport();
    // Cards can still be moved without dragging: from their menu.
    await page.getByRole("button", { name: "Actions for Gamma expansion" }).click();
    await page.getByRole("menuitem", { name: "Proposal" }).click();
    await expect(card(column(page, "Proposal"), "Gamma expansion")).toBeVisible();
  });
});
