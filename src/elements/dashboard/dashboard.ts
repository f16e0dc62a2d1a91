import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { invoiceKey } from '../../store/index.js';
import type { Invoice, Subscription } from '../../contract/index.js';
import type { Strings } from '../../i18n/index.js';
import { baseStyles } from '../shared/base.styles.js';
import { BillingController } from '../shared/element-controller.js';
import { hostProperties, type BillingHostProperties } from '../shared/host.js';
import { ChangeController } from '../shared/change-controller.js';
import { moduleChangeOptions, planChangeOptions } from '../shared/change-options.js';
import { formatDate, formatMoney, formatMonth, formatNumber, formatPercent } from '../shared/format.js';
import { safeHttpUrl } from '../shared/links.js';
import { renderError, renderLoading } from '../shared/states.js';
import { usageRatio } from '../usage-meter/usage-status.js';
import { dashboardStyles } from './dashboard.styles.js';
import { currentPeriodInvoice, review, type Review, type Tone } from './review.js';

/** The sections below the verdicts, in their default order; each is also a named slot. */
export const DASHBOARD_SECTIONS = ['summary', 'usage', 'plans', 'modules', 'payment', 'invoices'] as const;
export type DashboardSection = (typeof DASHBOARD_SECTIONS)[number];

interface Verdict {
  id: 'plan' | 'modules' | 'usage' | 'billing';
  title: string;
  tone: Tone;
  sentence: string;
  evidence: string[];
  action: TemplateResult | typeof nothing;
}

// Declared once for every element (shared/host.ts): the class gets them by declaration merging.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface BillingDashboard extends BillingHostProperties {}

