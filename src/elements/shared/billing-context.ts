import { createContext } from '@lit/context';
import type { StringOverrides } from '../../i18n/index.js';
import type { BillingStore } from '../../store/index.js';
import type { NowValue } from './clock.js';

/** What `<billing-provider>` gives the elements inside it. */
export interface BillingConfig {
  store: BillingStore | null;
  strings?: StringOverrides | undefined;
  supportUrl?: string | undefined;
  /** The provider's `now`: the moment the elements inside treat as now. */
  now?: NowValue | undefined;
}

export const billingContext = createContext<BillingConfig>(Symbol.for('billing-elements/config'));
