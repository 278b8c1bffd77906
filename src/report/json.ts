/** JSON output that stays readable at thousands of layers: two-space indent, short arrays on one line. */

const isPrimitive = (v: unknown) => v === null || typeof v !== 'object';

/** A primitive as JSON; a bigint as its digits, a JSON number of any size (readers that parse into doubles round it, as they would any number). */
const primitive = (v: unknown): string => (typeof v === 'bigint' ? v.toString() : JSON.stringify(v) ?? 'null');

/**
 * Serialises like `JSON.stringify(v, null, 2)`, except arrays of primitives are written inline
 * (`[224, 224, 3]`) and bigints as exact integers: counts past 2^53 keep every digit.
 */
export function toJson(value: unknown, indent = ''): string {
  if (isPrimitive(value)) return primitive(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every(isPrimitive)) return `[${value.map(primitive).join(', ')}]`;
    return `[\n${value.map((v) => inner + toJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined && typeof v !== 'function');
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${toJson(v, inner)}`).join(',\n')}\n${indent}}`;
}
