/**
 * The cells of the browser fault matrix (faults.test.ts, faults-dashboard.test.ts): one
 * element, one resource it loads, one fault, on a base URL of its own.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { createBillingClient, en, type BillingClient } from '../../src/index.js';
import type { BillingProvider } from '../../src/index.js';
import type { EndpointName } from '../../src/contract/endpoints.js';
import { freshBaseUrl, resetServer } from './billing-page.js';
import { TEST_NOW_ISO } from './clock.js';
import { until } from './dom.js';
import { FAULTS, FAULT_CODES, faultHits, liftFaults, setFaults, type Fault } from './faults.js';

// What was thrown or rejected and never handled on this page.
const uncaught: string[] = [];
window.addEventListener('error', (event) => uncaught.push(`error: ${event.message}`));
window.addEventListener('unhandledrejection', (event) => uncaught.push(`unhandled rejection: ${String(event.reason)}`));

/** Fails the current test if anything was thrown or rejected unhandled since the last call. */
export function expectNothingUncaught(): void {
  const seen = uncaught.splice(0);
  expect(seen, 'nothing thrown or rejected unhandled').to.deep.equal([]);
}

export const shadow = (element: Element | null | undefined): ShadowRoot | null => element?.shadowRoot ?? null;
export const text = (node: Element | ShadowRoot | null | undefined): string => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
export const errorState = (element: Element | null | undefined) => shadow(element)?.querySelector<HTMLElement>('[part="error"]') ?? null;
/** An element of one of the dashboard's sections. */
export const section = (dashboard: Element, tag: string) => shadow(dashboard)!.querySelector<HTMLElement>(tag);

export const SECTION_TAGS = [
  'billing-subscription',
  'billing-usage-meter',
  'billing-plan-picker',
  'billing-module-list',
  'billing-payment-method',
  'billing-invoice-table',
];

/** What shows that an element has its data (no skeleton, no error). */
export const hasData: Record<string, (element: HTMLElement) => boolean> = {
  'billing-usage-meter': (element) => !!shadow(element)?.querySelector('.metric .name'),
  'billing-module-list': (element) => !!shadow(element)?.querySelector('[part="module"]'),
  'billing-plan-picker': (element) => !!shadow(element)?.querySelector('[part="plan"]'),
  'billing-invoice-table': (element) => !!shadow(element)?.querySelector('tbody > tr[part="row"]'),
  'billing-payment-method': (element) => !!shadow(element)?.querySelector('[part="default"]'),
  'billing-subscription': (element) => !!shadow(element)?.querySelector('[part="header"]'),
  'billing-dashboard': (element) =>
    shadow(element)!.querySelectorAll('[part="verdict"]').length === 4 &&
    SECTION_TAGS.every((tag) => {
      const inner = section(element, tag);
      return !!inner && hasData[tag]!(inner);
    }),
};

/**
 * The error state says what happened in words (the fault's own message, not the catch-all),
 * with a retry, the support link and a diagnostic with the code; returns its retry button.
 */
export function expectErrorState(element: Element, fault: Fault): HTMLButtonElement {
  const state = errorState(element)!;
  const code = FAULT_CODES[fault];
  expect(state, `error state in <${element.localName}>`).not.to.equal(null);
  expect(state.getAttribute('role')).to.equal('alert');
  expect(text(state)).to.contain(en.errorTitle);
  expect(text(state)).to.contain(en.errorMessage(code));
  expect(en.errorMessage(code)).not.to.equal(en.errorMessage('an unknown code'));
  expect(state.querySelector('pre')!.textContent).to.contain(`code: ${code}`);
  expect(state.querySelector('[part="support-link"]')).not.to.equal(null);
  const retry = state.querySelector<HTMLButtonElement>('[part="retry-button"]');
  expect(retry, 'a retry button').not.to.equal(null);
  return retry!;
}

export interface Cell {
  element: HTMLElement;
  baseUrl: string;
  fault: Fault;
  /** Lifts the fault: the real handler answers again (and the client waits as long as usual). */
  lift(): Promise<void>;
}

/** How long the client waits for the operation under the `timeout` fault. */
const HASTY_TIMEOUT = 300;

type Operation = (...args: unknown[]) => Promise<unknown>;

/**
 * A client that does not retry, and that gives up on `operation` after 300 ms while
 * `hasty()` holds: the `timeout` fault's cells wait that long, not the usual 10 s. Every other
 * request, and the operation once the fault is lifted, waits the usual time: on a loaded
 * machine a real answer can take longer than 300 ms, and must not fail the cell.
 */
function clientGivingUpOn(baseUrl: string, operation: EndpointName, hasty: () => boolean): BillingClient {
  const client = createBillingClient({ baseUrl, retries: 0, timeout: 10_000 });
  const impatient = createBillingClient({ baseUrl, retries: 0, timeout: HASTY_TIMEOUT });
  const patiently = client[operation] as Operation;
  Object.defineProperty(client, operation, {
    value: (...args: unknown[]) => {
      if (!hasty()) return patiently.apply(client, args);
      impatient.locale = client.locale;
      return (impatient[operation] as Operation).apply(impatient, args);
    },
  });
  return client;
}

