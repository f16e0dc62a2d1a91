import { LitElement, html, nothing, type TemplateResult } from 'lit';
import type { Module, Plan, Subscription } from '../../contract/index.js';
import type { Strings } from '../../i18n/index.js';
import { baseStyles } from '../shared/base.styles.js';
import { BillingController } from '../shared/element-controller.js';
import { hostProperties, type BillingHostProperties } from '../shared/host.js';
import { ChangeController } from '../shared/change-controller.js';
import { BillingRequestPlanEvent } from '../events.js';
import { formatDate, formatMoney } from '../shared/format.js';
import { moduleChangeOptions, planChangeOptions } from '../shared/change-options.js';
import { moduleListStyles } from './module-list.styles.js';

const DAY_MS = 86_400_000;

/**
 * A paid, active module last used more than 30 days ago (when the endpoint reports use).
 * A module never used is not flagged: it may have been activated a minute ago, and the
 * contract has no activation date to tell.
 */
export function isUnusedPaidModule(module: Module, now: number): boolean {
  if (!module.price || module.price.amountMinor <= 0) return false;
  if (module.state !== 'active' && module.state !== 'deactivation_scheduled') return false;
  if (module.lastUsedAt === undefined) return module.usageCount30d === 0;
  return module.lastUsedAt !== null && now - Date.parse(module.lastUsedAt) > 30 * DAY_MS;
}

// Declared once for every element (shared/host.ts): the class gets them by declaration merging.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface BillingModuleList extends BillingHostProperties {}

