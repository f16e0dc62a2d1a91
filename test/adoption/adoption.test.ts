/**
 * Adoption: the package as a new project gets it. `npm pack` makes the tarball once (from the
 * `dist/` that `npm run test:adoption` has just cleaned and built, as `prepack` does); it goes into three temporary Vite
 * projects copied from `fixtures/` (React 19 with the `billing-elements/react` wrappers and the
 * raw tags in JSX, Vue 3.5, plain HTML), which are type-checked with strict settings (`tsc`;
 * `vue-tsc` with `strictTemplates`), built for production, and served with the reference
 * handler; in Chromium, each shows the dashboard with the server's data and goes through one
 * interaction. The plain project also loads the no-bundler file (`dist/cdn/billing-elements.js`)
 * from a page with no import map and no build.
 *
 * How the tarball is installed, and why it is honest: the projects live under `.tmp/adoption/`
 * (git-ignored) inside this repository, and the tarball is extracted as it is into each
 * project's `node_modules/billing-elements/` (what `npm install <tarball>` puts there). Its
 * own dependencies (Lit, ky, zod, @lit/react …) and the tools (React, Vue, Vite, TypeScript)
 * are then found by Node's and TypeScript's resolution walking up to this repository's
 * `node_modules/`, already installed at the versions the lockfile pins: no registry, no
 * network, seconds instead of three `npm install`s. What that walk could hide, an import of a
 * package the tarball does not declare, is checked apart: every bare import in the shipped
 * modules must be one of its `dependencies` or `peerDependencies`.
 *
 * The React and plain projects check the libraries' declarations too (`skipLibCheck: false`):
 * ours, as shipped, against React 19's types and strict settings. The Vue project skips
 * them (Vue's own declarations would triple the time of `vue-tsc`); its templates are
 * checked against our types all the same.
 *
 * `ADOPTION_KEEP=1` keeps `.tmp/adoption/` afterwards, to look at the projects.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { bareImports, launchChromium, run, serveProject, type Run } from './support.js';

const root = resolve(import.meta.dirname, '../..');
const fixtures = join(import.meta.dirname, 'fixtures');
const work = join(root, '.tmp', 'adoption');
const projects = ['react', 'vue', 'html'] as const;
type Project = (typeof projects)[number];
const dir = (project: Project) => join(work, project);

let tarball: string;
let packed: { files: { path: string }[] };
let browser: Browser;
/** Started in `before`, awaited by the tests: the type checks run while the projects build. */
const checks = {} as Record<Project, Promise<Run>>;
const builds = {} as Record<Project, Promise<void>>;

before(async () => {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  assert.ok(existsSync(join(root, 'dist/react.js')) && existsSync(join(root, 'dist/cdn/billing-elements.js')), 'dist/ is not built: run `npm run build` first');

  const pack = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], root);
  assert.equal(pack.code, 0, pack.output);
  [packed] = JSON.parse(pack.output.slice(pack.output.indexOf('['))) as [{ filename: string; files: { path: string }[] }];
  tarball = join(work, (packed as unknown as { filename: string }).filename);

  for (const project of projects) {
    cpSync(join(fixtures, project), dir(project), { recursive: true });
    const installed = join(dir(project), 'node_modules', 'billing-elements');
    mkdirSync(installed, { recursive: true });
    const untar = await run('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1'], root);
    assert.equal(untar.code, 0, untar.output);
  }

  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  checks.react = run(process.execPath, [tsc, '-p', 'tsconfig.json'], dir('react'));
  checks.vue = run(process.execPath, [join(root, 'node_modules/vue-tsc/bin/vue-tsc.js'), '-p', 'tsconfig.json'], dir('vue'));
  checks.html = run(process.execPath, [tsc, '-p', 'tsconfig.json'], dir('html'));
  // One build after the other (they share this process), while the type checks run beside.
  let previous: Promise<unknown> = Promise.resolve();
  for (const project of projects) {
    builds[project] = previous.then(async () => {
      const configFile = join(dir(project), 'vite.config.ts');
      await build({
        root: dir(project),
        configFile: existsSync(configFile) ? configFile : false,
        logLevel: 'warn',
        build: { outDir: 'dist', emptyOutDir: true },
      });
    });
    previous = builds[project].catch(() => {});
  }
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  if (!process.env.ADOPTION_KEEP) rmSync(work, { recursive: true, force: true });
});

/** A new English page on `origin` + `path`, failing the test on any page error. */
async function open(origin: string, path = '/'): Promise<Page> {
  const page = await browser.newPage({ locale: 'en-US', viewport: { width: 1200, height: 1400 } });
  page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
  await page.goto(origin + path);
  return page;
}

/** The dashboard shows the seeded data: its four verdicts, the plan, the usage and the invoices. */
async function showsDashboard(page: Page): Promise<void> {
  await page.locator('billing-dashboard [part="verdict"]').nth(3).waitFor();
  assert.equal(await page.locator('billing-dashboard [part="verdict"]').count(), 4);
  await page.locator('billing-subscription').getByText('Pro', { exact: false }).first().waitFor();
  await page.locator('billing-usage-meter').getByText('870 / 1,000 documents').first().waitFor();
  await page.locator('billing-invoice-table tbody > tr[part="row"]').first().waitFor();
}

/** Activates a module from the dashboard's module list and confirms the change. */
async function activateModule(page: Page, name: string): Promise<void> {
  const list = page.locator('billing-dashboard billing-module-list');
  await list.getByRole('button', { name: `Activate ${name}` }).click();
  const dialog = list.locator('dialog[open]');
  await dialog.locator('[part="confirm-button"]:not([disabled]):not([aria-disabled="true"])').waitFor();
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await list.getByText(`${name} is now active.`).first().waitFor();
}

