import type { Strings } from './strings.js';

const errors: Record<string, string> = {
  unauthenticated: 'Your session has ended. Sign in again to see your subscription.',
  forbidden: 'You are not allowed to do this.',
  not_found: 'This information could not be found.',
  no_subscription: 'There is no subscription on this account yet.',
  rate_limited: 'Too many requests. Wait a moment and try again.',
  engine_unavailable: 'The billing service is unavailable right now.',
  network: 'The billing service could not be reached. Check your connection.',
  timeout: 'The billing service took too long to answer.',
  invalid_response: 'The billing service sent data that could not be read.',
  not_configured: 'No billing service is configured for this component.',
};

/** Plural of a unit noun: the units of the contract are singular English nouns. */
const plural = (unit: string, count: number) => (count === 1 || unit.endsWith('s') ? unit : `${unit}s`);

export const en: Strings = {
  loading: 'Loading…',
  retry: 'Try again',
  errorTitle: 'Something went wrong',
  errorMessage: (code) => errors[code] ?? 'An unexpected error occurred.',
  contactSupport: 'Contact support',
  diagnosticSummary: 'Details for support',
  copyDiagnostic: 'Copy details',
  copied: 'Copied',

  usageTitle: 'Usage',
  usageEmpty: 'No usage to show for this subscription.',
  usageUnknownMetric: (metric) => `There is no usage figure named “${metric}”.`,
  usageOfLimit: (used, limit, unit, count) => `${used} / ${limit} ${plural(unit, count)}`,
  usageUnlimited: (used, unit, count) => `${used} ${plural(unit, count)}, unlimited`,
  usageValueText: (used, limit, unit, percent) => `${used} of ${limit} ${plural(unit, 2)} used (${percent})`,
  usageStatusOk: 'Within limit',
  usageStatusWarning: 'Close to the limit',
  usageStatusReached: 'Limit reached',
  usageStatusOver: 'Over the limit',
  usageStatusUnlimited: 'Unlimited',
  usageResetsOn: (date) => `Resets on ${date}`,
  usageNoReset: 'Does not reset',
  usageForecastReach: (date) => `At this pace, the limit will be reached around ${date}.`,
  usageForecastSafe: 'At this pace, you will stay within the limit.',
};
