import type { ReactiveElement } from 'lit';
import type { BillingClient } from '../../client/index.js';
import type { StringOverrides } from '../../i18n/index.js';
import type { NowValue } from './clock.js';

/**
 * The properties every billing element has, so it works with or without a provider. Each
 * element spreads `hostProperties` into its `static properties` and declares them through
 * this interface (`interface BillingX extends BillingHostProperties {}`): written once here.
 */
export interface BillingHostProperties {
  /** Endpoint URL for use without a provider, e.g. `/api/billing`; elements with the same URL share one store. */
  baseUrl?: string | undefined;
  /** A client to use instead of a provider or `base-url` (custom headers, credentials, fetch). */
  client?: BillingClient | undefined;
  /** Replacements for some of the visible strings (over the provider's). */
  strings?: StringOverrides | undefined;
  /** Link offered in the error state (https, mailto or a path); overrides the provider's. */
  supportUrl?: string | undefined;
  /**
   * The moment the element treats as now (ISO 8601 attribute; a `Date` or milliseconds as a
   * property): expiry warnings, unused modules, file names, diagnostics. Default: the
   * provider's, else the server's `asOf` when usage is loaded, else the browser clock. Pin it
   * in tests, stories and screenshots.
   */
  now?: NowValue | undefined;
}

/** An element with the host properties. */
export type BillingHost = ReactiveElement & BillingHostProperties;

/** The reactive declarations of `BillingHostProperties`, for an element's `static properties`. */
export const hostProperties = {
  baseUrl: { attribute: 'base-url' },
  client: { attribute: false },
  strings: { attribute: false },
  supportUrl: { attribute: 'support-url' },
  now: {},
} as const;
