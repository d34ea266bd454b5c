import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { getTRPCErrorShape } from "@trpc/server";
import { describe, expect, it } from "vitest";
import type { Context } from "./context";
import { browserProcedure, createCallerFactory, permissionProcedure, router, t } from "./init";
import { allRoles, can, permissions, permissionTable } from "./permissions";

const readme = readFileSync(fileURLToPath(new URL("../../../README.md", import.meta.url)), "utf8");

const testRouter = router({
  write: permissionProcedure("contacts.write").query(({ ctx }) => ctx.role),
  sessions: browserProcedure.query(() => "ok"),
});
const call = createCallerFactory(testRouter);
function as(role: NonNullable<Context["session"]>["role"], via: "cookie" | "token") {
  return call({
    db: {} as Context["db"],
    log: { debug() {}, info() {}, warn() {}, error() {} },
    requestId: "r",
    headers: new Headers(),
    ip: "127.0.0.1",
    resHeaders: new Headers(),
    session: { id: "s", userId: "u", orgId: "o", role, via },
  } as Context);
}

describe("the permission matrix", () => {
  it("is the table in the README", () => {
    const start = readme.indexOf("<!-- permissions:start -->");
    const end = readme.indexOf("<!-- permissions:end -->");
    expect(start).toBeGreaterThan(-1);
    // Cell by cell, so re-aligning the Markdown columns does not matter.
    const cells = (table: string) =>
      table
        .split("\n")
        .filter((line) => line.startsWith("|"))
        .map((line) => line.split("|").map((cell) => cell.trim().replace(/^:?-+:?$/, "-")));
    expect(cells(readme.slice(start, end))).toEqual(cells(permissionTable()));
  });

  it("gives the owner everything and the viewer only reading", () => {
    for (const permission of Object.keys(permissions) as (keyof typeof permissions)[]) {
      expect(can("owner", permission)).toBe(true);
    }
    expect(can("viewer", "contacts.read")).toBe(true);
    expect(can("viewer", "contacts.write")).toBe(false);
    expect(can("member", "members.manage")).toBe(false);
    expect(can("admin", "organization.transfer")).toBe(false);
  });

  it("is enforced by permissionProcedure with FORBIDDEN and the role in the message", async () => {
    for (const role of allRoles) {
      const result = as(role, "cookie").write();
      if (can(role, "contacts.write")) {
        expect(await result).toBe(role);
      } else {
        const error = await result.catch((e: unknown) => e);
        const shape = getTRPCErrorShape({
          config: t._config,
          error: error as never,
          type: "query",
          path: "write",
          input: undefined,
          ctx: undefined,
        });
        expect(shape.data.code).toBe("FORBIDDEN");
        expect(shape.message).toBe(`Your role (${role}) does not allow this.`);
      }
    }
  });

  it("keeps API tokens out of browser-only procedures", async () => {
    expect(await as("member", "cookie").sessions()).toBe("ok");
    await expect(as("owner", "token").sessions()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("exposes the needed permission as procedure metadata", () => {
    expect(testRouter._def.procedures.write._def.meta).toEqual({ permission: "contacts.write" });
  });
});
