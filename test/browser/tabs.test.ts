/**
 * Live across tabs: a change made in one tab shows in the endpoint's other tabs at once,
 * without focus or reload (BroadcastChannel), and an older state never overwrites a newer one.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/define.js';
import type { BillingModuleList } from '../../src/index.js';
import { resetServer, waitForAnnouncement, waitForButton, waitForPreview } from '../support/billing-page.js';
import { TEST_NOW_ISO } from '../support/clock.js';
import { until } from '../support/dom.js';

/** Opens another tab on the same endpoint: a frame with its own document, store and requests. */
async function otherTab(baseUrl: string): Promise<BillingModuleList> {
  const frame = document.createElement('iframe');
  frame.src = `/test/browser/pages/other-tab.html?base-url=${encodeURIComponent(baseUrl)}&now=${encodeURIComponent(TEST_NOW_ISO)}`;
  frame.style.width = '900px';
  frame.style.height = '600px';
  document.body.append(frame);
  await until(() => frame.contentDocument?.querySelector('billing-module-list')?.shadowRoot?.querySelector('[part="module"]'), 'the other tab', 10_000);
  return frame.contentDocument!.querySelector('billing-module-list')!;
}

const state = (list: BillingModuleList, id: string) => list.shadowRoot!.getElementById(`module-${id}`)?.dataset.state;

describe('live across tabs', () => {
  beforeEach(resetServer);
  afterEach(() => document.querySelectorAll('iframe').forEach((frame) => frame.remove()));

  it('shows a module activated in one tab as active in the other, without focus or reload', async () => {
    // Both tabs at the same endpoint URL, as two tabs of one host page would be.
    const baseUrl = '/api/demo~tabs';
    const here = await fixture<HTMLElement>(html`<billing-provider now=${TEST_NOW_ISO} base-url=${baseUrl} lang="en">
      <billing-module-list></billing-module-list>
    </billing-provider>`);
    const list = here.querySelector('billing-module-list')!;
    const there = await otherTab(baseUrl);
    expect(state(there, 'auto-reminders')).to.equal('inactive');
    const before = there.ownerDocument.defaultView!.performance.getEntriesByType('resource').length;

    (await waitForButton(list, /^Activate Automatic reminders/)).click();
    const dialog = await waitForPreview(list);
    dialog.querySelector<HTMLButtonElement>('[part="confirm-button"]')!.click();
    await waitForAnnouncement(list, 'Automatic reminders is now active.');

    await until(() => state(there, 'auto-reminders') === 'active', 'the other tab shows it active');
    // It was told, not asked: no focus event, no reload of the document.
    expect(there.ownerDocument.defaultView!.performance.getEntriesByType('navigation').length).to.equal(1);
    expect(there.ownerDocument.defaultView!.performance.getEntriesByType('resource').length).to.be.above(before);
  });
});
