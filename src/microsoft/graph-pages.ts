import type { Client } from '@microsoft/microsoft-graph-client';
import { withRetries, type RetryOptions } from './retry.js';

/** One page of a Graph collection: its items and where to go next (or the delta link that ends a round). */
export interface GraphPage<T> {
  value: T[];
  nextLink?: string;
  deltaLink?: string;
}

/** Reads one page by URL (a path such as `/users/delta?$select=…`, or a nextLink/deltaLink as Graph gave it). */
export type GraphPageReader = <T>(url: string) => Promise<GraphPage<T>>;

export interface GraphPageReaderOptions extends RetryOptions {
  /** `Prefer: odata.maxpagesize` (Graph caps users/delta at 999). */
  maxPageSize?: number;
}

/**
 * Page reads through the official Graph client, with {@link withRetries} around each page: one page is the unit
 * of retry, so a reset or a cut body costs one page, never the run.
 */
export function graphPageReader(client: Client, opts: GraphPageReaderOptions = {}): GraphPageReader {
  return async <T>(url: string) =>
    withRetries(async () => {
      let request = client.api(url);
      if (opts.maxPageSize) request = request.header('Prefer', `odata.maxpagesize=${opts.maxPageSize}`);
      const body = (await request.get()) as { value?: T[]; '@odata.nextLink'?: string; '@odata.deltaLink'?: string } | undefined;
      if (!body || !Array.isArray(body.value)) throw Object.assign(new SyntaxError('Graph answered without a value array'), { name: 'SyntaxError' });
      return { value: body.value, nextLink: body['@odata.nextLink'], deltaLink: body['@odata.deltaLink'] };
    }, opts);
}