describe('the packed tarball', () => {
  it('ships the React, Vue, JSX and no-bundler entry points', () => {
    const files = new Set(packed.files.map((file) => file.path));
    for (const file of ['dist/react.js', 'dist/react/index.d.ts', 'dist/react/jsx.d.ts', 'dist/vue/index.d.ts', 'dist/cdn/billing-elements.js']) {
      assert.ok(files.has(file), `${file} is not in the tarball`);
    }
  });

  it('declares every package its modules import, and the no-bundler files import none', async () => {
    const installed = join(dir('html'), 'node_modules', 'billing-elements');
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
    const modules = readdirSync(join(installed, 'dist')).filter((file) => file.endsWith('.js'));
    assert.ok(modules.length > 10);
    const imported = await bareImports(modules.map((file) => join(installed, 'dist', file)));
    assert.ok(imported.has('lit') && imported.has('react'), `the imports are found: ${[...imported.keys()].join(', ')}`);
    for (const [name, importer] of imported) {
      assert.ok(declared.has(name), `${importer} imports ${name}, which package.json does not declare`);
    }
    const cdn = readdirSync(join(installed, 'dist/cdn')).filter((file) => file.endsWith('.js'));
    assert.ok(cdn.length >= 3, 'the no-bundler file and its lazy chunks');
    assert.deepEqual([...(await bareImports(cdn.map((file) => join(installed, 'dist/cdn', file)))).keys()], [], 'the no-bundler files import no package');
  });
});

describe('type checks with strict settings', () => {
  it('React 19 + TypeScript (tsc, strict, exactOptionalPropertyTypes, libraries checked too)', async () => {
    const { code, output } = await checks.react;
    assert.equal(code, 0, output);
  });

  it('Vue 3.5 (vue-tsc, strict, strictTemplates)', async () => {
    const { code, output } = await checks.vue;
    assert.equal(code, 0, output);
  });

  it('plain HTML + TypeScript (tsc, strict)', async () => {
    const { code, output } = await checks.html;
    assert.equal(code, 0, output);
  });
});

describe('in Chromium, against the reference server', () => {
  it('React: the dashboard through the wrappers and the raw tags, a change held by onbilling-before-change, one heard by onBillingChange', async (t) => {
    await builds.react;
    const host = await serveProject(join(dir('react'), 'dist'));
    t.after(() => host.close());
    const page = await open(host.origin);
    await showsDashboard(page);
    // The raw tags from JSX (UsageAside), registered and fed by the provider around them.
    await page.locator('aside billing-usage-meter').getByText('870 / 1,000 documents').waitFor();
    assert.equal(await page.locator('#last-change').innerText(), 'none');
    await page.screenshot({ path: join(work, 'react.png'), fullPage: false });
    // Its `onbilling-before-change` prop, a listener React 19 adds, holds the change.
    const aside = page.locator('aside billing-module-list');
    await aside.getByRole('button', { name: 'Activate Automatic reminders' }).click();
    await aside.locator('dialog[open] [part="confirm-button"]:not([disabled]):not([aria-disabled="true"])').waitFor();
    await aside.locator('dialog[open]').getByRole('button', { name: 'Confirm' }).click();
    await page.locator('#held').getByText('auto-reminders').waitFor();
    await aside.locator('dialog[open]').waitFor({ state: 'detached' });
    assert.equal(await page.locator('#last-change').innerText(), 'none');
    // The same change from the wrappers goes through, and their `onBillingChange` prop hears it.
    await activateModule(page, 'Automatic reminders');
    await page.locator('#last-change').getByText('activate auto-reminders; plan now Pro').waitFor();
    await page.close();
  });

  it('Vue: the dashboard from a template, its sections bound to the state, @billing-change heard', async (t) => {
    await builds.vue;
    const host = await serveProject(join(dir('vue'), 'dist'));
    t.after(() => host.close());
    const page = await open(host.origin);
    await showsDashboard(page);
    await page.getByRole('button', { name: 'Invoices only' }).click();
    await page.locator('billing-dashboard billing-usage-meter').waitFor({ state: 'detached' });
    assert.equal(await page.locator('billing-dashboard billing-invoice-table tbody > tr[part="row"]').count(), 12);
    await page.getByRole('button', { name: 'Modules only' }).click();
    await activateModule(page, 'Automatic reminders');
    await page.locator('#last-change').getByText('change').waitFor();
    await page.close();
  });

  it('plain HTML with Vite: define.js, a module activated, the event heard', async (t) => {
    await builds.html;
    const host = await serveProject(join(dir('html'), 'dist'));
    t.after(() => host.close());
    const page = await open(host.origin);
    await showsDashboard(page);
    await activateModule(page, 'Automatic reminders');
    await page.locator('#last-change').getByText('module').waitFor();
    await page.close();
  });

  it('no bundler: one <script type="module"> of dist/cdn/billing-elements.js, no import map', async (t) => {
    // The project's files as they are: no build, the package straight from node_modules.
    const host = await serveProject(dir('html'));
    t.after(() => host.close());
    const page = await open(host.origin, '/cdn.html');
    await showsDashboard(page);
    assert.equal(await page.locator('script[type="importmap"]').count(), 0);
    const scripts = host.served.filter((path) => path.endsWith('.js'));
    assert.ok(
      scripts.every((path) => path.startsWith('/node_modules/billing-elements/dist/cdn/')),
      `only the no-bundler files are loaded: ${scripts.join(', ')}`,
    );
    assert.ok(scripts.some((path) => /\/en-[\w-]+\.js$/.test(path)), `the English strings load beside it: ${scripts.join(', ')}`);
    await page.close();
  });
});