/**
 * The monthly review of a subscription ("Tableau de bord abonnement"): the four questions of
 * the review answered as verdicts computed from the data — does the plan fit, are the paid
 * modules used, which usage is near its limit, do the charges match the configuration — each
 * one sentence with its evidence and one action. Below, the summary, usage, modules, plans,
 * payment method and invoices, in sections a host can reorder or hide (`sections`) or replace
 * (a named slot per section). All of it shares one store: one request per resource.
 * The elements of the sections are registered with the dashboard (`billing-dashboard.js`);
 * a host that registers this class under a tag of its own registers them too.
 *
 * @summary The monthly review: four verdicts and every billing element, in one screen.
 *
 * @slot summary - Replaces the `<billing-subscription>` section's content.
 * @slot usage - Replaces the `<billing-usage-meter>` section's content.
 * @slot modules - Replaces the `<billing-module-list>` section's content.
 * @slot plans - Replaces the `<billing-plan-picker>` section's content.
 * @slot payment - Replaces the `<billing-payment-method>` section's content.
 * @slot invoices - Replaces the `<billing-invoice-table>` section's content.
 *
 * @fires {BillingBeforeChangeEvent} billing-before-change - Before a change started from a verdict or from an element in a section (cancelable).
 * @fires {BillingChangeEvent} billing-change - After a change started from a verdict or from an element in a section.
 * @fires {BillingRequestPlanEvent} billing-request-plan - From the module list in the `modules` section, when a module needs another plan (cancelable).
 * @fires {BillingPaymentMethodSetupEvent} billing-payment-method-setup - From the payment method in the `payment` section, when a setup session is open (cancelable).
 *
 * @csspart verdicts - The four verdicts.
 * @csspart verdict - One verdict (carries `data-verdict` and `data-tone`: ok, warning, danger).
 * @csspart action-button - A verdict's action.
 * @csspart support-link - The link asking support to review the usage, and the error state's support link.
 * @csspart section - One section (carries `data-section`).
 * @csspart announcement - The confirmation of a change started from a verdict.
 * @csspart dialog - The change dialog.
 * @csspart preview-lines - The dialog's table of billing lines.
 * @csspart warnings - The dialog's warnings.
 * @csspart confirm-button - The dialog's confirm button.
 * @csspart error - The error state.
 * @csspart retry-button - The error state's retry button.
 *
 * @cssprop --billing-dashboard-gap - Space between verdicts and sections.
 * @cssprop --billing-dashboard-verdict-background - Background of a verdict.
 * @cssprop --billing-dashboard-ok - Accent of a verdict that needs nothing.
 * @cssprop --billing-dashboard-warning - Accent of a verdict worth a look.
 * @cssprop --billing-dashboard-danger - Accent of a verdict that needs action.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class BillingDashboard extends LitElement {
  static override styles = [baseStyles, dashboardStyles];

  static override properties = {
    ...hostProperties,
    sections: {},
  };

  /**
   * Which sections to show, in order, separated by spaces: any of `summary usage plans modules
   * payment invoices` (default: all, in that order).
   */
  declare sections?: string;






  // The lines of the current period's invoice (what the next invoice is compared with) come
  // from the store too, once its id is known.
  #billing = new BillingController(this, ['subscription', 'plans', 'modules', 'usage'], {
    optional: ['paymentMethods', 'invoices'],
    follow: () => {
      const last = this.#currentPeriodInvoice();
      return last ? [invoiceKey(last.id)] : [];
    },
  });
  #change = new ChangeController(this, this.#billing);

  /** The current period's invoice as listed (without lines), if the latest invoices hold it. */
  #currentPeriodInvoice(): Invoice | null {
    const subscription = this.#billing.state('subscription').data;
    return subscription ? currentPeriodInvoice(subscription, this.#billing.state('invoices').data?.data) : null;
  }

  get #sections(): DashboardSection[] {
    if (!this.sections) return [...DASHBOARD_SECTIONS];
    const asked = this.sections.split(/\s+/);
    return DASHBOARD_SECTIONS.filter((section) => asked.includes(section)).sort((a, b) => asked.indexOf(a) - asked.indexOf(b));
  }

  protected override render(): TemplateResult {
    const billing = this.#billing;
    const strings = billing.strings;
    if (strings && !billing.store) return renderError({ error: null, strings });
    const { error, ready } = billing.status;
    if (strings && error) return renderError({ error, strings, onRetry: () => billing.retry(), supportUrl: billing.supportUrl, pinnedNow: billing.pinnedNow });
    const verdicts = strings && ready && this.#evidenceSettled() ? this.#verdicts(strings) : null;
    // One template whatever has arrived: the sections, and the elements in them, are there from
    // the first paint and stay the same elements (their own state and announcements survive);
    // only the verdicts go from skeleton to sentences.
    return html`
      <div class="review">
        ${verdicts && strings ? this.#renderVerdicts(verdicts, strings) : this.#renderVerdictsSkeleton(strings)}
        ${strings ? this.#change.announcer.render(strings, billing.locale) : nothing}
      </div>
      <div class="sections">${this.#sections.map((section) => this.#renderSection(section, strings))}</div>
      ${strings && ready
        ? this.#change.renderDialog({
            strings,
            locale: billing.locale,
            moduleName: (id) => billing.state('modules').data?.find((module) => module.id === id)?.name ?? id,
            metrics: billing.state('usage').data ?? [],
            periodEnd: billing.state('subscription').data!.currentPeriod.end,
            creditBalance: billing.state('subscription').data!.creditBalance,
          })
        : nothing}
    `;
  }

  /**
   * Whether what the verdicts' evidence rests on has come (or failed): payment methods, the
   * latest invoices and the lines of the current period's. Until then the skeleton stays, so
   * the verdicts appear once, at their height, rather than growing line by line.
   */
  #evidenceSettled(): boolean {
    const settled = (key: 'paymentMethods' | 'invoices') => {
      const state = this.#billing.state(key);
      return state.data !== undefined || state.error !== undefined;
    };
    if (!settled('paymentMethods') || !settled('invoices')) return false;
    const current = this.#currentPeriodInvoice();
    if (current === null) return true;
    // Without its lines the verdict only leaves out what changed since: a failure is no reason to wait.
    const detail = this.#billing.state(invoiceKey(current.id));
    return detail.data !== undefined || detail.error !== undefined;
  }

  #renderVerdictsSkeleton(strings: Strings | null): TemplateResult {
    return renderLoading(
      strings,
      html`<div class="verdicts" part="verdicts">
          ${[1, 2, 3, 4].map(
            () => html`<div class="verdict skeleton-verdict">
              <span class="skeleton heading"></span><span class="skeleton line"></span><span class="skeleton line short"></span>
            </div>`,
          )}
        </div>
        ${this.#billing.supportUrl ? html`<p class="support"><span class="skeleton support-line"></span></p>` : nothing}`,
    );
  }

  #renderVerdicts(verdicts: Verdict[], strings: Strings): TemplateResult {
    const support = this.#supportHref(verdicts, strings);
    return html`<h2 class="visually-hidden">${strings.dashboardTitle}</h2>
      <div class="verdicts" part="verdicts">
        ${verdicts.map(
          (verdict) => html`<article
            class="verdict"
            part="verdict"
            data-verdict=${verdict.id}
            data-tone=${verdict.tone}
            aria-labelledby=${`verdict-${verdict.id}`}
          >
            <h3 id=${`verdict-${verdict.id}`}>${verdict.title}</h3>
            <p class="sentence">${verdict.sentence}</p>
            ${verdict.evidence.length ? html`<ul class="evidence">${verdict.evidence.map((line) => html`<li>${line}</li>`)}</ul>` : nothing}
            <div class="action">${verdict.action}</div>
          </article>`,
        )}
      </div>
      ${support ? html`<p class="support"><a part="support-link" href=${support}>${strings.askSupport}</a></p>` : nothing}`;
  }

  #renderSection(section: DashboardSection, strings: Strings | null): TemplateResult {
    const titles: Record<DashboardSection, string> | null = strings && {
      summary: strings.sectionSummary,
      usage: strings.sectionUsage,
      modules: strings.sectionModules,
      plans: strings.sectionPlans,
      payment: strings.sectionPayment,
      invoices: strings.sectionInvoices,
    };
    // The elements inside share this dashboard's store, strings, clock and support link.
    const client = this.#billing.store?.client;
    const shared = { client, strings: this.strings, now: this.now, supportUrl: this.supportUrl };
    const content: Record<DashboardSection, () => TemplateResult> = {
      summary: () => html`<billing-subscription .client=${shared.client} .strings=${shared.strings} .now=${shared.now} .supportUrl=${shared.supportUrl}></billing-subscription>`,
      usage: () => html`<billing-usage-meter .client=${shared.client} .strings=${shared.strings} .now=${shared.now} .supportUrl=${shared.supportUrl}></billing-usage-meter>`,
      modules: () => html`<billing-module-list .client=${shared.client} .strings=${shared.strings} .now=${shared.now} .supportUrl=${shared.supportUrl}></billing-module-list>`,
      plans: () => html`<billing-plan-picker .client=${shared.client} .strings=${shared.strings} .now=${shared.now} .supportUrl=${shared.supportUrl}></billing-plan-picker>`,
      payment: () => html`<billing-payment-method .client=${shared.client} .strings=${shared.strings} .now=${shared.now} .supportUrl=${shared.supportUrl}></billing-payment-method>`,
      invoices: () => html`<billing-invoice-table .client=${shared.client} .strings=${shared.strings} .now=${shared.now} .supportUrl=${shared.supportUrl}></billing-invoice-table>`,
    };
    return html`<section class="section" part="section" data-section=${section} id=${`section-${section}`} aria-labelledby=${`section-${section}-title`}>
      ${titles
        ? html`<h2 id=${`section-${section}-title`} tabindex="-1">${titles[section]}</h2>`
        : html`<div class="heading-placeholder"><span class="skeleton heading"></span></div>`}
      <slot name=${section} @slotchange=${() => this.requestUpdate()}>${this.#replaced(section) ? nothing : content[section]()}</slot>
    </section>`;
  }

  /** The four verdicts, in words, from the data. */
  #verdicts(strings: Strings): Verdict[] {
    const billing = this.#billing;
    const locale = billing.locale;
    const subscription = billing.state('subscription').data!;
    const modules = billing.state('modules').data!;
    const usage = billing.state('usage').data!;
    const result: Review = review({
      subscription,
      plans: billing.state('plans').data!,
      modules,
      usage,
      paymentMethods: billing.state('paymentMethods').data,
      invoices: billing.state('invoices').data?.data,
      lastInvoice: ((last) => (last ? billing.state(invoiceKey(last.id)).data : null))(this.#currentPeriodInvoice()),
      now: billing.now(),
    });
    const permissions = subscription.permissions;
    const money = (value: Parameters<typeof formatMoney>[1]) => formatMoney(locale, value);
    const date = (value: string | number | Date) => formatDate(locale, value);
    const number = (value: number) => formatNumber(locale, value);
    const jump = (section: DashboardSection, label: string) =>
      this.#sections.includes(section)
        ? html`<button type="button" class="secondary" part="action-button" @click=${() => this.#goTo(section)}>${label}</button>`
        : nothing;
    const planButton = (planName: string, open: () => void) =>
      permissions.changePlan
        ? html`<button type="button" part="action-button" @click=${open}>${strings.choosePlan(planName)}</button>`
        : jump('plans', strings.seePlans);

    const plan = ((): Verdict => {
      const verdict = result.plan;
      const base = { id: 'plan' as const, title: strings.verdictPlan, tone: verdict.tone };
      switch (verdict.kind) {
        case 'over':
          return {
            ...base,
            sentence: strings.planOverLimit(strings.list(verdict.metrics.map((metric) => metric.name)), verdict.current.name),
            evidence: verdict.next ? [strings.considerPlan(verdict.next.name)] : [],
            action: verdict.next ? planButton(verdict.next.name, () => this.#change.open(planChangeOptions(verdict.next!, undefined))) : jump('usage', strings.seeUsage),
          };
        case 'up':
          return {
            ...base,
            sentence: verdict.reachAt
              ? strings.planWillReach(verdict.metric.name, verdict.current.name, number(verdict.limit), date(verdict.reachAt))
              : strings.planNearLimit(verdict.metric.name, verdict.current.name, number(verdict.metric.used), number(verdict.limit)),
            evidence: [strings.considerPlan(verdict.next.name)],
            action: planButton(verdict.next.name, () => this.#change.open(planChangeOptions(verdict.next, undefined))),
          };
        case 'down':
          return {
            ...base,
            sentence: verdict.saving ? strings.planDownFits(verdict.lower.name, money(verdict.saving)) : strings.recommendDown(verdict.lower.name),
            evidence: [],
            action: planButton(verdict.lower.name, () => this.#change.open(planChangeOptions(verdict.lower, undefined))),
          };
        default:
          return { ...base, sentence: strings.planFits(verdict.current?.name ?? subscription.plan.name), evidence: [], action: jump('plans', strings.seePlans) };
      }
    })();

    const moduleVerdict = ((): Verdict => {
      const verdict = result.modules;
      const base = { id: 'modules' as const, title: strings.verdictModules, tone: verdict.tone };
      if (verdict.kind === 'stopping') {
        const when = subscription.currentPeriod.end;
        const names = strings.list(verdict.modules.map((module) => module.name));
        return { ...base, sentence: strings.modulesStopping(names, date(when), verdict.modules.length), evidence: [], action: jump('modules', strings.seeModules) };
      }
      if (verdict.kind !== 'unused') {
        return { ...base, sentence: verdict.kind === 'used' ? strings.modulesAllUsed : strings.modulesNoneTracked, evidence: [], action: jump('modules', strings.seeModules) };
      }
      const first = verdict.modules[0]!;
      const names = strings.list(verdict.modules.map((module) => module.name));
      const nameOf = (id: string) => billing.state('modules').data?.find((module) => module.id === id)?.name ?? first.name;
      return {
        ...base,
        sentence: strings.modulesUnused(names, verdict.monthlyCost ? money(verdict.monthlyCost) : '—', verdict.modules.length),
        evidence: verdict.modules.map((module) => {
          const unused = strings.moduleUnused(module.lastUsedAt ? date(module.lastUsedAt) : null);
          return verdict.modules.length === 1 ? unused : `${module.name} — ${unused}`;
        }),
        action:
          permissions.manageModules && first.allowedTimings.deactivate.length
            ? html`<button type="button" part="action-button" @click=${() => this.#change.open(moduleChangeOptions(first, 'deactivate', nameOf))}>
                ${strings.deactivateModule(first.name)}
              </button>`
            : jump('modules', strings.seeModules),
      };
    })();

    const usageVerdict = ((): Verdict => {
      const verdict = result.usage;
      const base = { id: 'usage' as const, title: strings.verdictUsage, tone: verdict.tone };
      if (verdict.kind === 'within') return { ...base, sentence: strings.usageAllWithin, evidence: [], action: jump('usage', strings.seeUsage) };
      const figures = verdict.findings.map(({ metric, reachAt }) => {
        const figure = strings.usageFigure(
          metric.name,
          number(metric.used),
          metric.limit === null ? '∞' : number(metric.limit),
          formatPercent(locale, Math.min(usageRatio(metric), 9.99)),
        );
        return reachAt ? `${figure}, ${strings.usageReachOn(date(reachAt))}` : figure;
      });
      const sentence = verdict.kind === 'over' ? strings.usageOver : strings.usageNear;
      return { ...base, sentence: sentence(figures.join(strings.clauseSeparator), figures.length), evidence: [], action: jump('usage', strings.seeUsage) };
    })();

    return [plan, moduleVerdict, usageVerdict, this.#billingVerdict(result, subscription, strings)];
  }

  #billingVerdict(result: Review, subscription: Subscription, strings: Strings): Verdict {
    const locale = this.#billing.locale;
    const verdict = result.billing;
    const money = (value: Parameters<typeof formatMoney>[1]) => formatMoney(locale, value);
    const next = verdict.next;
    const sentence = verdict.unpaid
      ? strings.billingUnpaid(verdict.unpaid.number, money(verdict.unpaid.amountDue))
      : !next
        ? strings.summaryNoNextInvoice
        : verdict.matches
          ? strings.billingMatches(money(next.total), formatDate(locale, next.date))
          : strings.billingMismatch(money(next.total), verdict.linesTotal ? money(verdict.linesTotal) : '—');
    const evidence: string[] = [];
    if (verdict.unpaid && next) evidence.push(strings.billingMatches(money(next.total), formatDate(locale, next.date)));
    if (verdict.last) {
      const since = formatDate(locale, verdict.last.issuedAt);
      if (verdict.changes.length === 0) evidence.push(strings.billingNoChange(since));
      else {
        // One line: "Since the last invoice (date): A removed: −€12.00; B added: +€7.00". The
        // word joiner keeps a sign and its amount on one line.
        const changes = verdict.changes.map((change) =>
          ({ added: strings.lineAdded, removed: strings.lineRemoved, changed: strings.lineChanged })[change.kind](
            change.name,
            `\u2060${money(change.amount)}`,
          ),
        );
        evidence.push(`${strings.billingSinceLast(since)} ${changes.join(strings.clauseSeparator)}`);
      }
    }
    if (verdict.card === 'expired') evidence.push(strings.billingCardExpired);
    if (verdict.card === 'soon' && verdict.cardExpiresIn) evidence.push(strings.billingCardExpiring(formatMonth(locale, verdict.cardExpiresIn)));
    if (verdict.card === 'none' && next) evidence.push(strings.billingNoMethod);
    const payUrl = verdict.unpaid ? safeHttpUrl(verdict.unpaid.hostedUrl, this.baseURI) : null;
    const action = payUrl
      ? html`<a class="button" part="action-button" href=${payUrl} rel="noopener">${strings.payOpenInvoice}</a>`
      : verdict.card !== 'ok' && this.#sections.includes('payment') && !this.#replaced('payment') && subscription.permissions.managePaymentMethods
        ? html`<button type="button" part="action-button" @click=${() => this.#goTo('payment', true)}>${strings.updatePaymentMethod}</button>`
        : this.#sections.includes('invoices')
          ? html`<button type="button" class="secondary" part="action-button" @click=${() => this.#goTo('invoices')}>${strings.seeInvoices}</button>`
          : nothing;
    return { id: 'billing', title: strings.verdictBilling, tone: verdict.tone, sentence, evidence, action };
  }

  /**
   * Whether the host put its own content in a section's slot. The element the dashboard would
   * show there is then not rendered at all (a slot's fallback stays in the page, fetching).
   */
  #replaced(section: DashboardSection): boolean {
    return [...this.children].some((child) => child.slot === section);
  }

  /** Scrolls to a section and moves focus there (to its update button, for the payment method). */
  #goTo(section: DashboardSection, toUpdate = false): void {
    const target = this.renderRoot.querySelector<HTMLElement>(`#section-${section}`);
    if (!target) return;
    target.scrollIntoView({ block: 'start', behavior: 'smooth' });
    const update = toUpdate
      ? target.querySelector('billing-payment-method')?.shadowRoot?.querySelector<HTMLElement>('[part="update-button"]')
      : null;
    (update ?? target.querySelector<HTMLElement>('h2'))?.focus({ preventScroll: true });
  }

  /** The support link with the review's context (a mailto gets a subject and a body). */
  #supportHref(verdicts: Verdict[], strings: Strings): string | null {
    const url = this.#billing.supportUrl;
    if (!url || !/^(https?:|mailto:|\/)/i.test(url)) return null;
    if (!url.toLowerCase().startsWith('mailto:')) return url;
    const subscription = this.#billing.state('subscription').data!;
    const context = [
      strings.planAndInterval(subscription.plan.name, subscription.interval === 'year' ? strings.billedYearly : strings.billedMonthly),
      ...verdicts.map((verdict) => `${verdict.title}: ${verdict.sentence}`),
    ].join('\n');
    const query = `subject=${encodeURIComponent(strings.supportSubject)}&body=${encodeURIComponent(strings.supportBody(context))}`;
    return `${url}${url.includes('?') ? '&' : '?'}${query}`;
  }
}
