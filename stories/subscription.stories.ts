import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { expect, userEvent, waitFor } from 'storybook/test';
import type { BillingClient } from '../src/index.js';
import {
  FAKE_REQUEST_ID,
  SCHEDULED_DOWNGRADE,
  SCHEDULED_EXPORT_STOP,
  SCHEDULED_YEARLY,
  fakeBillingClient,
} from './support/fake-endpoint.js';
import { AS_OF } from './support/fixtures.js';
import { findButton, retryAfterError, shadowCanvas } from './support/play.js';

const SUPPORT_URL = 'https://support.example.com/billing';
const TIMEOUT = { timeout: 5_000 };

/**
 * One fake endpoint per story, made once: revisiting a story reuses its data, and a change
 * cancelled in one story stays cancelled in that story until the page reloads. The renewal
 * that opened the current period is paid unless the story is about a failed payment.
 */
const endpoints = {
  active: fakeBillingClient({ renewal: 'paid' }),
  // €23.50 left from an earlier downgrade made mid-period.
  credit: fakeBillingClient({ renewal: 'paid', creditBalance: 2350 }),
  downgrade: fakeBillingClient({ renewal: 'paid', scheduled: [SCHEDULED_DOWNGRADE] }),
  cancelDowngrade: fakeBillingClient({ renewal: 'paid', scheduled: [SCHEDULED_DOWNGRADE] }),
  yearly: fakeBillingClient({ renewal: 'paid', scheduled: [SCHEDULED_YEARLY] }),
  // The pay link stays in the story's frame.
  pastDue: fakeBillingClient({ status: 'past_due', payUrl: '#pay' }),
  // A trial has not been invoiced yet.
  trial: fakeBillingClient({ status: 'trialing', invoiceCount: 0 }),
  readOnly: fakeBillingClient({ renewal: 'paid', readOnly: true, scheduled: [SCHEDULED_DOWNGRADE, SCHEDULED_EXPORT_STOP] }),
  loading: fakeBillingClient({ delay: 'forever' }),
  serverError: fakeBillingClient({ fail: 'server-error' }),
  french: fakeBillingClient({ renewal: 'paid', language: 'fr', creditBalance: 2350, scheduled: [SCHEDULED_EXPORT_STOP] }),
  dark: fakeBillingClient({ renewal: 'paid', scheduled: [SCHEDULED_DOWNGRADE] }),
  noSubscription: fakeBillingClient({ noSubscription: true }),
  invalidResponse: fakeBillingClient({ fail: 'invalid-response' }),
  retry: fakeBillingClient({ fail: 'server-error-once', renewal: 'paid' }),
};

const summary = (client: BillingClient, lang?: string): TemplateResult =>
  html`<billing-subscription now=${AS_OF} .client=${client} lang=${ifDefined(lang)} support-url=${SUPPORT_URL}></billing-subscription>`;

const meta: Meta = {
  title: 'Elements/Subscription',
  component: 'billing-subscription',
  render: () => summary(endpoints.active),
  parameters: {
    // A summary for a header or a settings page's side column.
    maxWidth: '30rem',
  },
};
export default meta;

type Story = StoryObj;

const storyDescription = (story: string) => ({ docs: { description: { story } } });

export const Active: Story = {
  parameters: storyDescription(
    'The seeded account: Pro billed monthly and active, €70.00 a month with E-signature and Accounting export, and ' +
      'the next invoice on Dec 14, 2026, whose breakdown opens below.',
  ),
};

export const WithCreditBalance: Story = {
  render: () => summary(endpoints.credit),
  play: async ({ canvasElement }) => {
    const canvas = await shadowCanvas(canvasElement, 'billing-subscription');
    await userEvent.click(await canvas.findByText('Breakdown of the next invoice', { selector: 'summary' }, TIMEOUT));
    await expect(await canvas.findByText('Credit balance applied')).toBeVisible();
  },
  parameters: storyDescription(
    'A credit balance of €23.50 is listed and taken off the next invoice (€46.50 instead of €70.00); the breakdown is ' +
      'opened to show the “Credit balance applied” line.',
  ),
};

export const ScheduledDowngrade: Story = {
  render: () => summary(endpoints.downgrade),
  parameters: storyDescription(
    'A change to Essentiel is scheduled for the end of the period: it is listed with a “Cancel this change” button, and ' +
      'the next invoice is already Essentiel’s.',
  ),
};

