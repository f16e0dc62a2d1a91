import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import type { BillingClient } from '../src/index.js';
import { fakeBillingClient } from './support/fake-endpoint.js';
import { AS_OF } from './support/fixtures.js';
import { findButton, retryAfterError, shadowCanvas, type ShadowQueries } from './support/play.js';

const SUPPORT_URL = 'https://support.example.com/billing';
const TIMEOUT = { timeout: 5_000 };

/*
 * The demo business's invoices (see `invoiceHistory` in the fake endpoint), newest first:
 * F-2026-0011 for the current period is open, F-2026-0010 is the latest paid one, F-2026-0003
 * carries the prorations of the upgrade to Pro and F-2026-0001 was voided.
 */
const OPEN_INVOICE = 'F-2026-0011';
const LATEST_PAID_INVOICE = 'F-2026-0010';
const PRORATED_INVOICE = 'F-2026-0003';

/**
 * One fake endpoint per story, made once: revisiting a story reuses its data (and what its
 * play function did) until the page reloads.
 */
const endpoints = {
  seeded: fakeBillingClient(),
  expanded: fakeBillingClient(),
  proration: fakeBillingClient(),
  filteredPaid: fakeBillingClient(),
  openInvoice: fakeBillingClient(),
  pastDue: fakeBillingClient({ status: 'past_due' }),
  pastDueNarrow: fakeBillingClient({ status: 'past_due' }),
  many: fakeBillingClient({ invoiceCount: 60 }),
  empty: fakeBillingClient({ invoiceCount: 0 }),
  emptyFiltered: fakeBillingClient(),
  narrow: fakeBillingClient(),
  loading: fakeBillingClient({ delay: 'forever' }),
  serverError: fakeBillingClient({ fail: 'server-error' }),
  invalidResponse: fakeBillingClient({ fail: 'invalid-response' }),
  french: fakeBillingClient({ language: 'fr' }),
  dark: fakeBillingClient(),
  themed: fakeBillingClient(),
  notAllowed: fakeBillingClient({ viewInvoices: false }),
  noSubscription: fakeBillingClient({ noSubscription: true }),
  retry: fakeBillingClient({ fail: 'server-error-once' }),
};

const table = (client: BillingClient, { pageSize, lang }: { pageSize?: number; lang?: string } = {}): TemplateResult =>
  html`<billing-invoice-table
    now=${AS_OF}
    .client=${client}
    page-size=${ifDefined(pageSize)}
    lang=${ifDefined(lang)}
    support-url=${SUPPORT_URL}
  ></billing-invoice-table>`;

/** The table's queries once its first page has arrived (the first row's "Details" button is there). */
async function loadedTable(canvasElement: HTMLElement, firstInvoice = OPEN_INVOICE, details = 'Details'): Promise<ShadowQueries> {
  const canvas = await shadowCanvas(canvasElement, 'billing-invoice-table');
  await findButton(canvas, `${details} ${firstInvoice}`);
  return canvas;
}

/** Opens an invoice's lines and waits until they have arrived (their total row). */
async function expand(canvas: ShadowQueries, number: string, labels = { details: 'Details', total: 'Total' }): Promise<HTMLElement> {
  const button = await findButton(canvas, `${labels.details} ${number}`);
  await userEvent.click(button);
  await waitFor(() => expect(button).toHaveAttribute('aria-expanded', 'true'));
  const lines = await canvas.findByRole('table', { name: number }, TIMEOUT);
  await within(lines).findByRole('rowheader', { name: labels.total }, TIMEOUT);
  return lines;
}

/** Chooses a status in the filter bar and waits for the first page of that filter. */
async function filterByStatus(canvas: ShadowQueries, status: string, label = 'Status'): Promise<void> {
  await userEvent.selectOptions(await canvas.findByRole('combobox', { name: label }, TIMEOUT), status);
}

const meta: Meta = {
  title: 'Elements/Invoice table',
  component: 'billing-invoice-table',
  render: () => table(endpoints.seeded),
  parameters: {
    // Six columns need room: below 40rem the element lays each invoice out as a card (see Narrow).
    maxWidth: '64rem',
  },
};
export default meta;

type Story = StoryObj;

const storyDescription = (story: string) => ({ docs: { description: { story } } });

export const Default: Story = {
  parameters: storyDescription(
    'The first 12 of the demo business’s 14 invoices, newest first: the current one open with its amount and due ' +
      'date and a “Pay” link, the voided one marked “Cancelled”, and “Load more” for the rest. “PDF” downloads a ' +
      'specimen file named after the invoice; “Export CSV” downloads the invoices shown.',
  ),
};

export const Expanded: Story = {
  render: () => table(endpoints.expanded),
  play: async ({ canvasElement }) => {
    const canvas = await loadedTable(canvasElement);
    const lines = await expand(canvas, LATEST_PAID_INVOICE);
    await expect(within(lines).getByRole('rowheader', { name: /Accounting export/ })).toBeVisible();
  },
  parameters: storyDescription(
    '“Details” on the latest paid invoice: its lines (Pro, E-signature, Accounting export) with the period each ' +
      'covers, and the total.',
  ),
};

