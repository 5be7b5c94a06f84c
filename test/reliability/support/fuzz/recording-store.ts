import { COLLECTION_NAMES, type Store } from '../../../../src/store/index.js';

/** One call a handler made on the Store port: which collection, which method, and a copy of its arguments. */
export interface StoreCall {
  collection: string;
  method: string;
  args: unknown[];
}

/**
 * The bot's real store (lowdb) behind a wrapper that, while `recording` is on, keeps a copy of every call's
 * arguments, exactly as the handlers passed them. Nothing is changed on the way: the wrapper forwards each call.
 */
export function recordingStore(inner: Store): { store: Store; calls: StoreCall[]; recording: { on: boolean } } {
  const calls: StoreCall[] = [];
  const recording = { on: false };
  const wrap = <T extends object>(name: string, target: T): T =>
    new Proxy(target, {
      get(obj, prop, receiver) {
        const value = Reflect.get(obj, prop, receiver) as unknown;
        if (typeof value !== 'function' || typeof prop !== 'string') return value;
        return (...args: unknown[]) => {
          if (recording.on) calls.push({ collection: name, method: prop, args: args.map(copy) });
          return (value as (...a: unknown[]) => unknown).apply(obj, args);
        };
      },
    });
  const store = { ...inner } as Record<string, unknown>;
  for (const name of [...COLLECTION_NAMES, 'audit'] as const) store[name] = wrap(name, inner[name]);
  store.ping = () => inner.ping();
  store.close = () => inner.close();
  return { store: store as unknown as Store, calls, recording };
}

/** A structured copy (own `__proto__` or `$`-keys survive it, as they would reach a driver); functions become their name. */
function copy(value: unknown): unknown {
  try {
    return structuredClone(value);
  } catch {
    return String(value);
  }
}
