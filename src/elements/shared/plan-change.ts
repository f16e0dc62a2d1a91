import type { Interval, Plan } from '../../contract/index.js';
import type { Strings } from '../../i18n/index.js';
import type { ChangeOptions } from './change-controller.js';
import { formatDate } from './format.js';

/** The change to `plan` (optionally at another billing interval), as the change dialog takes it. */
export function planChangeOptions(plan: Plan, interval: Interval | undefined, strings: Strings, locale: string): ChangeOptions {
  // The current plan lists no timings (it is no change), but switching its billing period is
  // one, which the endpoint accepts now or at the period end; the end wastes nothing paid.
  const isCurrent = plan.change.direction === 'current';
  const timings = isCurrent ? (['now', 'period_end'] as const) : plan.change.allowedTimings;
  return {
    change: { type: 'plan', planId: plan.id, ...(interval ? { interval } : {}) },
    timings: [...timings],
    defaultTiming: isCurrent ? 'period_end' : (plan.change.defaultTiming ?? timings[0] ?? 'now'),
    title: isCurrent && interval ? strings.changeIntervalTitle(interval) : strings.changePlanTitle(plan.name),
    confirmation: (timing, effectiveAt) =>
      timing === 'now' ? strings.planChanged(plan.name) : strings.planChangePlanned(plan.name, formatDate(locale, effectiveAt)),
  };
}
