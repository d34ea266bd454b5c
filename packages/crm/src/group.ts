/** The values of `items` grouped under their key, in the order the items come (keys in first-seen order). */
export function groupBy<T, V>(items: Iterable<T>, key: (item: T) => string, value: (item: T) => V): Map<string, V[]> {
  const groups = new Map<string, V[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(value(item));
    else groups.set(k, [value(item)]);
  }
  return groups;
}
