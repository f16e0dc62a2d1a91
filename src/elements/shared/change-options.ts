import type { Interval, Module, Plan } from '../../contract/index.js';
import type { ChangeOptions } from './change-controller.js';
import { formatDate } from './format.js';

/**
 * Activating or deactivating `module`, as the change dialog takes it. Deactivating defaults to
 * the end of the period: it is paid for already. `nameOf` gives the module's name as the
 * endpoint writes it now, so a confirmation follows a change of language.
 */
export function moduleChangeOptions(
  module: Module,
  action: 'activate' | 'deactivate',
  nameOf: (id: string) => string = () => module.name,
): ChangeOptions {
  const timings = module.allowedTimings[action];
  return {
    change: { type: 'module', moduleId: module.id, action },
    timings: [...timings],
    defaultTiming: action === 'deactivate' && timings.includes('period_end') ? 'period_end' : (timings[0] ?? 'now'),
    title: (strings) => (action === 'activate' ? strings.moduleActivateTitle : strings.moduleDeactivateTitle)(nameOf(module.id)),
    confirmation: (timing, effectiveAt) => (strings, locale) => {
      const date = formatDate(locale, effectiveAt);
      const name = nameOf(module.id);
      if (action === 'activate') return timing === 'now' ? strings.moduleActivated(name) : strings.moduleActivationPlanned(name, date);
      return timing === 'now' ? strings.moduleDeactivated(name) : strings.moduleDeactivationPlanned(name, date);
    },
  };
}

/**
 * The change to `plan` (optionally at another billing interval), as the change dialog takes
 * it. A switch of billing period on the current plan is worded as such ("billed yearly from
 * …"), never as a change of plan.
 */
export function planChangeOptions(plan: Plan, interval: Interval | undefined): ChangeOptions {
  // The current plan lists no timings (it is no change), but switching its billing period is
  // one, which the endpoint accepts now or at the period end; the end wastes nothing paid.
  const isCurrent = plan.change.direction === 'current';
  const timings = isCurrent ? (['now', 'period_end'] as const) : plan.change.allowedTimings;
  const intervalOnly = isCurrent && interval !== undefined;
  return {
    change: { type: 'plan', planId: plan.id, ...(interval ? { interval } : {}) },
    timings: [...timings],
    defaultTiming: isCurrent ? 'period_end' : (plan.change.defaultTiming ?? timings[0] ?? 'now'),
    title: (strings) => (intervalOnly ? strings.changeIntervalTitle(interval) : strings.changePlanTitle(plan.name)),
    confirmation: (timing, effectiveAt) => (strings, locale) => {
      const date = formatDate(locale, effectiveAt);
      if (intervalOnly) return timing === 'now' ? strings.intervalChanged(interval) : strings.intervalChangePlanned(interval, date);
      return timing === 'now' ? strings.planChanged(plan.name) : strings.planChangePlanned(plan.name, date);
    },
  };
}
