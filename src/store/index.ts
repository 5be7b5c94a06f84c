/**
 * Opening a Store. See port.ts for the contract, types.ts for the records.
 *
 * - `openStore({ kind: 'lowdb', dataDir })`: the embedded default.
 * - `openStore({ kind: 'mongo', uri })`: production; when Agenda must share the database, call
 *   `openMongoStore` instead, which also returns the `Db`.
 */
import type { Store } from './port.js';
import { openLowdbStore, type LowdbStoreOptions } from './lowdb/store.js';
import { openMongoStore, type MongoStoreOptions } from './mongo/store.js';

export type StoreOptions = ({ kind: 'lowdb' } & LowdbStoreOptions) | ({ kind: 'mongo' } & MongoStoreOptions);

export async function openStore(options: StoreOptions): Promise<Store> {
  if (options.kind === 'lowdb') return openLowdbStore(options);
  return (await openMongoStore(options)).store;
}

export { openLowdbStore, DEFAULT_COMPACT_AFTER, type LowdbStoreOptions } from './lowdb/store.js';
export { openMongoStore, DEFAULT_DB_NAME, type MongoStoreOptions, type OpenedMongoStore } from './mongo/store.js';
export * from './port.js';
export * from './types.js';
