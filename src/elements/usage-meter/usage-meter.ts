import { LitElement, html, nothing, type TemplateResult } from 'lit';
import type { UsageMetric } from '../../contract/index.js';
import type { Strings } from '../../i18n/index.js';
import { baseStyles } from '../shared/base.styles.js';
import { cssProperty } from '../shared/css-property.js';
import { BillingController } from '../shared/element-controller.js';
import { hostProperties, type BillingHostProperties } from '../shared/host.js';
import { formatDate, formatNumber, formatPercent } from '../shared/format.js';
import { usageMeterStyles } from './usage-meter.styles.js';
import { forecastLimit, usageRatio, usageStatus, type UsageStatus } from './usage-status.js';

const statusText: Record<UsageStatus, keyof Strings> = {
  ok: 'usageStatusOk',
  warning: 'usageStatusWarning',
  reached: 'usageStatusReached',
  over: 'usageStatusOver',
  unlimited: 'usageStatusUnlimited',
};

// Declared once for every element (shared/host.ts): the class gets them by declaration merging.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface BillingUsageMeter extends BillingHostProperties {}

/**
 * Consumption against the plan's limits: one meter per metric (or only `metric`), with the
 * figures, a warning from the metric's threshold, the reset date and a forecast of when the
 * limit will be reached at the current pace.
 *
 * @summary Usage of each metered resource against its plan limit.
 *
 * @csspart list - The list of metrics.
 * @csspart metric - One metric (carries `data-status`: ok, warning, reached, over, unlimited).
 * @csspart bar - The meter's track.
 * @csspart fill - The meter's filled part.
 * @csspart status - The status text of a metric.
 * @csspart forecast - The forecast sentence.
 * @csspart empty - The empty-state message.
 * @csspart error - The error state.
 * @csspart retry-button - The error state's retry button.
 * @csspart support-link - The error state's support link.
 *
 * @cssprop --billing-usage-meter-fill - Fill of a metric within its limit.
 * @cssprop --billing-usage-meter-warning-fill - Fill past the warning threshold.
 * @cssprop --billing-usage-meter-danger-fill - Fill at or over the limit.
 * @cssprop --billing-usage-meter-track - The meter's track.
 * @cssprop --billing-usage-meter-height - Height of the meter bar.
 * @cssprop --billing-usage-meter-gap - Space between metrics.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class BillingUsageMeter extends LitElement {
  static override styles = [baseStyles, usageMeterStyles];

  // Static properties rather than decorators: the same reactive properties, ~0.5 KiB less per page.
  static override properties = {
    ...hostProperties,
    metric: {},
  };

  /** Show only this metric (e.g. `documents`); all metrics when unset. */
  declare metric?: string;






  #billing = new BillingController(this, ['usage']);

  protected override render(): TemplateResult {
    const billing = this.#billing;
    const gate = billing.gate(this.#renderSkeleton());
    if (gate) return gate;
    const strings = billing.strings!;
    const data = billing.state('usage').data!;
    const metrics = this.metric ? data.filter((metric) => metric.metricKey === this.metric) : data;
    if (metrics.length === 0) {
      return html`<p class="empty" part="empty">
        ${this.metric ? strings.usageUnknownMetric(this.metric) : strings.usageEmpty}
      </p>`;
    }
    return html`<ul part="list" aria-label=${strings.usageTitle}>
      ${metrics.map((metric) => this.#renderMetric(metric, strings))}
    </ul>`;
  }

  /** The boxes of the metrics as they render: name and figures, bar, status line, forecast. */
  #renderSkeleton(): TemplateResult {
    return html`<ul part="list">
      ${Array.from(
        { length: this.metric ? 1 : 3 },
        () => html`<li class="metric">
          <span class="skeleton line"></span><span class="skeleton bar"></span><span class="skeleton small"></span
          ><span class="skeleton small"></span>
        </li>`,
      )}
    </ul>`;
  }

  #renderMetric(metric: UsageMetric, strings: Strings): TemplateResult {
    const locale = this.#billing.locale;
    const status = usageStatus(metric);
    const used = formatNumber(locale, metric.used);
    const nameId = `name-${metric.metricKey}`;
    const forecast = forecastLimit(metric);
    let figures: string;
    let meter: TemplateResult | typeof nothing = nothing;
    let percent = '';
    if (metric.limit === null) {
      figures = strings.usageUnlimited(used, metric.unit, metric.used);
    } else {
      const limit = formatNumber(locale, metric.limit);
      const ratio = usageRatio(metric);
      percent = Number.isFinite(ratio) ? formatPercent(locale, ratio) : '';
      figures = strings.usageOfLimit(used, limit, metric.unit, metric.limit);
      meter = html`<div
        class="bar"
        part="bar"
        role="meter"
        aria-labelledby=${nameId}
        aria-valuemin="0"
        aria-valuemax=${metric.limit}
        aria-valuenow=${Math.min(metric.used, metric.limit)}
        aria-valuetext=${`${strings.usageValueText(used, limit, metric.unit, percent)} — ${strings[statusText[status]] as string}`}
      >
        <div class="fill" part="fill" ${cssProperty('--_ratio', String(Number.isFinite(ratio) ? ratio : 1))}></div>
      </div>`;
    }
    return html`<li class="metric" part="metric" data-status=${status}>
      <div class="head">
        <span class="name" id=${nameId}>${metric.name}</span>
        <span class="figures">${figures}</span>
      </div>
      ${meter}
      <div class="meta">
        <span class="status" part="status">${strings[statusText[status]] as string}${percent ? ` · ${percent}` : ''}</span>
        <span>${metric.resetsAt ? strings.usageResetsOn(formatDate(locale, metric.resetsAt)) : strings.usageNoReset}</span>
      </div>
      ${forecast === null
        ? nothing
        : html`<p class="forecast" part="forecast">
            ${forecast === 'within-limit' ? strings.usageForecastSafe : strings.usageForecastReach(formatDate(locale, forecast))}
          </p>`}
    </li>`;
  }
}
