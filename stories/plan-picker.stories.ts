import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, type TemplateResult } from 'lit';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import type { BillingClient } from '../src/index.js';
import { SCHEDULED_DOWNGRADE, SCHEDULED_YEARLY, fakeBillingClient } from './support/fake-endpoint.js';
import { AS_OF, smallBusinessUsage } from './support/fixtures.js';
import { expectPreviewReady, findButton, focusedIn, retryAfterError, shadowCanvas } from './support/play.js';

const SUPPORT_URL = 'https://support.example.com/billing';

/**
 * One fake endpoint per story, made once: revisiting a story reuses its data, and a plan
 * changed in one story stays changed in that story until the page reloads.
 */
const endpoints = {
  seeded: fakeBillingClient(),
  smallBusiness: fakeBillingClient({ usage: smallBusinessUsage }),
  yearly: fakeBillingClient(),
  upgrade: fakeBillingClient(),
  downgrade: fakeBillingClient(),
  scheduled: fakeBillingClient({ scheduled: [SCHEDULED_DOWNGRADE] }),
  readOnly: fakeBillingClient({ readOnly: true }),
  loading: fakeBillingClient({ delay: 'forever' }),
  serverError: fakeBillingClient({ fail: 'server-error' }),
  invalidResponse: fakeBillingClient({ fail: 'invalid-response' }),
  french: fakeBillingClient({ language: 'fr' }),
  dark: fakeBillingClient(),
  themed: fakeBillingClient(),
  yearlyScheduled: fakeBillingClient({ scheduled: [SCHEDULED_YEARLY] }),
  cancelPreview: fakeBillingClient(),
  empty: fakeBillingClient({ listPlans: false }),
  retry: fakeBillingClient({ fail: 'server-error-once' }),
};

const picker = (client: BillingClient): TemplateResult =>
  html`<billing-plan-picker now=${AS_OF} .client=${client} support-url=${SUPPORT_URL}></billing-plan-picker>`;

const meta: Meta = {
  title: 'Elements/Plan picker',
  component: 'billing-plan-picker',
  render: () => picker(endpoints.seeded),
  parameters: {
    // Three cards side by side need more than the preview's default 40rem column.
    maxWidth: '60rem',
  },
};
export default meta;

type Story = StoryObj;

const storyDescription = (story: string) => ({ docs: { description: { story } } });

export const Default: Story = {
  parameters: storyDescription(
    'The seeded account on Pro with 870 of 1,000 documents (past the 80 % warning): Entreprise, one plan up, is recommended.',
  ),
};

export const RecommendsDowngrade: Story = {
  render: () => picker(endpoints.smallBusiness),
  parameters: storyDescription('Every figure would stay below 80 % of Essentiel’s limits: Essentiel, one plan down, is recommended.'),
};

export const YearlyPrices: Story = {
  render: () => picker(endpoints.yearly),
  play: async ({ canvasElement }) => {
    const canvas = await shadowCanvas(canvasElement, 'billing-plan-picker');
    await userEvent.click(await canvas.findByRole('radio', { name: 'Yearly' }, { timeout: 5_000 }));
    await waitFor(() => expect(canvas.getByText('€490.00 / year')).toBeVisible());
  },
  parameters: storyDescription(
    'The billing switch on “Yearly”: yearly prices (ten months for twelve), and the current plan can be chosen again to switch it to yearly billing.',
  ),
};

export const UpgradeDialog: Story = {
  render: () => picker(endpoints.upgrade),
  play: async ({ canvasElement }) => {
    const canvas = await shadowCanvas(canvasElement, 'billing-plan-picker');
    await userEvent.click(await findButton(canvas, 'Choose Entreprise'));
    const dialog = await expectPreviewReady(canvas);
    await expect(within(dialog).getByRole('radio', { name: /^Now, prorated/ })).toBeChecked();
  },
  parameters: storyDescription(
    '“Choose Entreprise”: now (the default for an upgrade) with the credit for the rest of Pro and the charge for the ' +
      'rest of Entreprise, or at the end of the period with nothing due now.',
  ),
};

export const DowngradeDialog: Story = {
  render: () => picker(endpoints.downgrade),
  play: async ({ canvasElement }) => {
    const canvas = await shadowCanvas(canvasElement, 'billing-plan-picker');
    await userEvent.click(await findButton(canvas, 'Choose Essentiel'));
    const dialog = await expectPreviewReady(canvas);
    await expect(within(dialog).getByRole('radio', { name: /^At the end of the period/ })).toBeChecked();
  },
  parameters: storyDescription(
    '“Choose Essentiel”: at the end of the period by default. Every figure is over Essentiel’s limits ' +
      '(`usage_exceeds_new_limit`, nothing is deleted) and E-invoicing, which comes with Pro, goes (`modules_will_be_removed`).',
  ),
};