/**
 * Every module of the subscription with its price and state; activates and deactivates them
 * after showing the billing impact, says before any click why a module cannot be activated
 * and offers the way to unlock it, shows scheduled changes with a cancel action, and flags
 * paid modules unused for 30 days.
 *
 * @summary Optional modules: state, price, requirements, activation with a billing preview.
 *
 * @fires {BillingBeforeChangeEvent} billing-before-change - Before every change (cancelable): `change` holds the request and its preview.
 * @fires {BillingChangeEvent} billing-change - After a change, with the new `subscription` and the `invoice` issued, if any.
 * @fires {BillingRequestPlanEvent} billing-request-plan - When a module needs another plan (cancelable). If nobody calls `preventDefault()`, the element opens that plan change itself.
 *
 * @csspart list - The list of modules.
 * @csspart module - One module (carries `data-state`).
 * @csspart badge - The state badge of a module.
 * @csspart action-button - Activate, deactivate and cancel buttons.
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
 * @cssprop --billing-module-list-gap - Space between modules.
 * @cssprop --billing-module-list-badge-background - Background of state badges.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class BillingModuleList extends LitElement {
  static override styles = [baseStyles, moduleListStyles];

  // Static properties rather than decorators: the same reactive properties, ~0.5 KiB less per page.
  static override properties = {
    ...hostProperties,
  };






  #billing = new BillingController(this, ['modules', 'subscription', 'plans']);
  #change = new ChangeController(this, this.#billing);

  protected override render(): TemplateResult {
    const billing = this.#billing;
    const gate = billing.gate(html`${[1, 2, 3].map(() => html`<span class="skeleton row"></span>`)}`);
    if (gate) return gate;
    const strings = billing.strings!;
    const modules = billing.state('modules').data!;
    const subscription = billing.state('subscription').data!;
    const plans = billing.state('plans').data!;
    const moduleName = (id: string) => modules.find((module) => module.id === id)?.name ?? id;
    return html`
      ${this.#change.announcer.render(strings, billing.locale)}
      ${modules.length
        ? html`<ul part="list" aria-label=${strings.modulesTitle}>
            ${modules.map((module) => this.#renderModule(module, { subscription, plans, moduleName, strings }))}
          </ul>`
        : html`<p class="empty" part="empty">${strings.modulesEmpty}</p>`}
      ${this.#change.renderDialog({
        strings,
        locale: billing.locale,
        moduleName,
        metrics: [],
        periodEnd: subscription.currentPeriod.end,
        creditBalance: subscription.creditBalance,
      })}
    `;
  }

  #renderModule(
    module: Module,
    context: { subscription: Subscription; plans: Plan[]; moduleName: (id: string) => string; strings: Strings },
  ): TemplateResult {
    const { subscription, strings } = context;
    const locale = this.#billing.locale;
    const scheduled = subscription.scheduledChanges.find((change) => change.moduleId === module.id);
    // A module can also come or go with a scheduled plan change: all of them apply at the period end.
    const when = formatDate(locale, scheduled?.effectiveAt ?? subscription.currentPeriod.end);
    const badge = {
      active: strings.moduleStateActive,
      included: strings.moduleStateIncluded,
      inactive: strings.moduleStateInactive,
      activation_scheduled: strings.moduleActivationScheduled(when),
      deactivation_scheduled: strings.moduleDeactivationScheduled(when),
    }[module.state];
    // An included module's badge already says so; a price line would only repeat it.
    const price = module.price
      ? (module.interval === 'year' ? strings.perYear : strings.perMonth)(formatMoney(locale, module.price))
      : '';
    const unused = isUnusedPaidModule(module, this.#billing.now());
    return html`<li class="module" part="module" data-state=${module.state} id=${`module-${module.id}`}>
      <div>
        <div class="title">
          <span class="name">${module.name}</span>
          <span class="badge" part="badge">${badge}</span>
        </div>
        ${module.description ? html`<p class="description">${module.description}</p>` : nothing}
        ${price ? html`<p class="price">${price}</p>` : nothing}
        ${unused
          ? html`<p class="note unused">${strings.moduleUnused(module.lastUsedAt ? formatDate(locale, module.lastUsedAt) : null)}</p>`
          : module.state === 'inactive'
            ? nothing
            : module.usageCount30d !== undefined
              ? html`<p class="note">${strings.moduleUsage30d(module.usageCount30d)}</p>`
              : module.lastUsedAt === null
                ? html`<p class="note">${strings.moduleUnused(null)}</p>`
                : nothing}
        ${module.state === 'inactive' && !module.available ? this.#renderBlocked(module, context) : nothing}
      </div>
      <div class="actions">${this.#renderActions(module, context)}</div>
    </li>`;
  }

  /** Why the module cannot be activated, with the way to unlock it — shown before any click. */
  #renderBlocked(
    module: Module,
    { subscription, plans, moduleName, strings }: { subscription: Subscription; plans: Plan[]; moduleName: (id: string) => string; strings: Strings },
  ): TemplateResult {
    const canChangePlan = subscription.permissions.changePlan;
    const canManage = subscription.permissions.manageModules;
    const requiredPlans = plans
      .filter((plan) => module.requires.anyOfPlans?.includes(plan.id))
      .sort((a, b) => a.rank - b.rank);
    const missingModules = (module.requires.allOfModules ?? []).filter((id) => !subscription.activeModuleIds.includes(id));
    return html`${module.unavailableReasons.map((reason) => {
      if (reason === 'plan_required' && requiredPlans.length) {
        const target = requiredPlans[0]!;
        return html`<p class="blocked">
          ${strings.moduleRequiresPlan(strings.list(requiredPlans.map((plan) => plan.name)))}
          ${canChangePlan
            ? html`<button type="button" class="secondary" @click=${() => this.#requestPlan(target, module, requiredPlans)}>
                ${strings.choosePlan(target.name)}
              </button>`
            : nothing}
        </p>`;
      }
      if (reason === 'module_required' && missingModules.length) {
        return html`<p class="blocked">
          ${strings.moduleRequiresModules(strings.list(missingModules.map(moduleName)))}
          ${canManage
            ? html`<button type="button" class="secondary" @click=${() => this.#showModule(missingModules[0]!)}>
                ${strings.moduleShowRequired}<span class="visually-hidden">: ${moduleName(missingModules[0]!)}</span>
              </button>`
            : nothing}
        </p>`;
      }
      return html`<p class="blocked">${strings.moduleNotForSale}</p>`;
    })}`;
  }

  #renderActions(module: Module, { subscription, strings }: { subscription: Subscription; strings: Strings }): TemplateResult | typeof nothing {
    if (!subscription.permissions.manageModules) return nothing;
    const scheduled = subscription.scheduledChanges.find((change) => change.moduleId === module.id);
    const name = html`<span class="visually-hidden"> ${module.name}</span>`;
    if (scheduled) {
      return scheduled.cancellable ? this.#change.renderCancel(scheduled, strings.cancelScheduled, module.name) : nothing;
    }
    if (module.state === 'active' && module.allowedTimings.deactivate.length) {
      return html`<button type="button" class="secondary" part="action-button" @click=${() => this.#open(module, 'deactivate')}>
        ${strings.moduleDeactivate}${name}
      </button>`;
    }
    if (module.state === 'inactive' && module.available && module.allowedTimings.activate.length) {
      return html`<button type="button" part="action-button" @click=${() => this.#open(module, 'activate')}>
        ${strings.moduleActivate}${name}
      </button>`;
    }
    return nothing;
  }

  #open(module: Module, action: 'activate' | 'deactivate'): void {
    this.#change.open(moduleChangeOptions(module, action, (id) => this.#moduleName(id) ?? module.name));
  }

  /** A module's name as the endpoint last wrote it (in the page's language). */
  #moduleName(id: string): string | undefined {
    return this.#billing.state('modules').data?.find((module) => module.id === id)?.name;
  }

  /** Lets a plan picker or the host take the user to the plan; otherwise opens that plan change here. */
  #requestPlan(target: Plan, module: Module, plans: Plan[]): void {
    const event = new BillingRequestPlanEvent(
      plans.map((plan) => plan.id),
      module.id,
    );
    if (this.dispatchEvent(event)) this.#change.open(planChangeOptions(target, undefined));
  }

  /** Moves focus to the module that must be activated first. */
  #showModule(moduleId: string): void {
    const row = this.renderRoot.querySelector<HTMLElement>(`#module-${CSS.escape(moduleId)}`);
    row?.scrollIntoView({ block: 'center', behavior: 'smooth' });
    row?.querySelector<HTMLElement>('button[part="action-button"]')?.focus({ preventScroll: true });
  }
}
