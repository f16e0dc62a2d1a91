import { LitElement, html, nothing, type TemplateResult } from 'lit';
import type { Interval, Module, Plan, Subscription, UsageMetric } from '../../contract/index.js';
import type { Strings } from '../../i18n/index.js';
import { baseStyles } from '../shared/base.styles.js';
import { BillingController } from '../shared/element-controller.js';
import { hostProperties, type BillingHostProperties } from '../shared/host.js';
import { ChangeController } from '../shared/change-controller.js';
import { BillingRequestPlanEvent } from '../events.js';
import { formatDate, formatMoney, formatNumber } from '../shared/format.js';
import { planChangeOptions } from '../shared/change-options.js';
import { planPickerStyles } from './plan-picker.styles.js';
import { limitFor, overLimits, recommendPlan } from './recommend.js';

interface PlanContext {
  subscription: Subscription;
  usage: UsageMetric[];
  modules: Module[];
  interval: Interval;
  recommendedId: string | null;
  strings: Strings;
}

// Declared once for every element (shared/host.ts): the class gets them by declaration merging.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface BillingPlanPicker extends BillingHostProperties {}

/**
 * The plans side by side, each limit against the current usage, the current plan marked
 * and the next step recommended (one plan up or down at a time). Choosing a plan opens the
 * preview — timing with the cost of each, proration lines, amount due now, next invoice,
 * warnings — and a confirm. A scheduled plan change is shown and can be cancelled.
 *
 * @summary Compare plans with your usage and change plan with a billing preview.
 *
 * @fires {BillingBeforeChangeEvent} billing-before-change - Before every change (cancelable): `change` holds the request and its preview.
 * @fires {BillingChangeEvent} billing-change - After a change, with the new `subscription` and the `invoice` issued, if any.
 *
 * @csspart toolbar - The recommendation and the billing period switch.
 * @csspart recommendation - The recommendation sentence.
 * @csspart intervals - The monthly / yearly switch.
 * @csspart scheduled - The banner of a scheduled plan change.
 * @csspart list - The list of plans.
 * @csspart plan - One plan card (carries `data-current`, `data-recommended`).
 * @csspart price - A plan's price.
 * @csspart limits - A plan's limits against current usage.
 * @csspart action-button - Choose and cancel buttons.
 * @csspart announcement - The confirmation of the last change.
 * @csspart dialog - The change dialog.
 * @csspart preview-lines - The dialog's table of billing lines.
 * @csspart warnings - The dialog's warnings.
 * @csspart confirm-button - The dialog's confirm button.
 * @csspart empty - The empty-state message.
 * @csspart error - The error state.
 * @csspart retry-button - The error state's retry button.
 * @csspart support-link - The error state's support link.
 *
 * @cssprop --billing-plan-picker-card-background - Background of a plan card.
 * @cssprop --billing-plan-picker-card-border - Border colour of a plan card.
 * @cssprop --billing-plan-picker-card-min-width - Narrowest a card gets before cards wrap.
 * @cssprop --billing-plan-picker-current-color - Border and badge of the current plan.
 * @cssprop --billing-plan-picker-recommended-color - Border and badge of the recommended plan.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class BillingPlanPicker extends LitElement {
  static override styles = [baseStyles, planPickerStyles];

  // Static properties rather than decorators: the same reactive properties, ~0.5 KiB less per page.
  static override properties = {
    ...hostProperties,
    interval: { state: true },
  };






  /** Billing period whose prices are shown; the subscription's until the user switches. */
  private interval: Interval | null = null;

  #billing = new BillingController(this, ['plans', 'usage', 'subscription', 'modules']);
  #change = new ChangeController(this, this.#billing);

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener(BillingRequestPlanEvent.type, this.#onRequestPlan);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener(BillingRequestPlanEvent.type, this.#onRequestPlan);
  }

  /** Another element (e.g. the module list) needs a plan: show it and open its change here. */
  #onRequestPlan = (event: BillingRequestPlanEvent) => {
    const plans = this.#billing.state('plans').data;
    const plan = plans?.filter((candidate) => event.planIds.includes(candidate.id)).sort((a, b) => a.rank - b.rank)[0];
    const strings = this.#billing.strings;
    if (event.defaultPrevented || !plan || !strings || plan.change.direction === 'current') return;
    if (!this.#billing.state('subscription').data?.permissions.changePlan) return;
    event.preventDefault();
    this.scrollIntoView({ block: 'start', behavior: 'smooth' });
    this.#change.open(planChangeOptions(plan, undefined));
  };

  protected override render(): TemplateResult {
    const billing = this.#billing;
    const gate = billing.gate(html`<ul class="plans">${[1, 2, 3].map(() => html`<li class="skeleton card"></li>`)}</ul>`);
    if (gate) return gate;
    const strings = billing.strings!;
    const plans = [...billing.state('plans').data!].sort((a, b) => a.rank - b.rank);
    const subscription = billing.state('subscription').data!;
    const usage = billing.state('usage').data!;
    const modules = billing.state('modules').data!;
    if (plans.length === 0) return html`<p class="empty" part="empty">${strings.plansEmpty}</p>`;
    const interval = this.interval ?? subscription.interval;
    const recommendation = recommendPlan(plans, subscription.plan.id, usage);
    const currentPlan = plans.find((plan) => plan.id === subscription.plan.id);
    const over = currentPlan ? overLimits(currentPlan, usage) : [];
    const context: PlanContext = { subscription, usage, modules, interval, recommendedId: recommendation.plan?.id ?? null, strings };
    const moduleName = (id: string) => modules.find((module) => module.id === id)?.name ?? id;
    return html`
      ${this.#change.announcer.render(strings, billing.locale)} ${this.#renderScheduled(plans, subscription, strings)}
      <div class="toolbar" part="toolbar">
        <p class="recommendation" part="recommendation" ?data-over=${over.length > 0}>
          ${over.length
            ? recommendation.direction === 'up'
              ? strings.recommendUpOver(strings.list(over.map((metric) => metric.name)), recommendation.plan.name)
              : strings.overLimitTopPlan(strings.list(over.map((metric) => metric.name)))
            : recommendation.direction === 'up'
              ? strings.recommendUp(recommendation.plan.name)
              : recommendation.direction === 'down'
                ? strings.recommendDown(recommendation.plan.name)
                : strings.recommendFits}
        </p>
        ${this.#renderIntervals(plans, interval, strings)}
      </div>
      <ul class="plans" part="list" aria-label=${strings.plansTitle}>
        ${plans.map((plan) => this.#renderPlan(plan, context))}
      </ul>
      ${this.#change.renderDialog({
        strings,
        locale: billing.locale,
        moduleName,
        metrics: usage,
        periodEnd: subscription.currentPeriod.end,
        creditBalance: subscription.creditBalance,
      })}
    `;
  }

  #renderIntervals(plans: Plan[], interval: Interval, strings: Strings): TemplateResult | typeof nothing {
    const offered = (['month', 'year'] as const).filter((candidate) =>
      plans.some((plan) => plan.prices.some((price) => price.interval === candidate)),
    );
    if (offered.length < 2) return nothing;
    return html`<fieldset class="intervals" part="intervals">
      <legend>${strings.billingInterval}</legend>
      ${offered.map(
        (candidate) => html`<label>
          <input
            type="radio"
            name="interval"
            .checked=${candidate === interval}
            @change=${() => (this.interval = candidate)}
          />${candidate === 'month' ? strings.monthly : strings.yearly}
        </label>`,
      )}
    </fieldset>`;
  }

  #renderScheduled(plans: Plan[], subscription: Subscription, strings: Strings): TemplateResult | typeof nothing {
    const scheduled = subscription.scheduledChanges.find((change) => change.kind === 'plan_change');
    if (!scheduled) return nothing;
    const planName = plans.find((plan) => plan.id === scheduled.toPlanId)?.name ?? scheduled.toPlanId ?? '';
    const canCancel = scheduled.cancellable && subscription.permissions.changePlan;
    const date = formatDate(this.#billing.locale, scheduled.effectiveAt);
    // The same plan at another billing period is a change of interval, not of plan.
    const intervalOnly = scheduled.toPlanId === subscription.plan.id && scheduled.toInterval !== undefined;
    return html`<div class="scheduled" part="scheduled">
      <span>${intervalOnly ? strings.intervalChangeScheduled(scheduled.toInterval!, date) : strings.planChangeScheduled(planName, date)}</span>
      ${canCancel ? this.#change.renderCancel(scheduled, strings.cancelScheduled) : nothing}
    </div>`;
  }

  #renderPlan(plan: Plan, { subscription, usage, modules, interval, recommendedId, strings }: PlanContext): TemplateResult {
    const locale = this.#billing.locale;
    const isCurrent = plan.change.direction === 'current';
    const price = plan.prices.find((candidate) => candidate.interval === interval)?.price;
    const included = plan.includedModuleIds.map((id) => modules.find((module) => module.id === id)?.name ?? id);
    // The current plan at another billing period is a change too (monthly ↔ yearly).
    const canChoose =
      subscription.permissions.changePlan &&
      price !== undefined &&
      (isCurrent ? interval !== subscription.interval : plan.change.allowedTimings.length > 0);
    const headingId = `plan-${plan.id}`;
    const scheduled = subscription.scheduledChanges.find(
      (change) => change.kind === 'plan_change' && change.toPlanId === plan.id && (change.toInterval ?? subscription.interval) === interval,
    );
    return html`<li
      class="plan"
      part="plan"
      aria-labelledby=${headingId}
      ?data-current=${isCurrent}
      ?data-recommended=${plan.id === recommendedId}
    >
      <h3 id=${headingId}>${plan.name}</h3>
      <div class="badges">
        ${isCurrent ? html`<span class="badge current">${strings.currentPlan}</span>` : nothing}
        ${plan.id === recommendedId ? html`<span class="badge recommended">${strings.recommended}</span>` : nothing}
        ${scheduled ? html`<span class="badge scheduled">${strings.scheduledOn(formatDate(locale, scheduled.effectiveAt))}</span>` : nothing}
      </div>
      ${price
        ? html`<p class="price" part="price">${(interval === 'year' ? strings.perYear : strings.perMonth)(formatMoney(locale, price))}</p>`
        : html`<p class="price none" part="price">${strings.noPriceForInterval}</p>`}
      ${plan.description ? html`<p class="description">${plan.description}</p>` : nothing}
      <ul class="limits" part="limits">
        ${usage.map((metric) => {
          const limit = limitFor(plan, metric.metricKey);
          const used = formatNumber(locale, metric.used);
          if (limit === null) return html`<li>${strings.unlimitedQuantity(metric.unit)}</li>`;
          const over = metric.used > limit;
          return html`<li ?data-over=${over}>
            ${over
              ? strings.limitAgainstUsage(used, formatNumber(locale, limit), metric.unit, metric.used)
              : html`${strings.quantity(formatNumber(locale, limit), metric.unit, limit)}
                  <span class="used">· ${strings.youHave(used)}</span>`}
          </li>`;
        })}
      </ul>
      ${included.length ? html`<p class="includes">${strings.includesModules(strings.list(included))}</p>` : nothing}
      ${canChoose
        ? html`<button
            type="button"
            part="action-button"
            class=${plan.id === recommendedId ? '' : 'secondary'}
            @click=${() =>
              this.#change.open(planChangeOptions(plan, interval === subscription.interval ? undefined : interval))}
          >
            ${strings.choosePlan(plan.name)}
          </button>`
        : nothing}
    </li>`;
  }
}
