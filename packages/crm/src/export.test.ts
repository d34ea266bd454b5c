import type { DbHandle } from "@nexo/db";
import { createTestDb } from "@nexo/db/testing";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csvCell, exportCsv, importErrorReport } from "./export.csv";
import { signedInCaller } from "./test-context";

let handle: DbHandle;
let a: Awaited<ReturnType<typeof signedInCaller>>;
let b: Awaited<ReturnType<typeof signedInCaller>>;

async function collect(chunks: AsyncIterable<string>): Promise<string[][]> {
  let text = "";
  for await (const chunk of chunks) text += chunk;
  expect(text.startsWith("\ufeff")).toBe(true);
  return parse(text, { bom: true });
}

beforeAll(async () => {
  handle = await createTestDb();
  a = await signedInCaller(handle.db, "Export Org");
  b = await signedInCaller(handle.db, "Other Org");
});
afterAll(async () => {
  await handle?.close();
});

describe("CSV export", () => {
  it("escapes quotes, delimiters and line breaks, and defuses formulas", () => {
    expect(csvCell('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
    expect(csvCell('=HYPERLINK("http://evil")')).toBe('"\'=HYPERLINK(""http://evil"")"');
    for (const risky of ["+1 555", "-2+3", "@SUM(A1)", "\tcmd"]) expect(csvCell(risky).replace(/^"/, "")).toMatch(/^'/);
    expect(csvCell(null)).toBe("");
    expect(csvCell(new Date("2025-01-02T03:04:05Z"))).toBe("2025-01-02T03:04:05.000Z");
  });

  it("pages through the list with its filters, in the caller's organization only", async () => {
    const crm = a.caller.crm;
    for (let i = 0; i < 7; i++) {
      await crm.contacts.create({
        firstName: i === 0 ? "=cmd|' /C calc'!A0" : `Person ${i}`,
        lastName: 'O"Brien, Jr.',
        lifecycleStage: i % 2 === 0 ? "customer" : "lead",
      });
    }
    await b.caller.crm.contacts.create({ firstName: "Foreign", lifecycleStage: "customer" });
    const pages: (string | null)[] = [];
    const rows = await collect(
      exportCsv("contacts", (cursor) => {
        pages.push(cursor);
        return crm.contacts.list({ lifecycleStage: "customer", cursor, limit: 2 });
      }),
    );
    expect(pages.length).toBe(2);
    expect(rows[0]?.slice(0, 3)).toEqual(["id", "First name", "Last name"]);
    const names = rows.slice(1).map((r) => r[1]);
    expect(names).toHaveLength(4);
    expect(names).toContain("'=cmd|' /C calc'!A0");
    expect(names).not.toContain("Foreign");
    expect(rows.slice(1).every((r) => r[2] === 'O"Brien, Jr.' && r[7] === "customer")).toBe(true);
  });

  it("leaves a custom field's cell empty where the record has no value, whatever the field's key", async () => {
    const page = { items: [{ id: "0192d1a4-0000-7000-8000-000000000001", firstName: "Nobuild", customFields: {} }] };
    const rows = await collect(
      exportCsv("contacts", async () => ({ ...page, nextCursor: null }) as never, {
        customFields: [{ key: "constructor", label: "Builder", type: "text" }],
      }),
    );
    expect(rows[0]?.at(-1)).toBe("Builder");
    expect(rows[1]?.at(-1)).toBe("");
    // New fields cannot take that key.
    await expect(
      a.caller.crm.customFields.create({ entityType: "contact", key: "constructor", label: "Builder", type: "text" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("exports nothing for a search that only found near matches", async () => {
    const rows = await collect(
      exportCsv("contacts", (cursor) => a.caller.crm.contacts.list({ search: "Persen", cursor })),
    );
    expect(rows).toHaveLength(1);
  });

  it("writes the error report with each failed row as uploaded", () => {
    const text = [
      ...importErrorReport(["Name", "Email"], [{ row: 3, message: "email: bad", values: ["Bo", "x"] }]),
    ].join("");
    expect(parse(text, { bom: true })).toEqual([
      ["Row", "Error", "Name", "Email"],
      ["3", "email: bad", "Bo", "x"],
    ]);
  });
});
