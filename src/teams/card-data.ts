/**
 * A page number from card data: a non-negative integer, or a string of digits (templating turns numbers into text).
 * Anything else (an object, an operator, a huge string) is undefined, for the caller's default; `Number(x)` would
 * throw on an object whose `valueOf` is not a function.
 */
export function pageFromCardData(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,6}$/.test(value.trim()) ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}
