/**
 * Input checks shared by both adapters. They are the guarantee that no caller-supplied value reaches a
 * MongoDB query as an operator, and that lowdb and MongoDB see the same, well-formed input.
 */
import { UnsafeQueryError, type FindOptions, type Primitive } from './port.js';
import type { BaseRecord } from './types.js';

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FORBIDDEN_FIELDS = new Set(['__proto__', 'constructor', 'prototype', '_id']);

export type FilterEntry = [field: string, value: Primitive];

/** Throws unless `value` is a non-empty string (an object here could carry `{$ne: null}`). */
export function checkKeyPart(what: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new UnsafeQueryError(`${what} must be a non-empty string, got ${describe(value)}`);
  }
  return value;
}

function checkFieldName(where: string, field: string): void {
  if (!FIELD_NAME.test(field) || FORBIDDEN_FIELDS.has(field)) {
    throw new UnsafeQueryError(`${where}: field name ${JSON.stringify(field)} is not allowed`);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Validates an equality filter; drops keys whose value is undefined. */
export function checkWhere(where: unknown): FilterEntry[] {
  if (where === undefined) return [];
  if (!isPlainObject(where) || Object.getOwnPropertySymbols(where).length > 0) {
    throw new UnsafeQueryError(`filter must be a plain object, got ${describe(where)}`);
  }
  const entries: FilterEntry[] = [];
  for (const field of Object.keys(where)) {
    checkFieldName('filter', field);
    const value = where[field];
    if (value === undefined) continue;
    const ok = value === null || typeof value === 'string' || typeof value === 'boolean'
      || (typeof value === 'number' && Number.isFinite(value));
    if (!ok) {
      throw new UnsafeQueryError(`filter value of ${JSON.stringify(field)} must be a string, finite number, `
        + `boolean or null (equality only), got ${describe(value)}`);
    }
    entries.push([field, value as Primitive]);
  }
  return entries;
}

/**
 * Checks the workspace id and filter of a workspace-scoped query. Returns the filter entries other than
 * workspaceId, or null when the filter names another workspace (which then matches nothing in both adapters).
 */
export function scopedFilter(workspaceId: unknown, where: unknown): FilterEntry[] | null {
  const ws = checkKeyPart('workspaceId', workspaceId);
  const entries = checkWhere(where);
  const own = entries.find(([field]) => field === 'workspaceId');
  if (own && own[1] !== ws) return null;
  return entries.filter(([field]) => field !== 'workspaceId');
}

export interface CheckedFindOptions {
  limit?: number;
  offset: number;
  sortField: string;
  sortDir: 1 | -1;
}

export function checkFindOptions<T>(opts: FindOptions<T> | undefined): CheckedFindOptions {
  const { limit, offset = 0, sort } = opts ?? {};
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
    throw new UnsafeQueryError(`limit must be a non-negative integer, got ${describe(limit)}`);
  }
  if (!(Number.isInteger(offset) && offset >= 0)) {
    throw new UnsafeQueryError(`offset must be a non-negative integer, got ${describe(offset)}`);
  }
  if (sort === undefined) return { limit, offset, sortField: 'id', sortDir: 1 };
  if (!isPlainObject(sort)) throw new UnsafeQueryError(`sort must be {field, dir}, got ${describe(sort)}`);
  const field: unknown = sort.field;
  if (typeof field !== 'string') throw new UnsafeQueryError(`sort field must be a string, got ${describe(field)}`);
  checkFieldName('sort', field);
  if (sort.dir !== 1 && sort.dir !== -1) throw new UnsafeQueryError(`sort dir must be 1 or -1, got ${describe(sort.dir)}`);
  return { limit, offset, sortField: field, sortDir: sort.dir };
}

export interface RecordRules {
  /** Imported records must carry tenantId. */
  imported: boolean;
  /** Workspaces: workspaceId must equal id. */
  selfKeyed: boolean;
}

/** Checks a record before it is stored. */
export function checkRecord<T extends BaseRecord>(record: T, rules: RecordRules): T {
  if (!isPlainObject(record)) throw new UnsafeQueryError(`record must be a plain object, got ${describe(record)}`);
  for (const field of Object.keys(record)) checkFieldName('record', field);
  checkKeyPart('record.id', record.id);
  checkKeyPart('record.workspaceId', record.workspaceId);
  if (rules.imported) checkKeyPart('record.tenantId', (record as { tenantId?: unknown }).tenantId);
  if (rules.selfKeyed && record.workspaceId !== record.id) {
    throw new UnsafeQueryError(`a workspace record must have workspaceId === id (got ${record.workspaceId} / ${record.id})`);
  }
  return record;
}

/** Key of a record within a store: workspaceId and id, joined by a character neither can hold in practice. */
export function recordKey(record: BaseRecord): string {
  return `${record.workspaceId}\u0000${record.id}`;
}

/** Keeps the last record of each (workspaceId, id), in first-seen order. */
export function dedupeLastWins<T extends BaseRecord>(records: T[]): T[] {
  const byKey = new Map<string, T>();
  for (const r of records) byKey.set(recordKey(r), r);
  return [...byKey.values()];
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value).slice(0, 40)}`;
}