export const ProrationLines: Story = {
  render: () => table(endpoints.proration),
  play: async ({ canvasElement }) => {
    const canvas = await loadedTable(canvasElement);
    const lines = await expand(canvas, PRORATED_INVOICE);
    await expect(within(lines).getByRole('rowheader', { name: /Unused time on Essentiel/ })).toBeVisible();
  },
  parameters: storyDescription(
    'The invoice after the upgrade from Essentiel to Pro: a credit for the unused part of Essentiel and a charge for ' +
      'the rest of that period on Pro (both dated 2–14 March), then the first full month on Pro. The lines add up to ' +
      'the total.',
  ),
};

export const FilteredPaid: Story = {
  render: () => table(endpoints.filteredPaid),
  play: async ({ canvasElement }) => {
    const canvas = await loadedTable(canvasElement);
    await filterByStatus(canvas, 'paid');
    await waitFor(() => {
      expect(canvas.queryByRole('rowheader', { name: OPEN_INVOICE })).toBeNull();
      expect(canvas.getByRole('rowheader', { name: LATEST_PAID_INVOICE })).toBeVisible();
    }, TIMEOUT);
    await expect(canvas.getByText('12 invoices shown')).toBeVisible();
  },
  parameters: storyDescription(
    'Status “Paid”: the list starts again from the first page of paid invoices (`GET /v1/invoices?status=paid`), ' +
      'without the open and the voided one.',
  ),
};

export const OpenInvoiceWithPayLink: Story = {
  render: () => table(endpoints.openInvoice),
  play: async ({ canvasElement }) => {
    const canvas = await loadedTable(canvasElement);
    await filterByStatus(canvas, 'open');
    await waitFor(() => expect(canvas.getByText('1 invoice shown')).toBeVisible(), TIMEOUT);
    const pay = canvas.getByRole('link', { name: `Pay ${OPEN_INVOICE}` });
    await expect(pay).toHaveAttribute('href', `https://billing.example.com/invoices/inv_2026_0011/pay`);
  },
  parameters: storyDescription(
    'Status “Open”: the current period’s invoice, not yet collected — the amount due with its due date, and “Pay”, ' +
      'a link to the hosted invoice page the endpoint gave (`hostedUrl`; only http(s) links are followed).',
  ),
};

export const PastDue: Story = {
  render: () => table(endpoints.pastDue),
  play: async ({ canvasElement }) => {
    const canvas = await loadedTable(canvasElement);
    const row = canvas.getByRole('rowheader', { name: OPEN_INVOICE }).closest('tr')!;
    await expect(row).toHaveAttribute('data-status', 'open');
    await expect(within(row).getByText(/€\d+\.\d\d due by/)).toBeVisible();
    const pay = within(row).getByRole('link', { name: `Pay ${OPEN_INVOICE}` });
    await expect(pay).toHaveAttribute('href', 'https://billing.example.com/invoices/inv_2026_0011/pay');
  },
  parameters: storyDescription(
    'The renewal that opened this period could not be charged (the subscription is `past_due`): its invoice, ' +
      'first, stands out — tinted, with a bar, the amount due and its date under the total — and “Pay”, the one ' +
      'filled action of the table, opens the endpoint’s hosted page to pay it (`hostedUrl`).',
  ),
};

export const PastDueNarrow: Story = {
  render: () => html`<div style="width: 360px; max-width: 100%">${table(endpoints.pastDueNarrow)}</div>`,
  play: async ({ canvasElement }) => {
    const canvas = await loadedTable(canvasElement);
    await expect(canvas.getByRole('link', { name: `Pay ${OPEN_INVOICE}` })).toBeVisible();
  },
  parameters: storyDescription('The same in a 360px container: the open invoice’s card stands out, with “Pay” among its actions.'),
};

export const LoadMore: Story = {
  render: () => table(endpoints.many, { pageSize: 5 }),
  play: async ({ canvasElement }) => {
    const canvas = await loadedTable(canvasElement);
    await expect(canvas.getByText('5 invoices shown')).toBeVisible();
    await userEvent.click(await findButton(canvas, 'Load more'));
    await waitFor(() => expect(canvas.getByText('10 invoices shown')).toBeVisible(), TIMEOUT);
    await expect(await findButton(canvas, 'Load more')).toBeEnabled();
  },
  parameters: storyDescription(
    'Five years of invoices (60) with `page-size="5"`: “Load more” was clicked once and follows `nextCursor` for the ' +
      'next five; the button stays while there are more.',
  ),
};

export const Empty: Story = {
  render: () => table(endpoints.empty),
  parameters: storyDescription('An account with no invoice yet: the filters stay, “Export CSV” is disabled.'),
};

export const EmptyFiltered: Story = {
  render: () => table(endpoints.emptyFiltered),
  play: async ({ canvasElement }) => {
    const canvas = await loadedTable(canvasElement);
    await filterByStatus(canvas, 'uncollectible');
    await canvas.findByText('No invoices match these filters.', {}, TIMEOUT);
  },
  parameters: storyDescription('Status “Uncollectible”, which no invoice has: a message that says the filters are the reason.'),
};

