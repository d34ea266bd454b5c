import { expect, test } from "@playwright/test";

// A browser must not be able to choose the address the gateway sees: per-IP rate limits, session
// records and the audit log depend on it.
test("a spoofed X-Forwarded-For does not reach the gateway", async ({ request, baseURL }) => {
  const spoofed = "203.0.113.77";
  const email = `spoof-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
  const registered = await request.post("/api/trpc/auth.register", {
    headers: { origin: baseURL ?? "", "x-forwarded-for": spoofed },
    data: { json: { name: "Spoof Tester", email, password: "a long enough password", organizationName: "Spoof Org" } },
  });
  expect(registered.status()).toBe(200);

  const sessions = await request.get(`/api/trpc/auth.sessions.list?input=${encodeURIComponent('{"json":null}')}`, {
    headers: { "x-forwarded-for": spoofed },
  });
  expect(sessions.status()).toBe(200);
  const body = (await sessions.json()) as { result: { data: { json: { ip: string | null; current: boolean }[] } } };
  const current = body.result.data.json.find((s) => s.current);
  // The test browser connects over loopback: that, and nothing the client wrote, is its address.
  expect(current?.ip).toMatch(/^(::ffff:)?127\.0\.0\.1$|^::1$/);
});
