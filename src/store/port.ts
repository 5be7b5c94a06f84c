/**
 * The Store port: persistence for Tenant Steward, with two adapters that behave the same
 * (lowdb JSON files for the embedded default, MongoDB in production). The contract suite in
 * test/store/contract.ts pins that behaviour down; if you change a rule here, change it there.
 *
 * Rules every adapter follows:
 * - **Workspace scope.** Every read or write of workspace data takes a `workspaceId`; a record is keyed by
 *   (workspaceId, id) and is never visible through another workspace. The only cross-workspace reads are
 *   the documented `listAll()` methods, meant for scheduled jobs.
 * - **Equality-only filters.** A {@link Where} is a plain object of field → primitive value
 *   (string, number, boolean or null). Adapters throw {@link UnsafeQueryError} for anything else: a value
 *   that is an object or array, a key that starts with `$`, contains `.`, or is `__proto__`, `constructor`
 *   or `prototype`. So no user input can smuggle a MongoDB operator (`{$ne: null}`) into a query.
 *   `workspaceId` and `id` arguments must be non-empty strings for the same reason.
 * - **Filter semantics** (MongoDB's, reproduced by lowdb): `null` matches a missing or null field; a
 *   primitive matches an array field that contains it (`{ topics: 'm365.import' }`); a key whose value is
 *   `undefined` is ignored.
 * - **Order.** `find` sorts by `sort.field` (then by `id`), or by `id` when no sort is given, so
 *   `offset`/`limit` paging is stable. Missing/null values sort first in ascending order.
 * - **Replace semantics.** `upsert` stores the record as given: fields absent from it are gone afterwards.
 *   Fields whose value is `undefined` are not stored (as in JSON).
 * - **Copies.** Records returned are the caller's to mutate; records passed in are copied.
 * - **Errors.** A failed write rejects the promise; nothing is swallowed. (lowdb applies a change in memory
 *   before writing the file; if that write fails the change stays in memory and goes out with the file's
 *   next write. MongoDB applies nothing on failure, except what an unordered bulkWrite already wrote.)
 * - **Concurrency.** lowdb is one process per data dir, writes serialised per file. MongoDB relies on the
 *   unique (workspaceId, id) index; the server retries a racing upsert on that key (4.2+).
 */
import type {
  Approval, AuditEntry, BaseRecord, Checkpoint, ConsentState, ConversationRecord, DirectoryUser, Licence, NewAuditEntry,
  Resource, SaasApp, SaasUser, SsoAssignment, SsoSignin, Subscription, TagEdit, Tenant, Workspace,
} from './types.js';

export type Primitive = string | number | boolean | null;

type FilterValue<V> = [NonNullable<V>] extends [Primitive]
  ? NonNullable<V> | null
  : [NonNullable<V>] extends [readonly (infer E)[]]
    ? [E] extends [Primitive] ? E : never
    : never;

/** Equality filter: every given field must equal its value (or, for an array field, contain it). */
export type Where<T> = { [K in keyof T]?: FilterValue<T[K]> };

/** Fields that can be sorted on: those holding a primitive. */
export type SortField<T> = { [K in keyof T]-?: [NonNullable<T[K]>] extends [Primitive] ? K : never }[keyof T] & string;

export interface FindOptions<T> {
  /** Positive integer; 0 returns nothing. Omitted: no limit. */
  limit?: number;
  /** Records to skip, after sorting. */
  offset?: number;
  sort?: { field: SortField<T>; dir: 1 | -1 };
}

export interface BulkUpsertResult {
  inserted: number;
  updated: number;
}

/** A workspace-scoped collection of records keyed by (workspaceId, id). */
export interface Collection<T extends BaseRecord> {
  get(workspaceId: string, id: string): Promise<T | undefined>;
  find(workspaceId: string, where?: Where<T>, opts?: FindOptions<T>): Promise<T[]>;
  count(workspaceId: string, where?: Where<T>): Promise<number>;
  /** Insert or replace the whole record. */
  upsert(record: T): Promise<void>;
  /**
   * Insert or replace many records in one write (one MongoDB bulkWrite; in lowdb one file write per touched
   * file), for imports. If an (workspaceId, id) repeats in the batch, the last one wins and counts once.
   * `updated` counts existing records that were replaced, changed or not.
   */
  bulkUpsert(records: T[]): Promise<BulkUpsertResult>;
  /** Insert only. Resolves false, and changes nothing, when the key already exists (single-use tokens). */
  insert(record: T): Promise<boolean>;
  /**
   * Replace the record only if the stored one matches `expected` (compare-and-set, e.g. `{status: 'pending'}`
   * so that two admins answering one approval cannot both win). Resolves false when absent or not matching.
   */
  replaceIf(record: T, expected: Where<T>): Promise<boolean>;
  /** Resolves whether a record was deleted. */
  delete(workspaceId: string, id: string): Promise<boolean>;
  /** Deletes every matching record of the workspace; `{}` deletes them all. Resolves how many. */
  deleteWhere(workspaceId: string, where: Where<T>): Promise<number>;
}