export const Narrow: Story = {
  render: () => html`<div style="width: 360px; max-width: 100%">${table(endpoints.narrow)}</div>`,
  parameters: storyDescription(
    'In a 360px container (a phone, a sidebar) each invoice is a card: number and amount, date and status, period, ' +
      'then the actions. The element follows its own width (a container query), not the viewport’s.',
  ),
};

export const Loading: Story = {
  render: () => table(endpoints.loading),
  parameters: storyDescription('A request that never completes: row-shaped skeletons.'),
};

export const ServerError: Story = {
  render: () => table(endpoints.serverError),
  parameters: storyDescription('A 500 problem+json: localized message, retry, the `support-url` link and a diagnostic with the request id.'),
};

export const InvalidResponse: Story = {
  render: () => table(endpoints.invalidResponse),
  parameters: storyDescription('A 200 whose body breaks the contract: the client rejects it as `invalid_response`.'),
};

export const French: Story = {
  render: () => table(endpoints.french, { lang: 'fr' }),
  globals: { locale: 'fr' },
  play: async ({ canvasElement }) => {
    const canvas = await loadedTable(canvasElement, OPEN_INVOICE, 'Détail');
    await expand(canvas, PRORATED_INVOICE, { details: 'Détail', total: 'Total' });
  },
  parameters: storyDescription(
    '`lang="fr"`: French strings, amounts and dates; line descriptions come from the endpoint (here a fake answering ' +
      'in French), with the lines of the invoice after the upgrade shown.',
  ),
};

export const Dark: Story = {
  render: () => table(endpoints.dark),
  globals: { theme: 'dark' },
  play: async ({ canvasElement }) => {
    await expand(await loadedTable(canvasElement), LATEST_PAID_INVOICE);
  },
  parameters: storyDescription('A page with `color-scheme: dark`: the element follows with `light-dark()`. The latest paid invoice’s lines are shown.'),
};

export const Themed: Story = {
  render: () => html`
    <style>
      .brand {
        --billing-color-accent: light-dark(#0f766e, #5eead4);
        --billing-color-muted: light-dark(#4b5d5a, #a3b8b4);
        --billing-font: Georgia, 'DejaVu Serif', serif;
        --billing-radius: 2px;
        --billing-invoice-table-row-border: light-dark(#b9d9d4, #2b4a46);
        --billing-invoice-table-header-color: light-dark(#0f766e, #5eead4);
        --billing-invoice-table-lines-background: light-dark(#f0f8f6, #10211f);
      }
      .brand billing-invoice-table::part(badge) {
        text-transform: uppercase;
        letter-spacing: 0.04em;
      }
    </style>
    <div class="brand">${table(endpoints.themed)}</div>
  `,
  play: async ({ canvasElement }) => {
    await expand(await loadedTable(canvasElement), LATEST_PAID_INVOICE);
  },
  parameters: storyDescription(
    'A brand of its own, set on an ancestor: system tokens (`--billing-color-accent`, `--billing-color-muted`, `--billing-font`, ' +
      '`--billing-radius`), the element’s tokens (`--billing-invoice-table-row-border`, `-header-color`, ' +
      '`-lines-background`, seen in the open lines) and a `::part(badge)` rule.',
  ),
};

export const NotAllowed: Story = {
  render: () => table(endpoints.notAllowed),
  play: async ({ canvasElement }) => {
    const canvas = await shadowCanvas(canvasElement, 'billing-invoice-table');
    await expect(await canvas.findByText('You are not allowed to do this.', {}, TIMEOUT)).toBeVisible();
    await expect(canvas.queryByRole('table')).toBeNull();
  },
  parameters: storyDescription('A user without `permissions.viewInvoices`: a sentence instead of the table, and no invoice is requested.'),
};

export const NoSubscription: Story = {
  render: () => table(endpoints.noSubscription),
  play: async ({ canvasElement }) => {
    const canvas = await loadedTable(canvasElement);
    await expect(canvas.getByRole('rowheader', { name: LATEST_PAID_INVOICE })).toBeVisible();
    await expect(canvas.queryByRole('alert')).toBeNull();
  },
  parameters: storyDescription(
    'A customer without a subscription (404 `no_subscription` to its read), a former one for instance: the invoices they were billed are still listed, as the endpoint allows invoices to a customer without one.',
  ),
};

export const RetryAfterError: Story = {
  render: () => table(endpoints.retry),
  play: async ({ canvasElement }) => {
    const canvas = await shadowCanvas(canvasElement, 'billing-invoice-table');
    await retryAfterError(canvas, () => expect(canvas.getByRole('rowheader', { name: OPEN_INVOICE })).toBeVisible());
  },
  parameters: storyDescription('A 500 to the first read, then the data: “Try again” in the error state loads it (once per page load: reload the page to see the error again).'),
};
