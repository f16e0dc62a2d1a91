/**
 * What the handler hands an operation and what it gets back; one operation per endpoint.
 */
import type * as z from 'zod/mini';
import type { endpoints, EndpointName, Invoice, Permissions } from '../contract/index.js';
import type { CustomerId } from './billing-engine.js';

export interface Call {
  customer: CustomerId;
  /** What this user may do, from the host's `resolveCustomer` (identity.ts). */
  permissions: Permissions;
  /** The URL the request reached the handler at (its origin replaced by `publicOrigin` when set). */
  url: URL;
  /** Where the contract is mounted as the browser sees it: `url` without the endpoint's own path. */
  base: URL;
  params: Record<string, string>;
  query: Record<string, string>;
  headers: Headers;
  /** The reader's languages from `Accept-Language`, best first (see engine.ts `Languages`). */
  languages: readonly string[];
  /** The request body as sent (`''` when there is none). */
  body: string;
}

export interface Reply<T> {
  body: T;
  headers?: Record<string, string>;
}

export type ResponseOf<N extends EndpointName> = z.output<(typeof endpoints)[N]['response']>;

export type Operations<N extends EndpointName> = { [K in N]: (call: Call) => Promise<Reply<ResponseOf<K>>> };

/**
 * Adds the hosted test pay link to an open invoice when the handler serves one (see
 * pay-page.ts), for the call's customer and languages; reads `call.base` only then.
 */
export type PayLinker = (invoice: Invoice, call: Call) => Promise<Invoice>;