/** `workspaces` is keyed by its own id: a Workspace record must have `workspaceId === id`. */
export type WorkspaceCollection = Collection<Workspace>;

export interface TenantCollection extends Collection<Tenant> {
  /**
   * Every connected tenant of every workspace. Cross-workspace on purpose: the daily jobs (m365.import,
   * saas.discover, tags.sync, partner.refresh, health.check) are scheduled per tenant and must enumerate
   * them all; each job then works inside `tenant.workspaceId` only. Never call it from a Teams turn.
   */
  listAll(): Promise<Tenant[]>;
}

/**
 * Conversations for proactive messages. Find subscribers of a topic with `find(workspaceId, { topics: t })`.
 * There is deliberately no cross-workspace listing: jobs start from a tenant, which names its workspace.
 */
export type ConversationCollection = Collection<ConversationRecord>;

export interface AuditListOptions {
  where?: Where<AuditEntry>;
  /** Default false: oldest first, in append order. */
  newestFirst?: boolean;
  limit?: number;
  offset?: number;
}

/** Append-only audit trail: no update, no delete. */
export interface AuditLog {
  /** Stamps `id` and `at`, appends, and resolves the stored entry. */
  append(entry: NewAuditEntry): Promise<AuditEntry>;
  list(workspaceId: string, opts?: AuditListOptions): Promise<AuditEntry[]>;
}

export interface Store {
  readonly kind: 'lowdb' | 'mongo';
  readonly workspaces: WorkspaceCollection;
  readonly tenants: TenantCollection;
  readonly subscriptions: Collection<Subscription>;
  readonly tagEdits: Collection<TagEdit>;
  readonly approvals: Collection<Approval>;
  readonly conversations: ConversationCollection;
  readonly checkpoints: Collection<Checkpoint>;
  /** OAuth states of sign-ins in progress (single-use: consume with `replaceIf(…, { status: 'pending' })`). */
  readonly consentStates: Collection<ConsentState>;
  /** Imported (keyed by tenant; lowdb keeps a JSON-lines log per tenant and, in memory, only an index of it). */
  readonly resources: Collection<Resource>;
  readonly directoryUsers: Collection<DirectoryUser>;
  readonly licences: Collection<Licence>;
  readonly saasApps: Collection<SaasApp>;
  readonly ssoAssignments: Collection<SsoAssignment>;
  readonly ssoSignins: Collection<SsoSignin>;
  /** Seed 003's HR roster of SaaS-connected tenants (filtered by domain and guests; see SaasUser). */
  readonly saasUsers: Collection<SaasUser>;
  readonly audit: AuditLog;
  /** Resolves when the store can serve (MongoDB answers; the data dir is writable). For /readyz. */
  ping(): Promise<void>;
  /** Waits for pending writes, then releases files or connections. Any later call rejects. */
  close(): Promise<void>;
}

/** Names of the record collections, as used for files (lowdb) and collections (MongoDB). */
export const COLLECTION_NAMES = [
  'workspaces', 'tenants', 'subscriptions', 'tagEdits', 'approvals', 'conversations', 'checkpoints', 'consentStates',
  'resources', 'directoryUsers', 'licences', 'saasApps', 'ssoAssignments', 'ssoSignins', 'saasUsers',
] as const;
export type CollectionName = (typeof COLLECTION_NAMES)[number];

/** Collections filled by imports: records carry `tenantId`. */
export const IMPORTED_COLLECTIONS: ReadonlySet<CollectionName> = new Set<CollectionName>([
  'resources', 'directoryUsers', 'licences', 'saasApps', 'ssoAssignments', 'ssoSignins', 'saasUsers',
]);

/** A filter, sort, id or record the Store refuses; its message says which part and why. */
export class UnsafeQueryError extends Error {
  override name = 'UnsafeQueryError';
}

/** A call on a Store after close(). */
export class StoreClosedError extends Error {
  override name = 'StoreClosedError';
}
