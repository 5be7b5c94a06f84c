/**
 * The production Store on MongoDB (official driver v6). One MongoDB collection per Store collection, named
 * as in port.ts, with its indexes created at open. The returned `db` is for the Agenda MongoBackend, so
 * jobs share the database: stop Agenda before closing the store, because close() closes the client.
 */
import { MongoClient, type Db, type IndexDescription } from 'mongodb';
import { COLLECTION_NAMES, IMPORTED_COLLECTIONS, type CollectionName, type Store } from '../port.js';
import { OpTracker } from '../ops.js';
import type {
  Approval, BaseRecord, Checkpoint, ConsentState, ConversationRecord, DirectoryUser, Licence, Resource, SaasApp, SaasUser, SsoAssignment,
  SsoSignin, Subscription, TagEdit, Tenant, Workspace,
} from '../types.js';
import { MongoAuditLog } from './auditLog.js';
import { MongoCollection } from './collection.js';

export interface MongoStoreOptions {
  uri: string;
  /** Default: the database named in the URI, else `tenant-steward`. */
  dbName?: string;
}

export interface OpenedMongoStore {
  store: Store;
  /** The same database, for `new MongoBackend({ mongo: db })`. */
  db: Db;
}

export const DEFAULT_DB_NAME = 'tenant-steward';

function indexesFor(name: CollectionName): IndexDescription[] {
  const indexes: IndexDescription[] = [{ key: { workspaceId: 1, id: 1 }, name: 'workspace_id', unique: true }];
  if (IMPORTED_COLLECTIONS.has(name) || ['subscriptions', 'tagEdits', 'approvals', 'checkpoints'].includes(name)) {
    indexes.push({ key: { workspaceId: 1, tenantId: 1 }, name: 'workspace_tenant' });
  }
  if (name === 'tagEdits' || name === 'approvals') indexes.push({ key: { workspaceId: 1, status: 1 }, name: 'workspace_status' });
  if (name === 'conversations') indexes.push({ key: { workspaceId: 1, topics: 1 }, name: 'workspace_topics' });
  return indexes;
}

/** The database named in a mongodb:// or mongodb+srv:// URI, if any. */
export function dbNameFromUri(uri: string): string | undefined {
  const m = /^mongodb(?:\+srv)?:\/\/[^/]*\/([^?]+)/.exec(uri);
  return m ? decodeURIComponent(m[1]) : undefined;
}

export async function openMongoStore(options: MongoStoreOptions): Promise<OpenedMongoStore> {
  // ignoreUndefined: an undefined field is dropped, as in JSON (lowdb), instead of being stored as null.
  const client = new MongoClient(options.uri, { ignoreUndefined: true });
  await client.connect();
  try {
    const db = client.db(options.dbName ?? dbNameFromUri(options.uri) ?? DEFAULT_DB_NAME);
    await Promise.all(COLLECTION_NAMES.map((name) => db.collection(name).createIndexes(indexesFor(name))));
    await db.collection('audit').createIndexes([{ key: { workspaceId: 1, at: 1 }, name: 'workspace_at' }]);
    return { store: mongoStoreOn(db, () => client.close()), db };
  } catch (err) {
    await client.close();
    throw err;
  }
}

/**
 * The Store on an open database (indexes are openMongoStore's job). `closeClient` runs once pending operations are
 * done. Exported so that tests can hand it a recording `Db` and see the exact queries the adapter sends.
 */
export function mongoStoreOn(db: Db, closeClient: () => Promise<void>): Store {
  const ops = new OpTracker();
  const make = <T extends BaseRecord>(name: CollectionName) => new MongoCollection<T>(
    db.collection(name), { imported: IMPORTED_COLLECTIONS.has(name), selfKeyed: name === 'workspaces' }, ops,
  );
  const tenants = make<Tenant>('tenants');
  return {
    kind: 'mongo',
    workspaces: make<Workspace>('workspaces'),
    tenants,
    subscriptions: make<Subscription>('subscriptions'),
    tagEdits: make<TagEdit>('tagEdits'),
    approvals: make<Approval>('approvals'),
    conversations: make<ConversationRecord>('conversations'),
    checkpoints: make<Checkpoint>('checkpoints'),
    consentStates: make<ConsentState>('consentStates'),
    resources: make<Resource>('resources'),
    directoryUsers: make<DirectoryUser>('directoryUsers'),
    licences: make<Licence>('licences'),
    saasApps: make<SaasApp>('saasApps'),
    ssoAssignments: make<SsoAssignment>('ssoAssignments'),
    ssoSignins: make<SsoSignin>('ssoSignins'),
    saasUsers: make<SaasUser>('saasUsers'),
    audit: new MongoAuditLog(db.collection('audit'), ops),
    ping: () => ops.run(async () => { await db.command({ ping: 1 }); }),
    close: async () => {
      await ops.close();
      await closeClient();
    },
  };
}
