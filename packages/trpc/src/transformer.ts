import superjson, { type SuperJSONResult } from "superjson";

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type Annotation = ["Date"] | ["undefined"];

const MAX_DEPTH = 100;

/** Thrown inside the walk when a value needs superjson's full treatment. */
const unusual = Symbol("unusual");
/** Thrown inside the walk when the answer must be copied to be written as superjson writes it. */
const needsCopy = Symbol("needs a copy");
/** Dates' own `toJSON`, as it was before anything could patch it. */
const DATE_TO_JSON = Date.prototype.toJSON;

/** superjson's escaping of a key inside a dotted path. */
function escapeKey(key: string): string {
  if (!key.includes(".") && !key.includes("\\")) return key;
  return key.replace(/\\/g, "\\\\").replace(/\./g, "\\.");
}

/**
 * `superjson.serialize`, faster for what procedures return: plain objects and arrays of strings,
 * finite numbers, booleans, null, undefined and dates. The `json` it returns, once through
 * JSON.stringify (as tRPC sends it), is the text superjson would write, with the same annotations
 * (possibly listed in another order, which superjson does not read), so every superjson client
 * reads it unchanged. That `json` is the value itself, dates and all, unless it holds an undefined
 * (then a copy with null in its place) or a `toJSON` JSON.stringify would call and superjson does
 * not. Anything else (bigint, NaN, maps, sets, class instances, cycles, …) is handed to superjson
 * itself. Answers are plain data that nothing changes once returned: a getter is read once here
 * and again by JSON.stringify, and tRPC's streamed batches stringify a little after this runs.
 *
 * One difference: an object reached twice is written twice, as JSON.stringify would, where
 * superjson records that both places hold the same object so the client rebuilds one. Tracking
 * every object for that is what made superjson cost four times this walk (the gateway spent about
 * a tenth of its CPU time on list pages there), and no caller relies on identity across the network.
 */
export function serialize(value: unknown): SuperJSONResult {
  /** Paths (superjson's dotted form) of the values the client must revive, with their kind. */
  const annotations: [string, Annotation][] = [];
  /** Keys and indexes down to the value being walked; escaped and joined only when annotated. */
  const path: (string | number)[] = [];
  const pathText = () => path.map((key) => (typeof key === "number" ? String(key) : escapeKey(key))).join(".");

  /**
   * With `copy`, the value as JSON text would hold it: dates as ISO strings, undefined as null.
   * Without, the value itself, checked and annotated; throws `needsCopy` where only a copy is
   * written as superjson writes it. Throws `unusual` for what superjson must handle itself.
   */
  function walk(v: unknown, copy: boolean): Json {
    switch (typeof v) {
      case "string":
      case "boolean":
        return v;
      case "number":
        if (Number.isFinite(v) && !Object.is(v, -0)) return v;
        throw unusual;
      case "object": {
        if (v === null) return null;
        // Deeper than any response: most likely a cycle, which superjson cuts.
        if (path.length > MAX_DEPTH) throw unusual;
        if (Array.isArray(v)) {
          const out: Json[] | undefined = copy ? new Array(v.length) : undefined;
          for (let i = 0; i < v.length; i++) {
            if (!(i in v)) throw unusual;
            path.push(i);
            const item = walk(v[i], copy);
            if (out) out[i] = item;
            path.pop();
          }
          return out ?? (v as Json[]);
        }
        if (v instanceof Date) {
          const time = v.getTime();
          if (Number.isNaN(time) || Object.getPrototypeOf(v) !== Date.prototype) throw unusual;
          // Uncopied, the date stays: JSON.stringify writes it as this same string, through the
          // standard `toJSON` (one of its own, or a patched one, needs the copy).
          if (!copy && v.toJSON !== DATE_TO_JSON) throw needsCopy;
          annotations.push([pathText(), ["Date"]]);
          return copy ? v.toISOString() : (v as unknown as Json);
        }
        const proto = Object.getPrototypeOf(v);
        if (proto !== Object.prototype && proto !== null) throw unusual;
        // JSON.stringify would call an object's own `toJSON` (superjson does not): copy.
        if (!copy && (v as { toJSON?: unknown }).toJSON !== undefined) throw needsCopy;
        const out: { [key: string]: Json } | undefined = copy ? {} : undefined;
        const keys = Object.keys(v);
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i] as string;
          if (key === "__proto__" || key === "constructor" || key === "prototype") throw unusual;
          path.push(key);
          const item = walk((v as Record<string, unknown>)[key], copy);
          if (out) out[key] = item;
          path.pop();
        }
        // Symbol keys: superjson leaves them out, and so does this walk (and JSON.stringify).
        return out ?? (v as Json);
      }
      case "undefined":
        // JSON.stringify would leave the key out where superjson writes null: only a copy will do.
        if (!copy) throw needsCopy;
        annotations.push([pathText(), ["undefined"]]);
        return null;
      default:
        throw unusual;
    }
  }

  let json: Json;
  try {
    try {
      // Most answers hold nothing JSON.stringify writes differently from superjson: they are
      // checked and annotated in place, not copied (a copy of every list page was garbage to collect).
      json = walk(value, false);
    } catch (error) {
      if (error !== needsCopy) throw error;
      annotations.length = 0;
      path.length = 0;
      json = walk(value, true);
    }
  } catch (error) {
    if (error === unusual) return superjson.serialize(value);
    throw error;
  }
  if (annotations.length === 0) return { json };
  // A date or undefined on its own: superjson annotates the root with a bare list.
  if (value === undefined || value instanceof Date) return { json, meta: { values: annotations[0]![1], v: 1 } };
  const values: Record<string, Annotation> = {};
  for (const [at, annotation] of annotations) values[at] = annotation;
  return { json, meta: { values, v: 1 } };
}

/**
 * The transformer of every procedure: superjson on the wire both ways, with responses written by
 * the faster `serialize` above (clients deserialize them with superjson as before).
 */
export const transformer = {
  input: superjson,
  output: { serialize, deserialize: superjson.deserialize.bind(superjson) },
};
