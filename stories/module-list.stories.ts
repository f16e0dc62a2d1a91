import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, type TemplateResult } from 'lit';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import type { BillingClient } from '../src/index.js';
import { SCHEDULED_DOWNGRADE, SCHEDULED_EXPORT_STOP, fakeBillingClient } from './support/fake-endpoint.js';
import { AS_OF, catalogModules } from './support/fixtures.js';
import { expectPreviewReady, findButton, focusedIn, retryAfterError, shadowCanvas } from './support/play.js';

const SUPPORT_URL = 'https://support.example.com/billing';

/**
 * One fake endpoint per story, made once: revisiting a story reuses its data, and what is
 * activated or cancelled in one story stays in that story until the page reloads.
 */
const endpoints = {
  seeded: fakeBillingClient(),
  // Essentiel, with E-signature off: every reason a module can be blocked, at once.
  blocked: fakeBillingClient({ planId: 'essentiel', moduleIds: ['accounting-export'] }),
  unused: fakeBillingClient({
    modules: catalogModules.map((module) =>
      module.id === 'e-signature' ? { ...module, lastUsedAt: null, usageCount30d: 0 } : module,
    ),
  }),
  scheduled: fakeBillingClient({ scheduled: [SCHEDULED_EXPORT_STOP] }),
  scheduledDowngrade: fakeBillingClient({ scheduled: [SCHEDULED_DOWNGRADE, SCHEDULED_EXPORT_STOP] }),
  readOnly: fakeBillingClient({ readOnly: true }),
  activate: fakeBillingClient(),
  deactivate: fakeBillingClient(),
  dependents: fakeBillingClient({
    moduleIds: ['e-signature', 'accounting-export', 'auto-reminders'],
    // In use (no last-use date, as for E-signature), so that only Accounting export is flagged unused.
    modules: catalogModules.map((module) =>
      module.id === 'auto-reminders' ? { ...module, lastUsedAt: undefined, usageCount30d: 17 } : module,
    ),
  }),
  loading: fakeBillingClient({ delay: 'forever' }),
  empty: fakeBillingClient({ modules: [] }),
  serverError: fakeBillingClient({ fail: 'server-error' }),
  invalidResponse: fakeBillingClient({ fail: 'invalid-response' }),
  french: fakeBillingClient({ language: 'fr' }),
  dark: fakeBillingClient(),
  keyboard: fakeBillingClient(),
  changedElsewhere: fakeBillingClient({ changedElsewhere: true }),
  retry: fakeBillingClient({ fail: 'server-error-once' }),
};

const list = (client: BillingClient): TemplateResult =>
  html`<billing-module-list now=${AS_OF} .client=${client} support-url=${SUPPORT_URL}></billing-module-list>`;

const meta: Meta = {
  title: 'Elements/Module list',
  component: 'billing-module-list',
  render: () => list(endpoints.seeded),
};
export default meta;

type Story = StoryObj;

const storyDescription = (story: string) => ({ docs: { description: { story } } });

export const Default: Story = {
  parameters: storyDescription(
    'The seeded account on Pro: E-invoicing comes with the plan, E-signature and Accounting export are paid for, ' +
      'Multi-currency needs Entreprise and Automatic reminders can be activated.',
  ),
};

export const BlockedModules: Story = {
  render: () => list(endpoints.blocked),
  parameters: storyDescription(
    'On Essentiel without E-signature: E-invoicing is not sold on its own, Multi-currency needs another plan (with a ' +
      'button to choose it) and Automatic reminders needs E-signature (with a button that moves to it). The reasons ' +
      'show before any click.',
  ),
};

export const UnusedModuleFlag: Story = {
  render: () => list(endpoints.unused),
  parameters: storyDescription(
    'A paid module last used more than 30 days ago is flagged: Accounting export (45 days). E-signature, never used, says so without a warning: with no activation date in the contract, it may have been activated a moment ago.',
  ),
};

export const ScheduledChange: Story = {
  render: () => list(endpoints.scheduled),
  parameters: storyDescription('Accounting export stops at the end of the period: a dated badge and a button to cancel the change.'),
};

export const ScheduledDowngrade: Story = {
  render: () => list(endpoints.scheduledDowngrade),
  parameters: storyDescription(
    'A downgrade to Essentiel is scheduled as well: E-invoicing, which comes with Pro, will go with it at the end of ' +
      'the period, so the endpoint reports it as `deactivation_scheduled` although no scheduled change names it.',
  ),
};

export const ReadOnly: Story = {
  render: () => list(endpoints.readOnly),
  parameters: storyDescription('`permissions.manageModules` and `changePlan` false: the same information, no action buttons.'),
};

export const ActivateDialog: Story = {
  render: () => list(endpoints.activate),
  play: async ({ canvasElement }) => {
    const canvas = await shadowCanvas(canvasElement, 'billing-module-list');
    await userEvent.click(await findButton(canvas, 'Activate Automatic reminders'));
    const dialog = await expectPreviewReady(canvas);
    await expect(within(dialog).getByRole('heading', { name: 'Activate Automatic reminders?' })).toBeVisible();
  },
  parameters: storyDescription(
    '“Activate” on Automatic reminders: the dialog previews the prorated charge for the rest of the period, the amount ' +
      'due now and the next invoice before anything is committed. A module starts now, so there is no timing to choose.',
  ),
};

