import superjson, { type SuperJSONResult } from "superjson";

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type Annotation = ["Date"] | ["undefined"];

const MAX_DEPTH = 100;

/** Thrown inside the walk when a value needs superjson's full treatment. */
const unusual = Symbol("unusual");

/** superjson's escaping of a key inside a dotted path. */
function escapeKey(key: string): string {
  if (!key.includes(".") && !key.includes("\\")) return key;
  return key.replace(/\\/g, "\\\\").replace(/\./g, "\\.");
}

/**
 * `superjson.serialize`, faster for what procedures return: plain objects and arrays of strings,
 * finite numbers, booleans, null, undefined and dates. The output is the JSON and the annotations
 * superjson would produce (the annotations possibly listed in another order, which superjson does
 * not read), so every superjson client reads it unchanged. Anything else (undefined, bigint, NaN, maps, sets,
 * class instances, cycles, …) is handed to superjson itself.
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

  function walk(v: unknown): Json {
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
          const out: Json[] = new Array(v.length);
          for (let i = 0; i < v.length; i++) {
            if (!(i in v)) throw unusual;
            path.push(i);
            out[i] = walk(v[i]);
            path.pop();
          }
          return out;
        }
        if (v instanceof Date) {
          const time = v.getTime();
          if (Number.isNaN(time) || Object.getPrototypeOf(v) !== Date.prototype) throw unusual;
          annotations.push([pathText(), ["Date"]]);
          return v.toISOString();
        }
        const proto = Object.getPrototypeOf(v);
        if (proto !== Object.prototype && proto !== null) throw unusual;
        const out: { [key: string]: Json } = {};
        const keys = Object.keys(v);
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i] as string;
          if (key === "__proto__" || key === "constructor" || key === "prototype") throw unusual;
          path.push(key);
          out[key] = walk((v as Record<string, unknown>)[key]);
          path.pop();
        }
        // Symbol keys: superjson leaves them out, and so does this walk.
        return out;
      }
      case "undefined":
        annotations.push([pathText(), ["undefined"]]);
        return null;
      default:
        throw unusual;
    }
  }

  let json: Json;
  try {
    json = walk(value);
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
