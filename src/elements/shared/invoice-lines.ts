import { html, nothing, type TemplateResult } from 'lit';
import type { InvoiceLine } from '../../contract/index.js';
import { formatDateRange, formatMoney } from './format.js';

/** One invoice line as a table row: what it is, the period it covers, and its amount. */
export function renderLineRow(line: InvoiceLine, locale: string): TemplateResult {
  return html`<tr>
    <th scope="row">
      ${line.description}
      ${line.periodStart && line.periodEnd
        ? html`<span class="period">${formatDateRange(locale, line.periodStart, line.periodEnd)}</span>`
        : nothing}
    </th>
    <td class="amount">${formatMoney(locale, line.amount)}</td>
  </tr>`;
}
