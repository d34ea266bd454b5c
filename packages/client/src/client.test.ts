import { readFileSync } from "node:fs";
import { browserClient, startTestGateway } from "@nexo/gateway/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAndCreate } from "../examples/contacts";
import { createNexoClient, isNexoClientError } from "./index";

type Gateway = Awaited<ReturnType<typeof startTestGateway>>;

describe("@nexo/client against a live gateway", () => {
  let gw: Gateway;
  let token: string;
  beforeAll(async () => {
    gw = await startTestGateway();
    const { client } = browserClient(gw.url);
    await client.auth.register.mutate({
      name: "Script Writer",
      email: `sdk-${crypto.randomUUID()}@example.com`,
      password: "correct horse battery",
      organizationName: "SDK Org",
    });
    await client.crm.contacts.create.mutate({ firstName: "Grace", lastName: "Hopper" });
    ({ token } = await client.auth.apiTokens.create.mutate({ name: "SDK test" }));
  });
  afterAll(async () => {
    await gw?.stop();
  });

  it("runs the README's script: lists contacts and creates one", async () => {
    const { listed, created } = await listAndCreate(gw.url, token);
    expect(listed.map((c) => c.firstName)).toEqual(["Grace"]);
    expect(created.firstName).toBe("Ada");
    const again = await createNexoClient({ url: gw.url, token }).crm.contacts.list.query({ search: "lovelace" });
    expect(again.items.map((c) => c.id)).toEqual([created.id]);
  });

  it("is the script the README shows", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const script = readFileSync(new URL("../examples/contacts.ts", import.meta.url), "utf8");
    expect(readme).toContain(script.trim());
  });

  it("surfaces typed errors", async () => {
    const bad = createNexoClient({ url: gw.url, token: "nexo_pat_not-a-real-token" });
    const error = await bad.crm.contacts.list.query({}).catch((e: unknown) => e);
    expect(isNexoClientError(error)).toBe(true);
    if (isNexoClientError(error)) expect(error.data?.code).toBe("UNAUTHORIZED");
  });
});