export const CancelScheduledDowngrade: Story = {
  render: () => summary(endpoints.cancelDowngrade),
  play: async ({ canvasElement }) => {
    const canvas = await shadowCanvas(canvasElement, 'billing-subscription');
    await userEvent.click(await findButton(canvas, /^Cancel this change/));
    await expect(await canvas.findByText('The scheduled change was cancelled.', {}, TIMEOUT)).toBeVisible();
    await waitFor(() => expect(canvas.queryByText(/Change to Essentiel/)).toBeNull(), TIMEOUT);
  },
  parameters: storyDescription(
    'The scheduled downgrade, cancelled: a confirmation replaces the list of scheduled changes and the next invoice is ' +
      'Pro’s again.',
  ),
};

export const ScheduledBillingPeriodSwitch: Story = {
  render: () => summary(endpoints.yearly),
  parameters: storyDescription(
    'Pro stays, billed yearly from the end of the period: the scheduled change reads “Yearly billing from Dec 14, 2026”, ' +
      'and the next invoice is a year’s (€700.00).',
  ),
};

export const PastDue: Story = {
  render: () => summary(endpoints.pastDue),
  parameters: storyDescription(
    'The renewal could not be charged: the status reads “Payment due” and a banner gives the amount that failed with a ' +
      'link to pay the open invoice (its `hostedUrl`).',
  ),
};

export const Trial: Story = {
  render: () => summary(endpoints.trial),
  parameters: storyDescription('A subscription in its trial: the status reads “Trial” and a banner says when the trial ends.'),
};

export const ReadOnly: Story = {
  render: () => summary(endpoints.readOnly),
  play: async ({ canvasElement }) => {
    const canvas = await shadowCanvas(canvasElement, 'billing-subscription');
    await canvas.findByText('Scheduled changes', {}, TIMEOUT);
    await expect(canvas.queryAllByRole('button')).toHaveLength(0);
  },
  parameters: storyDescription(
    'A user without `changePlan` and `manageModules` permissions: the two scheduled changes are listed without cancel buttons.',
  ),
};

export const Loading: Story = {
  render: () => summary(endpoints.loading),
  parameters: storyDescription('A request that never completes: a skeleton the shape of the card.'),
};

export const ServerError: Story = {
  render: () => summary(endpoints.serverError),
  play: async ({ canvasElement }) => {
    const canvas = await shadowCanvas(canvasElement, 'billing-subscription');
    await userEvent.click(await canvas.findByText('Details for support', {}, TIMEOUT));
    await expect(await canvas.findByText(new RegExp(FAKE_REQUEST_ID))).toBeVisible();
  },
  parameters: storyDescription(
    'A 500 problem+json: a localized message, a retry button, the support link, and “Details for support” opened on ' +
      'the diagnostic to copy (action, error code, request id, time).',
  ),
};

export const French: Story = {
  render: () => summary(endpoints.french, 'fr'),
  globals: { locale: 'fr' },
  parameters: storyDescription(
    '`lang="fr"`: French strings, prices and dates, with a credit balance and Accounting export stopping at the end of ' +
      'the period. Module names and invoice lines come from the endpoint (here a fake answering in French).',
  ),
};

export const Dark: Story = {
  render: () => summary(endpoints.dark),
  globals: { theme: 'dark' },
  parameters: storyDescription('A page with `color-scheme: dark`, with a scheduled downgrade: the element follows with `light-dark()`.'),
};

export const NoSubscription: Story = {
  render: () => summary(endpoints.noSubscription),
  play: async ({ canvasElement }) => {
    const canvas = await shadowCanvas(canvasElement, 'billing-subscription');
    await expect(await canvas.findByText('There is no subscription on this account yet.', {}, TIMEOUT)).toBeVisible();
  },
  parameters: storyDescription('A customer without a subscription (404 `no_subscription`): says so, in words.'),
};

export const InvalidResponse: Story = {
  render: () => summary(endpoints.invalidResponse),
  parameters: storyDescription('A 200 whose body breaks the contract: the client rejects it as `invalid_response`.'),
};

export const RetryAfterError: Story = {
  render: () => summary(endpoints.retry),
  play: async ({ canvasElement }) => {
    const canvas = await shadowCanvas(canvasElement, 'billing-subscription');
    await retryAfterError(canvas, () => expect(canvas.getByText('Active')).toBeVisible());
  },
  parameters: storyDescription('A 500 to the first read, then the data: “Try again” in the error state loads it (once per page load: reload the page to see the error again).'),
};
