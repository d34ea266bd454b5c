import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { serialize, transformer } from "./transformer";

/**
 * The JSON and annotations superjson writes (annotations compared as a set: superjson applies each
 * to its own path, in any order), in a form that can be compared as text.
 */
function canonical(result: { json: unknown; meta?: { values?: unknown; referentialEqualities?: unknown } }) {
  const values = result.meta?.values;
  const sorted =
    values && !Array.isArray(values) ? Object.entries(values).sort(([a], [b]) => (a < b ? -1 : 1)) : values;
  return JSON.stringify([result.json, sorted ?? null, result.meta?.referentialEqualities ?? null]);
}

/** What superjson writes, and the same value back through superjson. */
function expectSameAsSuperjson(value: unknown) {
  const ours = serialize(value);
  expect(canonical(ours)).toBe(canonical(superjson.serialize(value)));
  expect(superjson.deserialize(ours)).toEqual(superjson.deserialize(superjson.serialize(value)));
}

/** A small deterministic generator, so a failure names the seed that found it. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

function generate(next: () => number, depth: number): unknown {
  const pick = Math.floor(next() * (depth > 3 ? 9 : 12));
  const keys = ["id", "name", "a.b", "with\\slash", "", "0", "createdAt", "x.y.z"];
  switch (pick) {
    case 0:
      return null;
    case 1:
      return undefined;
    case 2:
      return next() < 0.5;
    case 3:
      return Math.round(next() * 1e6) / 100 - 5_000;
    case 4:
      return `text ${Math.floor(next() * 100)} é ✓ "quoted"`;
    case 5:
      return new Date(Math.floor(next() * 2e12));
    case 6:
      return [NaN, -0, Number.POSITIVE_INFINITY, 10n][Math.floor(next() * 4)];
    case 7:
      return "";
    case 8:
      return 0;
    case 9:
    case 10:
      return Array.from({ length: Math.floor(next() * 4) }, () => generate(next, depth + 1));
    default: {
      const out: Record<string, unknown> = {};
      const n = Math.floor(next() * 5);
      for (let i = 0; i < n; i++) out[keys[Math.floor(next() * keys.length)]!] = generate(next, depth + 1);
      return out;
    }
  }
}

describe("the response serializer", () => {
  it("writes what superjson writes for the shapes procedures return", () => {
    // As from the database: every date its own object.
    const at = () => new Date("2026-11-26T05:00:00.000Z");
    const when = at();
    const page = {
      items: [
        { id: "a", createdAt: at(), deletedAt: null, tags: [{ id: "t", name: "VIP", color: null }], customFields: {} },
        { id: "b", createdAt: at(), lastActivityAt: new Date(0), customFields: { "score.v2": 4.5, vip: true } },
      ],
      nextCursor: null,
      count: { value: 2, exact: true },
      fuzzy: false,
    };
    for (const value of [
      page,
      undefined,
      null,
      when,
      "text",
      0,
      [],
      {},
      [undefined, at()],
      { nested: { deeper: [[at()]] } },
      { "": at() },
      { "a.b": { "c\\d": at() } },
      Object.assign(Object.create(null), { bare: at() }),
    ]) {
      expectSameAsSuperjson(value);
    }
  });

  it("hands unusual values to superjson itself", () => {
    class Point {
      x = 1;
    }
    for (const value of [
      { n: NaN },
      { n: -0 },
      { big: 10n },
      { when: new Date(Number.NaN) },
      { set: new Set([1]) },
      { map: new Map([["a", 1]]) },
      { re: /x/g },
      { p: new Point() },
      // biome-ignore lint/suspicious/noSparseArray: a hole is what this checks
      [1, , 3],
      { error: new Error("boom") },
    ]) {
      expectSameAsSuperjson(value);
    }
  });

  it("writes an object reached twice as two equal copies, and leaves cycles to superjson", () => {
    const shared = { when: new Date(0) };
    const twice = serialize({ a: shared, b: shared });
    expect(JSON.parse(JSON.stringify(twice.json))).toEqual({
      a: { when: "1970-01-01T00:00:00.000Z" },
      b: { when: "1970-01-01T00:00:00.000Z" },
    });
    const back = superjson.deserialize<{ a: typeof shared; b: typeof shared }>(JSON.parse(JSON.stringify(twice)));
    expect(back).toEqual({ a: shared, b: shared });
    expect(back.a).not.toBe(back.b);

    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic.self = cyclic;
    expect(serialize(cyclic)).toEqual(superjson.serialize(cyclic));
  });

  it("hands back the answer itself, dates and all, and a copy only when it holds an undefined", () => {
    const page = { items: [{ id: "a", createdAt: new Date(0), tags: [{ name: "x" }] }], nextCursor: null };
    const plain = serialize(page);
    expect(plain.json).toBe(page);
    expect(plain.meta?.values).toEqual({ "items.0.createdAt": ["Date"] });
    expect(page.items[0]?.createdAt).toBeInstanceOf(Date);

    const withUndefined = { when: new Date(0), missing: undefined };
    const copied = serialize(withUndefined);
    expect(copied.json).not.toBe(withUndefined);
    expect(copied.json).toEqual({ when: "1970-01-01T00:00:00.000Z", missing: null });
    expect(copied.meta?.values).toEqual({ when: ["Date"], missing: ["undefined"] });
    expect(withUndefined.when).toBeInstanceOf(Date);

    // A toJSON that JSON.stringify would call and superjson does not: copied too.
    const hidden = Object.defineProperty({ n: 1 }, "toJSON", { value: () => "hidden" });
    const local = Object.assign(new Date(0), { toJSON: () => "local" });
    for (const value of [{ hidden }, { at: local }, local]) {
      expect(serialize(value).json).not.toBe(value);
      expectSameAsSuperjson(value);
    }
    // An array's own toJSON is one superjson leaves to JSON.stringify as well.
    expectSameAsSuperjson({ list: Object.assign([1, 2], { toJSON: () => "list" }) });
  });

  it("agrees with superjson on thousands of generated values", () => {
    for (let seed = 1; seed <= 3_000; seed++) {
      const value = generate(random(seed), 0);
      expect(canonical(serialize(value)), `seed ${seed}`).toBe(canonical(superjson.serialize(value)));
    }
  });

  it("reads inputs and writes outputs as superjson", () => {
    const value = { when: new Date(0), list: [1, "two"] };
    expect(transformer.input.deserialize(superjson.serialize(value))).toEqual(value);
    expect(transformer.output.deserialize(transformer.output.serialize(value))).toEqual(value);
  });
});
