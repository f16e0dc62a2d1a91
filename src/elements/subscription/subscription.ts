import { LitElement, html, nothing, type TemplateResult } from 'lit';
import type { Module, Plan, ScheduledChange, Subscription } from '../../contract/index.js';
import type { Strings } from '../../i18n/index.js';
import { baseStyles } from '../shared/base.styles.js';
import { BillingController } from '../shared/element-controller.js';
import { hostProperties, type BillingHostProperties } from '../shared/host.js';
import { ChangeController } from '../shared/change-controller.js';
import { formatDate, formatMoney } from '../shared/format.js';
import { renderLineRow } from '../shared/invoice-lines.js';
import { safeHttpUrl } from '../shared/links.js';
import { configurationPrice, openInvoice } from './summary.js';
import { subscriptionStyles } from './subscription.styles.js';

// Declared once for every element (shared/host.ts): the class gets them by declaration merging.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface BillingSubscription extends BillingHostProperties {}

/**
 * The subscription at a glance, for a host's header or settings page: plan and billing
 * period, status, price per period, the next invoice with its date, amount and breakdown,
 * the credit balance, the changes scheduled for the end of the period (with cancel), and a
 * banner when a payment failed (`past_due`, with the open invoice to pay) or during a trial.
 *
 * @summary The subscription at a glance: plan, status, price, next invoice, scheduled changes.
 *
 * @fires {BillingBeforeChangeEvent} billing-before-change - Before cancelling a scheduled change (cancelable).
 * @fires {BillingChangeEvent} billing-change - After a scheduled change was cancelled.
 *
 * @csspart banner - The past-due or trial banner (carries `data-status`).
 * @csspart pay-link - The banner's link to pay the open invoice.
 * @csspart header - Plan, billing period and status.
 * @csspart status - The status badge (carries `data-status`).
 * @csspart facts - The list of price, next invoice and credit balance.
 * @csspart breakdown - The next invoice's lines.
 * @csspart scheduled - The list of scheduled changes.
 * @csspart action-button - Cancel buttons of scheduled changes.
 * @csspart announcement - The confirmation of the last action.
 * @csspart error - The error state.
 * @csspart retry-button - The error state's retry button.
 * @csspart support-link - The error state's support link.
 *
 * @cssprop --billing-subscription-background - Background of the card.
 * @cssprop --billing-subscription-border - Border colour of the card.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class BillingSubscription extends LitElement {
  static override styles = [baseStyles, subscriptionStyles];

  // Static properties rather than decorators: the same reactive properties, less code per page.
  static override properties = {
    ...hostProperties,
  };






  // The latest invoices only for the open one a failed payment left: not needed to render.
  #billing = new BillingController(this, ['subscription', 'plans', 'modules'], { optional: ['invoices'] });
  #change = new ChangeController(this, this.#billing);

  protected override render(): TemplateResult {
    const billing = this.#billing;
    const gate = billing.gate(
      html`<div class="card">
        <span class="skeleton title"></span>
        ${[1, 2, 3].map(() => html`<span class="skeleton line"></span>`)}
      </div>`,
    );
    if (gate) return gate;
    const strings = billing.strings!;
    const subscription = billing.state('subscription').data!;
    const plans = billing.state('plans').data!;
    const modules = billing.state('modules').data!;
    const locale = billing.locale;
    const price = configurationPrice(subscription, plans, modules);
    const perInterval = subscription.interval === 'year' ? strings.perYear : strings.perMonth;
    const next = subscription.nextInvoice;
    return html`
      ${this.#renderBanner(subscription, strings)}
      ${this.#change.announcer.render(strings, locale)}
      <div class="card">
        <div class="header" part="header">
          <p class="plan">
            ${strings.planAndInterval(
              subscription.plan.name,
              subscription.interval === 'year' ? strings.billedYearly : strings.billedMonthly,
            )}
          </p>
          <span class="status" part="status" data-status=${subscription.status}>${strings.subscriptionStatus(subscription.status)}</span>
        </div>
        <dl part="facts">
          ${price
            ? html`<div>
                <dt>${strings.summaryPrice}</dt>
                <dd class="amount">${perInterval(formatMoney(locale, price))}</dd>
              </div>`
            : nothing}
          ${next
            ? html`<div>
                <dt>${strings.summaryNextInvoice(formatDate(locale, next.date))}</dt>
                <dd class="amount">${formatMoney(locale, next.total)}</dd>
              </div>`
            : html`<div><dt>${strings.summaryNoNextInvoice}</dt></div>`}
          ${subscription.creditBalance.amountMinor > 0
            ? html`<div>
                <dt>${strings.summaryCreditBalance}</dt>
                <dd class="amount">${formatMoney(locale, subscription.creditBalance)}</dd>
              </div>`
            : nothing}
        </dl>
        ${next && next.lines.length
          ? html`<details part="breakdown">
              <summary>${strings.summaryBreakdown}</summary>
              <table>
                <caption class="visually-hidden">${strings.summaryBreakdown}</caption>
                <tbody>
                  ${next.lines.map((line) => renderLineRow(line, locale))}
                </tbody>
              </table>
            </details>`
          : nothing}
        ${this.#renderScheduled(subscription, plans, modules, strings)}
      </div>
    `;
  }

  /** Why the customer should act now: a failed payment (with the invoice to pay), or a trial ending. */
  #renderBanner(subscription: Subscription, strings: Strings): TemplateResult | typeof nothing {
    const locale = this.#billing.locale;
    if (subscription.status === 'past_due') {
      const invoice = openInvoice(this.#billing.state('invoices').data?.data);
      const payUrl = invoice ? safeHttpUrl(invoice.hostedUrl, this.baseURI) : null;
      return html`<div class="banner" part="banner" role="alert" data-status="past_due">
        <p>${strings.pastDueBanner(invoice ? formatMoney(locale, invoice.amountDue) : null)}</p>
        ${payUrl ? html`<a part="pay-link" href=${payUrl} rel="noopener">${strings.payOpenInvoice}</a>` : nothing}
      </div>`;
    }
    if (subscription.status === 'trialing' && subscription.trialEnd) {
      return html`<div class="banner" part="banner" data-status="trialing">
        <p>${strings.trialBanner(formatDate(locale, subscription.trialEnd))}</p>
      </div>`;
    }
    return nothing;
  }

  #renderScheduled(subscription: Subscription, plans: Plan[], modules: Module[], strings: Strings): TemplateResult | typeof nothing {
    if (subscription.scheduledChanges.length === 0) return nothing;
    return html`<div class="scheduled">
      <h3>${strings.summaryScheduled}</h3>
      <ul part="scheduled">
        ${subscription.scheduledChanges.map(
          (change) => {
            const description = this.#describe(change, subscription, plans, modules, strings);
            return html`<li>
            <span>${description}</span>
            ${change.cancellable && this.#mayCancel(change, subscription) ? this.#change.renderCancel(change, strings.cancelScheduled, description) : nothing}
          </li>`;
          },
        )}
      </ul>
    </div>`;
  }

  #describe(change: ScheduledChange, subscription: Subscription, plans: Plan[], modules: Module[], strings: Strings): string {
    const date = formatDate(this.#billing.locale, change.effectiveAt);
    if (change.kind === 'plan_change') {
      // The same plan at another billing period is a change of interval, not of plan.
      if (change.toPlanId === subscription.plan.id && change.toInterval) return strings.intervalChangeScheduled(change.toInterval, date);
      const name = plans.find((plan) => plan.id === change.toPlanId)?.name ?? change.toPlanId ?? '';
      return strings.planChangeScheduled(name, date);
    }
    const name = modules.find((module) => module.id === change.moduleId)?.name ?? change.moduleId ?? '';
    return change.kind === 'module_deactivation' ? strings.moduleDeactivationOn(name, date) : strings.moduleActivationScheduled(date);
  }

  #mayCancel(change: ScheduledChange, subscription: Subscription): boolean {
    return change.kind === 'plan_change' ? subscription.permissions.changePlan : subscription.permissions.manageModules;
  }
}
