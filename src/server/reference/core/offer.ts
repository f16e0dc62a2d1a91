/**
 * The catalog as the change rules and the pricing need it: every plan and module with its
 * prices in one currency, limits, inclusions and requirements. The reference engine reads it
 * from its database (offer-reader.ts); the Storybook endpoint builds it from its fixtures.
 * Offers are shared: read them, never change them.
 */
import type { Interval } from '../../../contract/index.js';

export type Prices = Partial<Record<Interval, number>>;

export interface OfferPlan {
  id: string;
  name: string;
  rank: number;
  forSale: boolean;
  prices: Prices;
  /** Metric key → limit (`null`: unlimited). */
  limits: Map<string, number | null>;
  includedModuleIds: string[];
}

export interface OfferModule {
  id: string;
  name: string;
  forSale: boolean;
  prices: Prices;
  anyOfPlans: string[];
  allOfModules: string[];
}

export interface Offer {
  currency: string;
  plans: Map<string, OfferPlan>;
  /** In catalog order. */
  modules: Map<string, OfferModule>;
  /** The catalog in other languages, by `language|entity|id` (see texts.ts `wordingFor`). */
  texts: Map<string, { name: string | null; description: string | null }>;
}
