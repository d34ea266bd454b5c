/**
 * The map of `owner` in `maps`, made empty the first time: per database handle, what a module keeps
 * (a transaction's handle has a map of its own, dropped with it).
 */
export function mapOf<K extends object, V>(maps: WeakMap<K, Map<string, V>>, owner: K): Map<string, V> {
  let map = maps.get(owner);
  if (!map) {
    map = new Map();
    maps.set(owner, map);
  }
  return map;
}

/**
 * Sets `key` as the most recent entry of `map` (a Map keeps insertion order), dropping the least
 * recent one first when the map already holds `max` others.
 */
export function setBounded<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.delete(key);
  if (map.size >= max) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
  map.set(key, value);
}
