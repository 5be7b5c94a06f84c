export { makeCoreControl, type CoreControl } from './core.js';
export { registerControlRoutes, eventNames } from './routes.js';

/**
 * Merges the core's control with each service's into one flat object, so tests call `control.revokeUserRefreshTokens(...)`
 * or `control.removeRoleAssignment(...)` alike. Two services exporting the same name is a bug: fail at start-up.
 */
export function composeControl<T extends object[]>(...parts: T): UnionToIntersection<T[number]> {
  const out: Record<string, unknown> = {};
  for (const part of parts) {
    for (const [name, value] of Object.entries(part)) {
      if (name in out) throw new Error(`emulator control: '${name}' is defined by two services`);
      out[name] = typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(part) : value;
    }
  }
  return out as UnionToIntersection<T[number]>;
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
