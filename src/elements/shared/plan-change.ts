import type { Interval, Plan } from '../../contract/index.js';
import type { Strings } from '../../i18n/index.js';
import type { ChangeOptions } from './change-controller.js';
import { formatDate } from './format.js';

/** The change to `plan` (optionally at another billing interval), as the change dialog takes it. */
export function planChangeOptions(plan: Plan, interval: Interval | undefined, strings: Strings, locale: string): ChangeOptions {
  const timings = plan.change.allowedTimings.length ? plan.change.allowedTimings : (['now'] as const);
  return {
    change: { type: 'plan', planId: plan.id, ...(interval ? { interval } : {}) },
    timings: [...timings],
    defaultTiming: plan.change.defaultTiming ?? timings[0]!,
    title: strings.changePlanTitle(plan.name),
    confirmation: (timing, effectiveAt) =>
      timing === 'now' ? strings.planChanged(plan.name) : strings.planChangePlanned(plan.name, formatDate(locale, effectiveAt)),
  };
}