export const ScheduledChange: Story = {
  render: () => picker(endpoints.scheduled),
  parameters: storyDescription('A downgrade to Essentiel is scheduled for the end of the period: a banner with a cancel button.'),
};

export const ReadOnly: Story = {
  render: () => picker(endpoints.readOnly),
  parameters: storyDescription('`permissions.changePlan` false: the comparison and the recommendation, no buttons.'),
};

export const Loading: Story = {
  render: () => picker(endpoints.loading),
  parameters: storyDescription('A request that never completes: three card-shaped skeletons.'),
};

export const Empty: Story = {
  render: () => picker(endpoints.empty),
  play: async ({ canvasElement }) => {
    const canvas = await shadowCanvas(canvasElement, 'billing-plan-picker');
    await expect(await canvas.findByText('No plans are available.', {}, { timeout: 5_000 })).toBeVisible();
  },
  parameters: storyDescription('The endpoint lists no plans (none on sale to this customer): says so.'),
};

export const ServerError: Story = {
  render: () => picker(endpoints.serverError),
  parameters: storyDescription('A 500 problem+json: localized message, retry, the `support-url` link and a diagnostic with the request id.'),
};

export const InvalidResponse: Story = {
  render: () => picker(endpoints.invalidResponse),
  parameters: storyDescription('A 200 whose body breaks the contract: the client rejects it as `invalid_response`.'),
};

export const French: Story = {
  render: () => html`<billing-plan-picker now=${AS_OF} lang="fr" .client=${endpoints.french}></billing-plan-picker>`,
  globals: { locale: 'fr' },
  parameters: storyDescription('`lang="fr"`: French strings, prices, numbers and dates; descriptions come from the endpoint.'),
};

export const Dark: Story = {
  render: () => picker(endpoints.dark),
  globals: { theme: 'dark' },
  parameters: storyDescription('A page with `color-scheme: dark`: the element follows with `light-dark()`.'),
};

export const Themed: Story = {
  render: () => html`
    <style>
      .brand {
        --billing-color-accent: light-dark(#0f766e, #5eead4);
        --billing-font: Georgia, 'DejaVu Serif', serif;
        --billing-radius: 2px;
        --billing-plan-picker-card-background: light-dark(#f6fbfa, #10211f);
        --billing-plan-picker-card-border: light-dark(#b9d9d4, #2b4a46);
        --billing-plan-picker-card-min-width: 15rem;
        --billing-plan-picker-current-color: light-dark(#0f766e, #5eead4);
        --billing-plan-picker-recommended-color: light-dark(#b45309, #fbbf24);
      }
      .brand billing-plan-picker::part(price) {
        font-size: 1.6em;
        letter-spacing: -0.01em;
      }
      .brand billing-plan-picker::part(recommendation) {
        font-style: italic;
      }
    </style>
    <div class="brand">${picker(endpoints.themed)}</div>
  `,
  parameters: storyDescription(
    'A brand of its own, set on an ancestor: system tokens (`--billing-color-accent`, `--billing-font`, `--billing-radius`), element tokens ' +
      '(`--billing-plan-picker-*`: card background and border, narrowest card, current and recommended colours) and ' +
      '`::part(price)` / `::part(recommendation)` rules.',
  ),
};

export const ScheduledBillingPeriodSwitch: Story = {
  render: () => picker(endpoints.yearlyScheduled),
  parameters: storyDescription(
    'Pro stays, billed yearly from the end of the period: the banner says when yearly billing starts, with a cancel button.',
  ),
};

export const OpenPreviewAndCancel: Story = {
  render: () => picker(endpoints.cancelPreview),
  play: async ({ canvasElement }) => {
    const canvas = await shadowCanvas(canvasElement, 'billing-plan-picker');
    const choose = await findButton(canvas, 'Choose Entreprise');
    await userEvent.click(choose);
    const dialog = await expectPreviewReady(canvas);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(dialog).not.toHaveAttribute('open'));
    await waitFor(() => expect(focusedIn(canvasElement, 'billing-plan-picker')).toBe(choose));
    // Nothing was committed: Entreprise can still be chosen.
    await expect(await findButton(canvas, 'Choose Entreprise')).toBeVisible();
  },
  parameters: storyDescription(
    '“Choose Entreprise” opens the preview; “Cancel” closes it with nothing sent but the preview, and the focus goes back ' +
      'to the button. The plan is still Pro.',
  ),
};

export const RetryAfterError: Story = {
  render: () => picker(endpoints.retry),
  play: async ({ canvasElement }) => {
    const canvas = await shadowCanvas(canvasElement, 'billing-plan-picker');
    await retryAfterError(canvas, () => expect(canvas.getByRole('button', { name: 'Choose Entreprise' })).toBeVisible());
  },
  parameters: storyDescription('A 500 to the first read, then the data: “Try again” in the error state loads it (once per page load: reload the page to see the error again).'),
};
