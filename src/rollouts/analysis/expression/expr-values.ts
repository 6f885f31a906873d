// The value model of conditions: JSON values (null, boolean, number, string, array, object).
// Numbers are doubles, like the float64 values Argo's providers hand to expr-lang.

export type Value = null | boolean | number | string | Value[] | { [key: string]: Value };

/** The type name used in error messages. */
export function typeName(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'boolean': return 'bool';
    case 'number': return 'number';
    case 'string': return 'string';
    case 'object': return 'map';
    default: return typeof value;
  }
}

export function isMap(value: unknown): value is { [key: string]: Value } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own-property lookup only, so `result.constructor` is nil rather than a JS internal. */
export function mapGet(map: { [key: string]: Value }, key: string): Value {
  return Object.hasOwn(map, key) ? (map[key] ?? null) : null;
}

/** Structural equality (expr-lang's `==`): numbers by value, arrays and maps element-wise. */
export function deepEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i] ?? null));
  }
  if (isMap(a) && isMap(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && deepEqual(mapGet(a, k), mapGet(b, k)));
  }
  return false;
}

/**
 * Turn any JS value a provider produced into a condition Value: undefined becomes null, and
 * anything that is not JSON-shaped (functions, class instances) is rejected by becoming null.
 */
export function toValue(input: unknown): Value {
  if (input === null || input === undefined) return null;
  if (typeof input === 'boolean' || typeof input === 'number' || typeof input === 'string') return input;
  if (typeof input === 'bigint') return Number(input);
  if (Array.isArray(input)) return input.map(toValue);
  if (typeof input === 'object' && (Object.getPrototypeOf(input) === Object.prototype || Object.getPrototypeOf(input) === null)) {
    const out: { [key: string]: Value } = {};
    for (const [k, v] of Object.entries(input)) out[k] = toValue(v);
    return out;
  }
  return null;
}

/** A short rendering of a value for messages: JSON, with NaN/Inf spelled the Go way. */
export function formatValue(value: Value): string {
  if (typeof value === 'number') return formatNumber(value);
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? formatNumber(v) : v)) ?? 'null';
}

/** Go's strconv.FormatFloat(f, 'f', -1, 64) for the common cases: NaN, +Inf, -Inf, plain digits. */
export function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  // JS switches to exponent notation at these magnitudes; Go's 'f' format never does.
  if (Math.abs(n) >= 1e21) return BigInt(n).toString();
  if (n !== 0 && Math.abs(n) < 1e-6) return n.toFixed(20).replace(/\.?0+$/, '');
  return String(n);
}
