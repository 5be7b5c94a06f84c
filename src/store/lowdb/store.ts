/**
 * The embedded Store: lowdb 7 JSON files under one data directory.
 *
 *   <dataDir>/<collection>.json                          small collections, `{ "records": [...] }`
 *   <dataDir>/imports/<collection>/<ws>/<tenant>/records.jsonl   imported data, an append-only log per tenant
 *   <dataDir>/audit.jsonl                                 audit trail, one entry per line
 *
 * Every write is an atomic rename (steno). There is no cross-process lock: one process per data dir.
 * Small collections load at open; imported ones are indexed per workspace on first use, and read from their logs.
 */
import { access, constants, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CollectionName, Store } from '../port.js';
import { OpTracker } from '../ops.js';
import type {
  Approval, BaseRecord, Checkpoint, ConsentState, ConversationRecord, DirectoryUser, ImportedRecord, Licence, Resource, SaasApp, SaasUser,
  SsoAssignment, SsoSignin, Subscription, TagEdit, Tenant, Workspace,
} from '../types.js';
import { JsonLinesAuditLog } from './auditLog.js';
import { FileCollection } from './fileCollection.js';
import { TenantLogCollection } from './tenantLogCollection.js';

export interface LowdbStoreOptions {
  dataDir: string;
  /** Superseded lines an import log may hold before it is compacted (also only once they outnumber live records). Default 5000. */
  compactAfter?: number;
  /** Called after each file write (for tests and metrics). */
  onFileWrite?: (file: string) => void;
}

export const DEFAULT_COMPACT_AFTER = 5000;

/**
 * Fields of imported records that the product's queries filter or sort on, indexed from the start (any other field
 * works too: its index is built on first use, which reads the tenant's log once). `tenantId` and `id` need none.
 */
const INDEXED_FIELDS: Partial<Record<CollectionName, readonly string[]>> = {
  directoryUsers: ['deleted', 'lastSeenAt', 'userPrincipalName', 'userId'],
  resources: ['subscriptionId', 'name'],
  ssoAssignments: ['appId'],
  ssoSignins: ['appId'],
};

export async function openLowdbStore(options: LowdbStoreOptions): Promise<Store> {
  const { dataDir, compactAfter = DEFAULT_COMPACT_AFTER, onFileWrite = () => undefined } = options;
  if (!(Number.isInteger(compactAfter) && compactAfter >= 0)) throw new Error(`compactAfter must be a non-negative integer`);
  await mkdir(dataDir, { recursive: true });
  const ops = new OpTracker();

  const file = <T extends BaseRecord>(name: CollectionName, selfKeyed = false) =>
    FileCollection.open<T>(join(dataDir, `${name}.json`), { imported: false, selfKeyed }, ops, onFileWrite);
  const imported = <T extends ImportedRecord>(name: CollectionName) =>
    new TenantLogCollection<T>({ imported: true, selfKeyed: false }, ops, { dataDir, name, compactAfter, indexed: INDEXED_FIELDS[name] ?? [], onWrite: onFileWrite });

  const [workspaces, tenants, subscriptions, tagEdits, approvals, conversations, checkpoints, consentStates, audit] = await Promise.all([
    file<Workspace>('workspaces', true), file<Tenant>('tenants'), file<Subscription>('subscriptions'),
    file<TagEdit>('tagEdits'), file<Approval>('approvals'), file<ConversationRecord>('conversations'),
    file<Checkpoint>('checkpoints'), file<ConsentState>('consentStates'),
    JsonLinesAuditLog.open(join(dataDir, 'audit.jsonl'), ops, onFileWrite),
  ]);
  const importedCollections = {
    resources: imported<Resource>('resources'),
    directoryUsers: imported<DirectoryUser>('directoryUsers'),
    licences: imported<Licence>('licences'),
    saasApps: imported<SaasApp>('saasApps'),
    ssoAssignments: imported<SsoAssignment>('ssoAssignments'),
    ssoSignins: imported<SsoSignin>('ssoSignins'),
    saasUsers: imported<SaasUser>('saasUsers'),
  };
  return {
    kind: 'lowdb',
    workspaces, tenants, subscriptions, tagEdits, approvals, conversations, checkpoints, consentStates, audit,
    ...importedCollections,
    ping: () => ops.run(() => access(dataDir, constants.W_OK)),
    close: async () => {
      await ops.close();
      for (const collection of Object.values(importedCollections)) await collection.closeFiles();
    },
  };
}
