/**
 * Every visible string of every element. Numbers, money and dates arrive already
 * formatted for the locale; counts arrive as numbers so a message can pick its plural.
 */
export interface Strings {
  // Shared states
  loading: string;
  retry: string;
  errorTitle: string;
  /** The sentence for an error, by `BillingError.code`. */
  errorMessage: (code: string) => string;
  contactSupport: string;
  diagnosticSummary: string;
  copyDiagnostic: string;
  copied: string;

  // Usage meter
  usageTitle: string;
  usageEmpty: string;
  usageUnknownMetric: (metric: string) => string;
  /** "870 / 1,000 documents"; `count` is the limit, for the plural of `unit`. */
  usageOfLimit: (used: string, limit: string, unit: string, count: number) => string;
  usageUnlimited: (used: string, unit: string, count: number) => string;
  /** Text read by assistive technology for the meter. */
  usageValueText: (used: string, limit: string, unit: string, percent: string) => string;
  usageStatusOk: string;
  usageStatusWarning: string;
  usageStatusReached: string;
  usageStatusOver: string;
  usageStatusUnlimited: string;
  usageResetsOn: (date: string) => string;
  usageNoReset: string;
  usageForecastReach: (date: string) => string;
  usageForecastSafe: string;
}

/** What a host may pass to replace some strings. */
export type StringOverrides = Partial<Strings>;
