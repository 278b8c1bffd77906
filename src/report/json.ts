/** JSON output that stays readable at thousands of layers: two-space indent, short arrays on one line. */

const isPrimitive = (v: unknown) => v === null || typeof v !== 'object';

/** Serialises like `JSON.stringify(v, null, 2)`, except arrays of primitives are written inline: `[224, 224, 3]`. */
export function toJson(value: unknown, indent = ''): string {
  if (isPrimitive(value)) return JSON.stringify(value) ?? 'null';
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every(isPrimitive)) return `[${value.map((v) => JSON.stringify(v) ?? 'null').join(', ')}]`;
    return `[\n${value.map((v) => inner + toJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined && typeof v !== 'function');
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${toJson(v, inner)}`).join(',\n')}\n${indent}}`;
}
