import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import type { BillingClient } from '../src/index.js';
import { FAKE_REQUEST_ID, fakeBillingClient } from './support/fake-endpoint.js';
import {
  AS_OF,
  catalogModulesAllUsed,
  comfortableUsage,
  overLimitUsage,
  sepaMandate,
  smallBusinessUsage,
  visaExpired,
  visaValid,
} from './support/fixtures.js';
import { expectPreviewReady, findButton, retryAfterError, shadowCanvas } from './support/play.js';

/** A `mailto:` support link: the dashboard's “Ask support” link carries the review in its subject and body. */
const SUPPORT_URL = 'mailto:billing-support@example.com';
const TIMEOUT = { timeout: 5_000 };

/**
 * One fake endpoint per story, made once: revisiting a story reuses its data, and a change
 * made in one story stays in that story until the page reloads. The renewal that opened the
 * current period is paid (charged when issued) unless the story is about a failed payment.
 */
const endpoints = {
  review: fakeBillingClient({ renewal: 'paid' }),
  overLimit: fakeBillingClient({ renewal: 'paid', usage: overLimitUsage }),
  smallerPlan: fakeBillingClient({
    renewal: 'paid',
    usage: smallBusinessUsage,
    modules: catalogModulesAllUsed,
    paymentMethods: [visaValid, sepaMandate],
  }),
  // The renewal failed on the expired card; the pay link stays in the story's frame.
  pastDue: fakeBillingClient({ status: 'past_due', payUrl: '#pay', paymentMethods: [visaExpired, sepaMandate] }),
  allGood: fakeBillingClient({
    renewal: 'paid',
    usage: comfortableUsage,
    modules: catalogModulesAllUsed,
    paymentMethods: [visaValid, sepaMandate],
  }),
  deactivate: fakeBillingClient({ renewal: 'paid' }),
  sections: fakeBillingClient({ renewal: 'paid' }),
  slotted: fakeBillingClient({ renewal: 'paid' }),
  readOnly: fakeBillingClient({ renewal: 'paid', readOnly: true }),
  loading: fakeBillingClient({ delay: 'forever' }),
  serverError: fakeBillingClient({ fail: 'server-error' }),
  french: fakeBillingClient({ renewal: 'paid', language: 'fr' }),
  narrow: fakeBillingClient({ renewal: 'paid' }),
  noPaymentMethod: fakeBillingClient({ renewal: 'paid', paymentMethods: [] }),
  trial: fakeBillingClient({ status: 'trialing', invoiceCount: 0 }),
  noSubscription: fakeBillingClient({ noSubscription: true }),
  dark: fakeBillingClient({ renewal: 'paid' }),
  retry: fakeBillingClient({ fail: 'server-error-once', renewal: 'paid' }),
};

interface DashboardOptions {
  sections?: string;
  lang?: string;
  /** Light-DOM content for the dashboard's named slots. */
  slotted?: TemplateResult;
}

const dashboard = (client: BillingClient, { sections, lang, slotted }: DashboardOptions = {}): TemplateResult =>
  html`<billing-dashboard
    now=${AS_OF}
    .client=${client}
    sections=${ifDefined(sections)}
    lang=${ifDefined(lang)}
    support-url=${SUPPORT_URL}
    >${slotted ?? nothing}</billing-dashboard
  >`;

const meta: Meta = {
  title: 'Elements/Dashboard',
  component: 'billing-dashboard',
  render: () => dashboard(endpoints.review),
  parameters: {
    // Four verdicts side by side and the sections in two columns need a wide container (72rem).
    maxWidth: '80rem',
  },
};
export default meta;

type Story = StoryObj;

const storyDescription = (story: string) => ({ docs: { description: { story } } });

export const MonthlyReview: Story = {
  parameters: storyDescription(
    'The seeded business on Pro: documents will reach the limit before the reset (consider Entreprise), Accounting ' +
      'export costs €12.00 a month and has not been used for 45 days, and the next invoice matches the plan and ' +
      'modules but the card expires at the end of the month. Each verdict has its action; every section follows.',
  ),
};

export const OverTheLimit: Story = {
  render: () => dashboard(endpoints.overLimit),
  parameters: storyDescription(
    'Clients and documents above Pro’s limits: the plan and usage verdicts turn to danger, the plan verdict offers ' +
      'Entreprise, one plan up, and the usage meters show both metrics over.',
  ),
};

export const SmallerPlanWouldFit: Story = {
  render: () => dashboard(endpoints.smallerPlan),
  parameters: storyDescription(
    'A business whose usage would stay under Essentiel’s warning thresholds: the plan verdict says Essentiel, one plan ' +
      'down, would fit and save €30.00 a month, with a button that previews the change.',
  ),
};

export const PastDue: Story = {
  render: () => dashboard(endpoints.pastDue),
  parameters: storyDescription(
    'The renewal could not be charged to the expired card: the billing verdict names the unpaid invoice with a link to ' +
      'pay it, and the subscription summary below carries the past-due banner.',
  ),
};

export const AllGood: Story = {
  render: () => dashboard(endpoints.allGood),
  parameters: storyDescription(
    'Usage well within Pro (and above Essentiel), every paid module used this month and a card valid until 2029: ' +
      'four green verdicts, each with a button that goes to its section.',
  ),
};

