import { isDeepStrictEqual } from 'node:util';
import { datefields, toJobId, type JobId, type JobParameters, type RemoveJobsOptions, type JobsQueryOptions, type SortDirection } from 'agenda';

/**
 * A job as it sits in the JSON file: dates as ISO strings, absent optional fields as null
 * (the same shape MongoBackend stores, so queries behave the same).
 */
export type StoredJob = { _id: string; name: string; [field: string]: unknown };
export type StoredJobs = StoredJob[];
export type JobSort = Record<string, SortDirection>;
type Predicate = (doc: StoredJob) => boolean;

const dateFieldNames = new Set<string>(datefields);

/** Converts job fields to their stored form. Undefined becomes null, as the Mongo driver stores it. */
export function toStored(fields: Record<string, unknown>): Record<string, unknown> {
  const stored = JSON.parse(JSON.stringify(fields, (_key, value: unknown) => (value === undefined ? null : value)));
  for (const key of Object.keys(stored)) {
    if (dateFieldNames.has(key) && stored[key] !== null) stored[key] = new Date(stored[key]).toISOString();
  }
  return stored;
}

/** Converts a stored job back to JobParameters: nulls dropped (except nextRunAt and data), dates revived, data copied. */
export function fromStored(doc: StoredJob): JobParameters & { _id: JobId } {
  const job: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc)) {
    if (value === null && key !== 'nextRunAt' && key !== 'data') continue;
    job[key] = dateFieldNames.has(key) && typeof value === 'string' ? new Date(value) : structuredClone(value);
  }
  job._id = toJobId(doc._id);
  return job as unknown as JobParameters & { _id: JobId };
}

/** Milliseconds of a stored or live date; null when absent. */
export function timeOf(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  return new Date(value as string | Date).getTime();
}

function valueAt(doc: StoredJob, path: string): unknown {
  let value: unknown = doc;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Mongo-style equality on dot paths: null matches a missing field, a scalar matches an array that contains it. */
export function matchesEquality(doc: StoredJob, query: Record<string, unknown>): boolean {
  return Object.entries(query).every(([path, expected]) => {
    if (path.startsWith('$') || (isPlainObject(expected) && Object.keys(expected).some((k) => k.startsWith('$')))) {
      throw new Error(`query operator in "${path}" is not supported by the lowdb jobs backend`);
    }
    const actual = valueAt(doc, path);
    const wanted = expected === undefined ? null : JSON.parse(JSON.stringify(expected));
    if (wanted === null) return actual === null || actual === undefined;
    if (Array.isArray(actual) && !Array.isArray(wanted)) return actual.some((item) => isDeepStrictEqual(item, wanted));
    return isDeepStrictEqual(actual, wanted);
  });
}

/** Flattens a partial data object into dot paths, like MongoJobRepository does, so it matches partially. */
export function dataQuery(data: unknown, prefix = 'data'): Record<string, unknown> {
  if (!isPlainObject(data)) return { [prefix]: data };
  const query: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    Object.assign(query, isPlainObject(value) ? dataQuery(value, `${prefix}.${key}`) : { [`${prefix}.${key}`]: value });
  }
  return query;
}

const byId = (ids: readonly unknown[]): Predicate => (doc) => ids.map(String).includes(doc._id);
const strings = (values: unknown): string[] => (Array.isArray(values) ? values.filter((v): v is string => typeof v === 'string') : []);

/** The filter MongoJobRepository builds for remove/disable/enable; null when no criterion is given (nothing matches). */
export function removalFilter(options: RemoveJobsOptions): Predicate | null {
  const parts: Predicate[] = [];
  if (options.id) parts.push(byId([options.id]));
  else if (options.ids && options.ids.length > 0) parts.push(byId(options.ids));
  const names = strings(options.names);
  const notNames = strings(options.notNames);
  if (options.name && typeof options.name === 'string') parts.push((doc) => doc.name === options.name);
  else if (names.length > 0) parts.push((doc) => names.includes(doc.name));
  else if (notNames.length > 0) parts.push((doc) => !notNames.includes(doc.name));
  if (options.data !== undefined) {
    const query = dataQuery(options.data);
    parts.push((doc) => matchesEquality(doc, query));
  }
  return parts.length === 0 ? null : (doc) => parts.every((part) => part(doc));
}

/** The filter of queryJobs, before its computed-state filter. */
export function queryFilter(options: JobsQueryOptions): Predicate {
  const parts: Predicate[] = [];
  const names = strings(options.names);
  if (options.search && typeof options.search === 'string') {
    const needle = options.search.toLowerCase();
    parts.push((doc) => doc.name.toLowerCase().includes(needle));
  } else if (options.name && typeof options.name === 'string') parts.push((doc) => doc.name === options.name);
  else if (names.length > 0) parts.push((doc) => names.includes(doc.name));
  if (options.id && typeof options.id === 'string') parts.push(byId([options.id]));
  else if (options.ids && options.ids.length > 0) parts.push(byId(strings(options.ids)));
  if (options.data !== undefined) {
    const query = dataQuery(options.data);
    parts.push((doc) => matchesEquality(doc, query));
  }
  if (options.includeDisabled === false) parts.push((doc) => doc.disabled !== true);
  return (doc) => parts.every((part) => part(doc));
}

function compareValues(a: unknown, b: unknown): number {
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const left = typeof a === 'string' ? a : JSON.stringify(a);
  const right = typeof b === 'string' ? b : JSON.stringify(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Sorts like Mongo: keys in order, nulls first ascending; ISO date strings sort chronologically. Stable. */
export function sortJobs(docs: StoredJobs, sort: JobSort): StoredJobs {
  const keys = Object.entries(sort);
  return [...docs].sort((a, b) => {
    for (const [key, direction] of keys) {
      const order = compareValues(a[key], b[key]);
      if (order !== 0) return direction === 'asc' ? order : -order;
    }
    return 0;
  });
}
