/**
 * Public: the context `<billing-provider>` gives the elements inside it (exported from the
 * package index), for hosts that write their own provider or their own element.
 */
import { createContext } from '@lit/context';
import type { StringOverrides } from '../i18n/index.js';
import type { BillingStore } from '../store/index.js';
import type { NowValue } from './shared/clock.js';

/** What `<billing-provider>` gives the elements inside it. */
export interface BillingConfig {
  store: BillingStore | null;
  strings?: StringOverrides | undefined;
  supportUrl?: string | undefined;
  /** The provider's `now`: the moment the elements inside treat as now. */
  now?: NowValue | undefined;
}

/*
 * A registered symbol (`Symbol.for`), on purpose: a page can end up with two copies of the
 * package (a CDN script beside a bundled copy, two micro-frontends), and the elements of one
 * copy must still find the provider of the other. A `Symbol()` would keep them apart.
 */
export const billingContext = createContext<BillingConfig>(Symbol.for('billing-elements/config'));
