import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, type TemplateResult } from 'lit';
import { expect, userEvent, waitFor } from 'storybook/test';
import type { BillingClient } from '../src/index.js';
import { fakeBillingClient } from './support/fake-endpoint.js';
import { AS_OF } from './support/fixtures.js';
import { expectPreviewReady, findButton, shadowCanvas } from './support/play.js';

/**
 * One fake endpoint per story, made once: every element of the page shares its client and
 * store, so a change committed in one of them shows in the others. What is changed stays
 * changed while the page is open; reload the page to start again.
 */
const endpoints = {
  dashboard: fakeBillingClient(),
  unlockModule: fakeBillingClient(),
};

const card = 'border: 1px solid light-dark(#d9dce3, #3a404c); border-radius: 8px; padding: 1rem 1.25rem 1.25rem';
const heading = 'margin: 0 0 0.75rem; font-size: 1.1rem';

const page = (client: BillingClient): TemplateResult => html`
  <billing-provider now=${AS_OF} .client=${client} support-url="https://support.example.com/billing">
    <div style="display: grid; gap: 1rem">
      <section style=${card} aria-labelledby="journey-usage">
        <h2 id="journey-usage" style=${heading}>Usage</h2>
        <billing-usage-meter></billing-usage-meter>
      </section>
      <section style=${card} aria-labelledby="journey-modules">
        <h2 id="journey-modules" style=${heading}>Modules</h2>
        <billing-module-list></billing-module-list>
      </section>
      <section style=${card} aria-labelledby="journey-plans">
        <h2 id="journey-plans" style=${heading}>Plans</h2>
        <billing-plan-picker></billing-plan-picker>
      </section>
      <section style=${card} aria-labelledby="journey-payment">
        <h2 id="journey-payment" style=${heading}>Payment method</h2>
        <billing-payment-method></billing-payment-method>
      </section>
      <section style=${card} aria-labelledby="journey-invoices">
        <h2 id="journey-invoices" style=${heading}>Invoices</h2>
        <billing-invoice-table></billing-invoice-table>
      </section>
    </div>
  </billing-provider>
`;

const meta: Meta = {
  title: 'Journeys/Change subscription',
  component: 'billing-provider',
  render: () => page(endpoints.dashboard),
  parameters: {
    // The plan picker's three cards and the invoice table's columns need more than the default column.
    maxWidth: '60rem',
    docs: {
      description: {
        component:
          'A subscription page: one `<billing-provider>` around a usage meter, a module list, a plan picker, the ' +
          'payment method and the invoices, all on one (fake, stateful) endpoint. A change committed in one element is ' +
          'applied to the shared store, and the others reload what depends on it: upgrade to Entreprise and the usage ' +
          'limits, the module list and the recommendation follow, and the invoice for the upgrade heads the invoices.',
      },
    },
  },
};
export default meta;

type Story = StoryObj;

export const Dashboard: Story = {
  parameters: {
    docs: {
      description: {
        story:
          'Try it: activate Automatic reminders, deactivate Accounting export at the end of the period and cancel it again, ' +
          'or upgrade to Entreprise and watch the documents meter and Multi-currency change and the upgrade’s invoice ' +
          'appear; make the SEPA mandate the default payment method; open an invoice’s lines.',
      },
    },
  },
};

export const UnlockModuleWithPlan: Story = {
  render: () => page(endpoints.unlockModule),
  play: async ({ canvasElement, step }) => {
    const modules = await shadowCanvas(canvasElement, 'billing-module-list');
    const plans = await shadowCanvas(canvasElement, 'billing-plan-picker');
    const usage = await shadowCanvas(canvasElement, 'billing-usage-meter');
    const invoices = await shadowCanvas(canvasElement, 'billing-invoice-table');

    await step('Multi-currency asks for Entreprise: the plan picker opens that change', async () => {
      await userEvent.click(await findButton(modules, 'Choose Entreprise'));
      await expectPreviewReady(plans);
    });
    await step('Confirm the upgrade now', async () => {
      await userEvent.click(await findButton(plans, 'Confirm'));
      await plans.findByText('You are now on the Entreprise plan.', {}, { timeout: 5_000 });
    });
    await step('The other elements follow', async () => {
      // The documents limit is Entreprise's now, and Multi-currency can be activated.
      await waitFor(() => expect(usage.getByText(/870 \/ 10,000 documents/)).toBeVisible(), { timeout: 5_000 });
      await expect(await findButton(modules, 'Activate Multi-currency')).toBeVisible();
      // The invoice for the upgrade heads the invoice table (it reloads when the subscription changes).
      await expect(await findButton(invoices, 'Details F-2026-0012')).toBeVisible();
    });
  },
  parameters: {
    docs: {
      description: {
        story:
          'Multi-currency needs Entreprise: its “Choose Entreprise” button asks the page for that plan ' +
          '(`billing-request-plan`), the plan picker answers with the upgrade preview, and once confirmed the usage meter ' +
          'shows Entreprise’s limits and the module list offers Multi-currency.',
      },
    },
  },
};
