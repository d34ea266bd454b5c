import { expect, type Locator } from "@playwright/test";

/**
 * Resolves once React has hydrated `element`, so a click on it reaches its handler. A page rendered
 * by the server shows its controls before its script has run; a click in between is lost, which on a
 * loaded machine can take seconds. React keeps an element's props on the node itself once hydrated.
 */
export async function whenHydrated(element: Locator): Promise<void> {
  await expect
    .poll(() => element.evaluate((node) => Object.keys(node).some((key) => key.startsWith("__reactProps$"))), {
      timeout: 30_000,
    })
    .toBe(true);
}
