/**
 * Adds `value` to the list `map` holds for `key`, in place. Grouping by copying the list for each
 * member (`[...(map.get(k) ?? []), v]`) is quadratic in a group's size, which a large namespace or
 * a snapshot missing a whole kind reaches.
 */
export function appendTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