/**
 * Mounts `tag` under a provider whose client does not retry (and gives up on `operation`
 * after 300 ms under the timeout fault), on a fresh base URL where `operation` answers
 * `fault` until lifted.
 */
export async function openCell(tag: string, operation: EndpointName, fault: Fault): Promise<Cell> {
  const baseUrl = freshBaseUrl();
  await setFaults(baseUrl, { [operation]: fault });
  let faulted = true;
  const client = clientGivingUpOn(baseUrl, operation, () => faulted && fault === 'timeout');
  const provider = await fixture<BillingProvider>(
    html`<billing-provider now=${TEST_NOW_ISO} lang="en" support-url="mailto:support@example.com" .client=${client}></billing-provider>`,
  );
  const element = document.createElement(tag);
  provider.append(element);
  const lift = async () => {
    await liftFaults(baseUrl);
    faulted = false;
  };
  return { element, baseUrl, fault, lift };
}

/**
 * The faulted operation was asked for (the cell tested what it says). An element may show
 * what it can before a request for an optional resource reaches the server: waits for it.
 */
export async function expectAsked(cell: Cell, operation: EndpointName): Promise<void> {
  const start = performance.now();
  while (!(await faultHits(cell.baseUrl))[operation]) {
    if (performance.now() - start > 2000) expect.fail(`no request to ${operation} reached the server`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * `target` (the cell's element or one inside it) shows the error state for the fault; once
 * the fault is lifted its retry brings the data (`done`), and the error state goes.
 */
export async function errorThenRetry(cell: Cell, operation: EndpointName, target: HTMLElement, done: () => boolean): Promise<void> {
  await until(() => errorState(target), `error state in <${target.localName}>`);
  const retry = expectErrorState(target, cell.fault);
  await expectAsked(cell, operation);
  await cell.lift();
  retry.click();
  await until(done, `data in <${cell.element.localName}> after the retry`, 6000);
  expect(errorState(target)).to.equal(null);
}

/**
 * How a cell ended, one letter each in the printed matrix:
 *
 * - `E` the element's error state (the fault's localized message, Try again, support link,
 *   diagnostic); its Try again, once the fault is lifted, brings the data
 * - `S` the dashboard answers (its four verdicts) and the section that needs the resource shows
 *   its own error state; that Try again brings the data
 * - `I` said where the action was (an alert in the row, or the element's live region), the
 *   data kept; doing it again, once the fault is lifted, works
 * - `D` shown without it, no error: the resource only adds to what the element shows
 * - `M` a failed mutation: said in words (the dialog's alert or the live region), the element
 *   and the server as they were; confirming again, once the fault is lifted, does it once
 */
export type Outcome = 'E' | 'S' | 'I' | 'D' | 'M';

export const OUTCOMES: Record<Outcome, string> = {
  E: 'error state with the fault’s message; Try again brings the data',
  S: 'verdicts shown; the section’s error state; its Try again brings the data',
  I: 'said in place (alert or live region), data kept; doing it again works',
  D: 'shown without it, no error (the resource only adds to it)',
  M: 'said in words; element and server unchanged; confirming again does it once',
};

/** What an element does without a resource it can do without: its graceful state (and its retry if any). */
export type Graceful = (cell: Cell) => Promise<Outcome>;

/** An element's resources: `true` for one it cannot render without (error state and retry), else its graceful state. */
export type Resources = Partial<Record<EndpointName, true | Graceful>>;

/** One row of a printed matrix: what was exercised, and each fault's outcome (`✗` for a cell that failed). */
interface Row {
  subject: string;
  operation: string;
  outcomes: Partial<Record<Fault, Outcome | '✗'>>;
}

/**
 * Runs `run` as one cell of `rows` (its row found or added), recording how it ended: its
 * outcome, or `✗` when it threw or left something unhandled on the page.
 */
async function recordCell(rows: Row[], subject: string, operation: string, fault: Fault, run: () => Promise<Outcome>): Promise<void> {
  let row = rows.find((candidate) => candidate.subject === subject && candidate.operation === operation);
  if (!row) rows.push((row = { subject, operation, outcomes: {} }));
  row.outcomes[fault] = '✗';
  const outcome = await run();
  expectNothingUncaught();
  row.outcomes[fault] = outcome;
}

/** The matrix as a Markdown table, with the count of each outcome. */
export function matrixTable(rows: readonly Row[], faults: readonly Fault[] = FAULTS): string {
  const used = faults.filter((fault) => rows.some((row) => row.outcomes[fault]));
  const lines = [
    `| element | resource | ${used.join(' | ')} |`,
    `| --- | --- | ${used.map(() => ':-:').join(' | ')} |`,
    ...rows.map((row) => `| ${row.subject} | ${row.operation} | ${used.map((fault) => row.outcomes[fault] ?? '—').join(' | ')} |`),
  ];
  const counts = new Map<string, number>();
  for (const row of rows) for (const outcome of Object.values(row.outcomes)) counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  const cells = [...counts.values()].reduce((sum, count) => sum + count, 0);
  const summary = [...counts].map(([outcome, count]) => `${outcome} ${count}`).join(', ');
  return `${lines.join('\n')}\n\n${rows.length} rows × ${used.length} faults = ${cells} cells: ${summary}`;
}

/** Prints `rows` after the tests of the enclosing suite (the runner shows the page's console). */
export function printMatrixAfter(title: string, rows: readonly Row[]): void {
  after(() => console.log(`${title}\n\n${matrixTable(rows)}`));
}

/** One test per cell: each resource of each element × each fault, nothing left unhandled; the matrix printed at the end. */
export function describeMatrix(matrix: Record<string, Resources>): void {
  describe('every resource × every fault', () => {
    const rows: Row[] = [];
    before(resetServer);
    beforeEach(() => void uncaught.splice(0));
    afterEach(expectNothingUncaught);
    printMatrixAfter('Fault matrix: reads', rows);

    for (const [tag, resources] of Object.entries(matrix)) {
      describe(`<${tag}>`, () => {
        for (const [operation, how] of Object.entries(resources) as [EndpointName, true | Graceful][]) {
          for (const fault of FAULTS) {
            it(`${operation} × ${fault}`, () =>
              recordCell(rows, `<${tag}>`, operation, fault, async () => {
                const cell = await openCell(tag, operation, fault);
                if (how !== true) return how(cell);
                await errorThenRetry(cell, operation, cell.element, () => hasData[tag]!(cell.element));
                return 'E';
              }));
          }
        }
      });
    }
  });
}

/**
 * A mutation under a fault: `subject` is what it is (“module activation”), `open` mounts its
 * element on `cell`'s base URL and runs the action up to the faulted request, and returns
 * what the cell then checks.
 */
export interface MutationCase {
  subject: string;
  tag: string;
  operation: EndpointName;
  faults: readonly Fault[];
  /** Done before the element is mounted (a scheduled change to cancel …), on a fresh server. */
  arrange?: () => Promise<void>;
  /** The state the mutation would change, as the server has it (read by another client). */
  server: () => Promise<unknown>;
  /** The part of the element the mutation would change, as shown. */
  shown: (element: HTMLElement) => unknown;
  /** Starts the action (clicks up to the faulted request). */
  act: (element: HTMLElement) => Promise<void>;
  /** Resolves once the failure is said in words (the fault's message); returns nothing. */
  failed: (element: HTMLElement, fault: Fault) => Promise<void>;
  /** Does the action again (the fault lifted) and resolves once it is done, on the page and on the server. */
  retry: (element: HTMLElement) => Promise<void>;
}

/**
 * One test per mutation × fault: the failure said, the element and the server as they were,
 * and once the fault is lifted the same action done; nothing left unhandled; the matrix
 * printed at the end. Each cell starts from a fresh server.
 */
export function describeMutations(cases: readonly MutationCase[]): void {
  describe('every mutation × its faults', () => {
    const rows: Row[] = [];
    beforeEach(async () => {
      uncaught.splice(0);
      await resetServer();
    });
    afterEach(expectNothingUncaught);
    printMatrixAfter('Fault matrix: mutations', rows);

    for (const mutation of cases) {
      describe(mutation.subject, () => {
        for (const fault of mutation.faults) {
          it(`${mutation.operation} × ${fault}`, () =>
            recordCell(rows, mutation.subject, mutation.operation, fault, async () => {
              await mutation.arrange?.();
              const cell = await openCell(mutation.tag, mutation.operation, fault);
              const { element } = cell;
              await until(() => hasData[mutation.tag]!(element), `data in <${element.localName}>`);
              const [shownBefore, serverBefore] = [mutation.shown(element), await mutation.server()];
              await mutation.act(element);
              await mutation.failed(element, fault);
              await expectAsked(cell, mutation.operation);
              expect(mutation.shown(element), 'the element as it was').to.deep.equal(shownBefore);
              expect(await mutation.server(), 'the server as it was').to.deep.equal(serverBefore);
              await cell.lift();
              await mutation.retry(element);
              return 'M';
            }));
        }
      });
    }
  });
}

/** Catches the downloads `run` starts (the links the elements click), without saving anything. */
export async function catchingDownloads(run: (downloads: { href: string; download: string }[]) => Promise<void>) {
  const click = HTMLAnchorElement.prototype.click;
  const downloads: { href: string; download: string }[] = [];
  HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
    if (this.download) downloads.push({ href: this.href, download: this.download });
    else click.call(this);
  };
  try {
    await run(downloads);
  } finally {
    HTMLAnchorElement.prototype.click = click;
  }
  return downloads;
}
