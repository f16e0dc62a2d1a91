/**
 * Faults in the browser, `<billing-dashboard>`'s rows of the matrix (the matrix and what a
 * cell checks: faults.test.ts). The dashboard cannot answer its four questions without the
 * subscription, plans, modules and usage: a fault there gives its error state, and its retry
 * brings the verdicts and every section. Without the payment methods or the latest invoices
 * it still answers, and the section that shows them says why and retries on its own. The
 * lines of the current period's invoice only add a comparison to the billing verdict.
 */
import { expect } from '@open-wc/testing';
import '../../src/define.js';
import { until } from '../support/dom.js';
import { SECTION_TAGS, describeMatrix, errorState, errorThenRetry, expectAsked, hasData, section, shadow, text } from '../support/fault-cells.js';

const verdictsShown = (dashboard: HTMLElement) =>
  until(() => shadow(dashboard)!.querySelectorAll('[part="verdict"]').length === 4, 'the four verdicts', 6000);

describe('faults in the browser: the dashboard', () => {
  describeMatrix({
    'billing-dashboard': {
      getSubscription: true,
      listPlans: true,
      listModules: true,
      listUsage: true,
      listPaymentMethods: async (cell) => {
        await verdictsShown(cell.element);
        expect(errorState(cell.element)).to.equal(null);
        await until(() => section(cell.element, 'billing-payment-method'), 'the payment section');
        await errorThenRetry(cell, 'listPaymentMethods', section(cell.element, 'billing-payment-method')!, () => hasData['billing-dashboard']!(cell.element));
        return 'S';
      },
      listInvoices: async (cell) => {
        await verdictsShown(cell.element);
        expect(errorState(cell.element)).to.equal(null);
        await until(() => section(cell.element, 'billing-invoice-table'), 'the invoice section');
        await errorThenRetry(cell, 'listInvoices', section(cell.element, 'billing-invoice-table')!, () => hasData['billing-dashboard']!(cell.element));
        return 'S';
      },
      getInvoice: async (cell) => {
        await until(() => hasData['billing-dashboard']!(cell.element), 'the dashboard', 6000);
        await expectAsked(cell, 'getInvoice');
        const billing = shadow(cell.element)!.querySelector('[data-verdict="billing"]')!;
        expect(text(billing)).to.contain('matches your plan and modules');
        expect(text(billing)).not.to.contain('as the last invoice');
        expect(errorState(cell.element)).to.equal(null);
        for (const tag of SECTION_TAGS) expect(errorState(section(cell.element, tag)), tag).to.equal(null);
        return 'D';
      },
    },
  });
});
