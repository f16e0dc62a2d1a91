import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { expect } from 'storybook/test';
import { html, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { BillingClient, StringOverrides as Overrides } from '../src/index.js';
import { fakeBillingClient } from './support/fake-endpoint.js';
import { AS_OF, STOCK_PERIOD_START, seededUsage, usageMetric } from './support/fixtures.js';
import { retryAfterError, shadowCanvas } from './support/play.js';

interface UsageMeterArgs {
  /** Only this metric; all when unset. */
  metric?: string | undefined;
}

const SUPPORT_URL = 'https://support.example.com/billing';

/**
 * One fake endpoint per state, made once: like a page with one client, revisiting a story
 * or changing its controls reuses the cached data instead of loading again.
 */
const endpoints = {
  seeded: fakeBillingClient(),
  nearLimit: fakeBillingClient({
    usage: [usageMetric({ metricKey: 'orders', name: 'Orders', unit: 'order', used: 262, limit: 300 })],
  }),
  reached: fakeBillingClient({
    usage: [usageMetric({ metricKey: 'orders', name: 'Orders', unit: 'order', used: 300, limit: 300 })],
  }),
  overLimit: fakeBillingClient({
    usage: [
      usageMetric({
        metricKey: 'clients',
        name: 'Clients',
        unit: 'client',
        used: 517,
        limit: 500,
        periodStart: STOCK_PERIOD_START,
        resetsAt: null,
      }),
    ],
  }),
  unlimited: fakeBillingClient({
    usage: [usageMetric({ metricKey: 'documents', name: 'Documents', unit: 'document', used: 2480, limit: null })],
  }),
  loading: fakeBillingClient({ delay: 'forever' }),
  empty: fakeBillingClient({ usage: [] }),
  serverError: fakeBillingClient({ fail: 'server-error' }),
  invalidResponse: fakeBillingClient({ fail: 'invalid-response' }),
  retry: fakeBillingClient({ fail: 'server-error-once' }),
};

const meter = (args: UsageMeterArgs, client: BillingClient | undefined): TemplateResult =>
  html`<billing-usage-meter now=${AS_OF} metric=${ifDefined(args.metric || undefined)} .client=${client}></billing-usage-meter>`;

const meta: Meta<UsageMeterArgs> = {
  title: 'Elements/Usage meter',
  component: 'billing-usage-meter',
  args: { metric: '(all)' },
  argTypes: {
    metric: {
      description: 'Show only this metric (`metric` attribute); all metrics when unset.',
      // A plain type: the manifest's `string | undefined` makes Storybook drop args from the URL.
      type: 'string',
      // `metric` is also the name of a CSS part; the attribute is the one with a control.
      table: { category: 'attributes' },
      control: 'select',
      options: ['(all)', ...seededUsage.map((metric) => metric.metricKey), 'storage'],
      mapping: { '(all)': undefined },
    },
  },
  render: (args) => meter(args, endpoints.seeded),
};
export default meta;

type Story = StoryObj<UsageMeterArgs>;

const storyDescription = (story: string) => ({ docs: { description: { story } } });

export const Default: Story = {
  parameters: storyDescription(
    'Every metric of the seeded account: a stock of clients that never resets, documents past the 80 % warning, orders within the limit.',
  ),
};

export const SingleMetric: Story = {
  args: { metric: 'documents' },
  parameters: storyDescription('`metric="documents"` shows one meter, e.g. next to the documents list.'),
};

export const NearLimit: Story = {
  render: (args) => meter(args, endpoints.nearLimit),
  parameters: storyDescription('Past the metric’s `warnAt` ratio (80 %): warning colour and a forecast date.'),
};

export const Reached: Story = {
  render: (args) => meter(args, endpoints.reached),
  parameters: storyDescription('Used equals the limit: danger colour, no forecast.'),
};

export const OverLimit: Story = {
  render: (args) => meter(args, endpoints.overLimit),
  parameters: storyDescription('More clients than the plan allows (e.g. after a downgrade): the bar stays full.'),
};

export const Unlimited: Story = {
  render: (args) => meter(args, endpoints.unlimited),
  parameters: storyDescription('`limit: null`: the figure alone, no bar.'),
};

export const Loading: Story = {
  render: (args) => meter(args, endpoints.loading),
  parameters: storyDescription('A request that never completes: the skeleton has the shape of the data, so nothing jumps.'),
};

export const Empty: Story = {
  render: (args) => meter(args, endpoints.empty),
  parameters: storyDescription('The endpoint lists no metrics.'),
};

export const UnknownMetric: Story = {
  args: { metric: 'storage' },
  parameters: storyDescription('`metric` names a metric the endpoint does not list.'),
};

export const ServerError: Story = {
  render: (args) =>
    html`<billing-usage-meter
      now=${AS_OF}
      metric=${ifDefined(args.metric || undefined)}
      support-url=${SUPPORT_URL}
      .client=${endpoints.serverError}
    ></billing-usage-meter>`,
  parameters: storyDescription(
    'A 500 problem+json: localized message, retry, the `support-url` link and a diagnostic with the request id.',
  ),
};

export const InvalidResponse: Story = {
  render: (args) => meter(args, endpoints.invalidResponse),
  parameters: storyDescription('A 200 whose body breaks the contract: the client rejects it as `invalid_response`.'),
};

export const NotConfigured: Story = {
  render: (args) => meter(args, undefined),
  parameters: storyDescription('No `base-url`, `client` or provider: says so instead of failing silently.'),
};

export const French: Story = {
  render: (args) =>
    html`<billing-usage-meter now=${AS_OF} lang="fr" metric=${ifDefined(args.metric || undefined)} .client=${endpoints.seeded}></billing-usage-meter>`,
  globals: { locale: 'fr' },
  parameters: storyDescription(
    '`lang="fr"` (or any ancestor’s, or the provider’s `locale`): French strings, numbers and dates. Metric names come from the endpoint as they are.',
  ),
};

export const Dark: Story = {
  globals: { theme: 'dark' },
  parameters: storyDescription('A page with `color-scheme: dark`: the elements follow with `light-dark()`, no attribute needed.'),
};

export const Themed: Story = {
  render: (args) => html`
    <style>
      .brand {
        --billing-color-accent: light-dark(#0f766e, #5eead4);
        --billing-color-warning: light-dark(#b45309, #fbbf24);
        --billing-font: Georgia, 'DejaVu Serif', serif;
        --billing-radius: 2px;
        --billing-space: 1.25rem;
        --billing-usage-meter-height: 0.75rem;
        --billing-usage-meter-track: light-dark(#ddefec, #1d3330);
        --billing-usage-meter-gap: 1.75rem;
      }
      .brand billing-usage-meter::part(fill) {
        background-image: repeating-linear-gradient(-45deg, transparent 0 6px, rgb(255 255 255 / 0.28) 6px 12px);
      }
      .brand billing-usage-meter::part(status) {
        text-transform: uppercase;
        letter-spacing: 0.06em;
        font-size: 0.75em;
      }
    </style>
    <div class="brand">${meter(args, endpoints.seeded)}</div>
  `,
  parameters: storyDescription(
    'A brand of its own, set on an ancestor: system tokens (`--billing-color-accent`, `--billing-font`, `--billing-radius`), element tokens ' +
      '(`--billing-usage-meter-*`) set on an ancestor, and `::part(fill)` / `::part(status)` rules.',
  ),
};

const overrides: Overrides = {
  usageTitle: 'Your plan',
  usageStatusWarning: 'Almost full',
  usageForecastReach: (date) => `You will run out around ${date}: upgrade to keep sending documents.`,
  usageNoReset: 'Counts every client on file',
};

export const StringOverrides: Story = {
  render: (args) =>
    html`<billing-usage-meter
      now=${AS_OF}
      metric=${ifDefined(args.metric || undefined)}
      .strings=${overrides}
      .client=${endpoints.seeded}
    ></billing-usage-meter>`,
  parameters: storyDescription('`.strings` replaces some of the visible strings (here in English only; a host passes its own per locale).'),
};

export const RetryAfterError: Story = {
  render: (args) => meter(args, endpoints.retry),
  play: async ({ canvasElement }) => {
    const canvas = await shadowCanvas(canvasElement, 'billing-usage-meter');
    await retryAfterError(canvas, () => expect(canvas.getAllByRole('meter')).toHaveLength(3));
  },
  parameters: storyDescription('A 500 to the first read, then the data: “Try again” in the error state loads it (once per page load: reload the page to see the error again).'),
};
