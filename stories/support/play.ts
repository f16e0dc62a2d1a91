import { configure, expect, userEvent, waitFor, within } from 'storybook/test';

/** Long enough for the fake endpoint's delay, the language table and a preview. */
const TIMEOUT = { timeout: 5_000 };

export type ShadowQueries = ReturnType<typeof within>;

/*
 * When a query finds nothing, Testing Library describes the failure with a print of the
 * container, which it cannot make of a shadow root: that throws, outside the play function,
 * and the play function then never ends instead of failing. Name the element instead.
 */
configure({
  getElementError: (message, container) => {
    const where = container instanceof ShadowRoot ? `in the shadow root of <${container.host.localName}>` : null;
    const error = new Error([message, where].filter(Boolean).join('\n'));
    error.name = 'TestingLibraryElementError';
    return error;
  },
});

/**
 * Testing Library queries inside the shadow root of the first `tag` in the story, once the
 * element has rendered: `within()` does not cross shadow roots by itself.
 */
export async function shadowCanvas(canvasElement: HTMLElement, tag: string): Promise<ShadowQueries> {
  const root = await waitFor(() => {
    const shadowRoot = canvasElement.querySelector(tag)?.shadowRoot;
    if (!shadowRoot) throw new Error(`<${tag}> has not rendered yet.`);
    return shadowRoot;
  }, TIMEOUT);
  // Testing Library only needs `querySelectorAll` and friends, which a shadow root has.
  return within(root as unknown as HTMLElement);
}

/** A button by its accessible name, once the element's data has loaded. */
export const findButton = (canvas: ShadowQueries, name: string | RegExp): Promise<HTMLElement> =>
  canvas.findByRole('button', { name }, TIMEOUT);

/**
 * Waits until the change dialog is open and its preview has arrived (the confirm button is
 * enabled and not busy), so a screenshot shows the billing impact rather than "Calculating…"
 * and a click on Confirm is not ignored.
 */
export async function expectPreviewReady(canvas: ShadowQueries, confirm: string | RegExp = /confirm|confirmer/i): Promise<HTMLElement> {
  const dialog = await canvas.findByRole('dialog', {}, TIMEOUT);
  await waitFor(() => expect(dialog).toHaveAttribute('open'), TIMEOUT);
  const button = await findButton(within(dialog), confirm);
  // Enabled once a preview has come; not busy (`aria-disabled`) once a new round of pricing is over.
  await waitFor(() => {
    expect(button).toBeEnabled();
    expect(button).toHaveAttribute('aria-disabled', 'false');
  }, TIMEOUT);
  return dialog;
}

/**
 * The error state of a request that failed once (`fail: 'server-error-once'`): its message
 * and “Try again”, which loads the data; `loaded` then waits for something of the data.
 */
export async function retryAfterError(canvas: ShadowQueries, loaded: () => unknown): Promise<void> {
  await expect(await canvas.findByText('The billing service had a problem. Try again in a moment.', {}, TIMEOUT)).toBeVisible();
  await userEvent.click(await findButton(canvas, 'Try again'));
  await waitFor(loaded, TIMEOUT);
  await expect(canvas.queryByRole('button', { name: 'Try again' })).toBeNull();
}

/** What has the focus inside the shadow root of the first `tag` in the story (`toHaveFocus` stops at the host). */
export const focusedIn = (canvasElement: HTMLElement, tag: string): Element | null =>
  canvasElement.querySelector(tag)?.shadowRoot?.activeElement ?? null;