export const DeactivateUnusedModule: Story = {
  render: () => dashboard(endpoints.deactivate),
  play: async ({ canvasElement, step }) => {
    const canvas = await shadowCanvas(canvasElement, 'billing-dashboard');
    const modulesVerdict = () => canvas.getByRole('article', { name: 'Modules' });
    await step('The modules verdict flags Accounting export and offers to deactivate it', async () => {
      await userEvent.click(await findButton(canvas, 'Deactivate Accounting export'));
    });
    await step('Confirm the preview (at the end of the period, as it is paid for)', async () => {
      const dialog = await expectPreviewReady(canvas);
      await userEvent.click(await findButton(within(dialog), 'Confirm'));
    });
    await step('The verdict turns ok', async () => {
      await waitFor(() => expect(modulesVerdict()).toHaveAttribute('data-tone', 'ok'), TIMEOUT);
    });
  },
  parameters: storyDescription(
    '“Deactivate Accounting export” from the modules verdict: the change dialog previews it, and once confirmed the ' +
      'module stops at the end of the period and the verdict turns green; the summary and module list below show the ' +
      'scheduled change.',
  ),
};

export const SectionsReorderedAndHidden: Story = {
  render: () => dashboard(endpoints.sections, { sections: 'invoices usage' }),
  parameters: storyDescription(
    '`sections="invoices usage"`: the invoices first, then the usage; the summary, plans, modules and payment method are ' +
      'hidden, and the verdicts no longer offer to go to them.',
  ),
};

const hostPaymentNote = html`<div
  slot="payment"
  style="border: 1px dashed light-dark(#8a93a6, #5c6473); border-radius: 8px; padding: 0.75rem 1rem"
>
  <p style="margin: 0">
    Cards are managed by your company’s administrator. Ask
    <a href="mailto:accounts@atelier-lumiere.example">accounts@atelier-lumiere.example</a> to change the card on file.
  </p>
</div>`;

export const SectionReplacedThroughSlot: Story = {
  render: () => dashboard(endpoints.slotted, { slotted: hostPaymentNote }),
  parameters: storyDescription(
    'The host puts its own content in the `payment` slot: the payment method section shows the host’s note instead of ' +
      '`<billing-payment-method>`, under the dashboard’s heading.',
  ),
};

export const ReadOnly: Story = {
  render: () => dashboard(endpoints.readOnly),
  parameters: storyDescription(
    'A user who may only look: the same verdicts, whose buttons only go to a section (“See plans”, “See modules”), and ' +
      'no buttons that change anything in the sections (invoices can still be opened and downloaded).',
  ),
};

export const Loading: Story = {
  render: () => dashboard(endpoints.loading),
  parameters: storyDescription('A request that never completes: four verdict skeletons, and each section under its heading with its own skeleton.'),
};

export const ServerError: Story = {
  render: () => dashboard(endpoints.serverError),
  play: async ({ canvasElement }) => {
    const canvas = await shadowCanvas(canvasElement, 'billing-dashboard');
    await userEvent.click(await canvas.findByText('Details for support', {}, TIMEOUT));
    await expect(await canvas.findByText(new RegExp(FAKE_REQUEST_ID))).toBeVisible();
  },
  parameters: storyDescription(
    'A 500 problem+json: instead of the review, one localized error with a retry button, the support link, and ' +
      '“Details for support” opened on the diagnostic to copy (action, error code, request id, time).',
  ),
};

export const French: Story = {
  render: () => dashboard(endpoints.french, { lang: 'fr' }),
  globals: { locale: 'fr' },
  parameters: storyDescription(
    '`lang="fr"`: the monthly review in French, strings, amounts and dates, for the dashboard and every element in it. ' +
      'Names of modules, metrics and invoice lines come from the endpoint (here a fake answering in French).',
  ),
};

export const Narrow: Story = {
  render: () => html`<div style="max-width: 360px">${dashboard(endpoints.narrow)}</div>`,
  parameters: storyDescription(
    'The dashboard in a 360 px wide container on a wide page: its container queries stack the verdicts in one column ' +
      'and lay the invoices out as cards, without a horizontal scroll.',
  ),
};

export const NoPaymentMethod: Story = {
  render: () => dashboard(endpoints.noPaymentMethod),
  parameters: storyDescription(
    'Nothing on file to pay the next invoice: the billing verdict says so and offers to add a payment method.',
  ),
};

export const Trial: Story = {
  render: () => dashboard(endpoints.trial),
  parameters: storyDescription(
    'A subscription in its trial, not invoiced yet: the summary carries the trial banner with its end date.',
  ),
};

export const NoSubscription: Story = {
  render: () => dashboard(endpoints.noSubscription),
  play: async ({ canvasElement }) => {
    const canvas = await shadowCanvas(canvasElement, 'billing-dashboard');
    await expect(await canvas.findByText('There is no subscription on this account yet.', {}, TIMEOUT)).toBeVisible();
  },
  parameters: storyDescription('A customer without a subscription (404 `no_subscription`): no review to make, and it says so.'),
};

export const Dark: Story = {
  render: () => dashboard(endpoints.dark),
  globals: { theme: 'dark' },
  parameters: storyDescription('A page with `color-scheme: dark`: the dashboard and every element in it follow with `light-dark()`.'),
};

export const RetryAfterError: Story = {
  render: () => dashboard(endpoints.retry),
  play: async ({ canvasElement }) => {
    const canvas = await shadowCanvas(canvasElement, 'billing-dashboard');
    await retryAfterError(canvas, () => expect(canvas.getByRole('article', { name: 'Modules' })).toBeVisible());
  },
  parameters: storyDescription('A 500 to the first read, then the data: “Try again” in the error state loads it (once per page load: reload the page to see the error again).'),
};