export const DeactivateDialog: Story = {
  render: () => list(endpoints.deactivate),
  play: async ({ canvasElement }) => {
    const canvas = await shadowCanvas(canvasElement, 'billing-module-list');
    await userEvent.click(await findButton(canvas, 'Deactivate Accounting export'));
    await expectPreviewReady(canvas);
  },
  parameters: storyDescription(
    '“Deactivate” on the unused Accounting export: at the end of the period by default (it is paid for), or now with a ' +
      'credit; the cost of each timing is in its label.',
  ),
};

export const DeactivateWithDependents: Story = {
  render: () => list(endpoints.dependents),
  play: async ({ canvasElement }) => {
    const canvas = await shadowCanvas(canvasElement, 'billing-module-list');
    await userEvent.click(await findButton(canvas, 'Deactivate E-signature'));
    const dialog = await expectPreviewReady(canvas);
    await waitFor(() => expect(within(dialog).getByText(/Automatic reminders/)).toBeVisible());
  },
  parameters: storyDescription(
    'Automatic reminders needs E-signature: deactivating E-signature warns that Automatic reminders goes too (`modules_will_be_removed`).',
  ),
};

export const Loading: Story = {
  render: () => list(endpoints.loading),
  parameters: storyDescription('A request that never completes: the skeleton has the shape of the rows.'),
};

export const Empty: Story = {
  render: () => list(endpoints.empty),
  parameters: storyDescription('The endpoint offers no modules.'),
};

export const ServerError: Story = {
  render: () => list(endpoints.serverError),
  parameters: storyDescription('A 500 problem+json: localized message, retry, the `support-url` link and a diagnostic with the request id.'),
};

export const InvalidResponse: Story = {
  render: () => list(endpoints.invalidResponse),
  parameters: storyDescription('A 200 whose body breaks the contract: the client rejects it as `invalid_response`.'),
};

export const French: Story = {
  render: () => html`<billing-module-list now=${AS_OF} lang="fr" .client=${endpoints.french}></billing-module-list>`,
  globals: { locale: 'fr' },
  parameters: storyDescription(
    '`lang="fr"`: French strings, prices and dates. Module names and descriptions come from the endpoint (here a fake answering in French).',
  ),
};

export const Dark: Story = {
  render: () => list(endpoints.dark),
  globals: { theme: 'dark' },
  parameters: storyDescription('A page with `color-scheme: dark`: the element follows with `light-dark()`.'),
};

export const OpenPreviewAndCancel: Story = {
  render: () => list(endpoints.keyboard),
  play: async ({ canvasElement, step }) => {
    const canvas = await shadowCanvas(canvasElement, 'billing-module-list');
    const activate = await findButton(canvas, 'Activate Automatic reminders');
    const focused = () => focusedIn(canvasElement, 'billing-module-list');
    await step('Enter on “Activate” opens the preview, and the focus moves into the dialog', async () => {
      activate.focus();
      await userEvent.keyboard('{Enter}');
    });
    const dialog = await expectPreviewReady(canvas);
    await waitFor(() => expect(dialog.contains(focused())).toBe(true));
    await step('“Cancel” closes it with nothing committed, and the focus is back on the button', async () => {
      await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
      await waitFor(() => expect(dialog).not.toHaveAttribute('open'));
      await waitFor(() => expect(focused()).toBe(activate));
      await expect(await findButton(canvas, 'Activate Automatic reminders')).toBeVisible();
    });
  },
  parameters: storyDescription(
    'Enter on “Activate Automatic reminders” opens the preview in a modal dialog, which takes the focus; “Cancel” ' +
      'closes it with nothing committed and the focus returns to the button that opened it. (Tab and Escape are the ' +
      'native dialog’s: the browser and end-to-end suites press those keys for real.)',
  ),
};

export const ChangedElsewhere: Story = {
  render: () => list(endpoints.changedElsewhere),
  play: async ({ canvasElement, step }) => {
    const canvas = await shadowCanvas(canvasElement, 'billing-module-list');
    await userEvent.click(await findButton(canvas, 'Activate Automatic reminders'));
    const dialog = await expectPreviewReady(canvas);
    await step('Confirm: the subscription changed elsewhere meanwhile (412)', async () => {
      await userEvent.click(await findButton(within(dialog), 'Confirm'));
      await expect(
        await within(dialog).findByText(
          'Your subscription was changed elsewhere. The latest state is shown; review it before confirming again.',
          {},
          { timeout: 5_000 },
        ),
      ).toBeVisible();
    });
    await step('The change is priced again on the current state, and confirmed', async () => {
      await expectPreviewReady(canvas);
      await userEvent.click(await findButton(within(dialog), 'Confirm'));
      await expect(await canvas.findByText('Automatic reminders is now active.', {}, { timeout: 5_000 })).toBeVisible();
    });
  },
  parameters: storyDescription(
    'The subscription changes in another tab while the preview is open: Confirm answers 412 `version_conflict`, the ' +
      'dialog says so in words, prices the change again on the current state, and a second Confirm goes through.',
  ),
};

export const RetryAfterError: Story = {
  render: () => list(endpoints.retry),
  play: async ({ canvasElement }) => {
    const canvas = await shadowCanvas(canvasElement, 'billing-module-list');
    await retryAfterError(canvas, () => expect(canvas.getByRole('button', { name: 'Activate Automatic reminders' })).toBeVisible());
  },
  parameters: storyDescription('A 500 to the first read, then the data: “Try again” in the error state loads it (once per page load: reload the page to see the error again).'),
};
