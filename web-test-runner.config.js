// Browser tests: real elements in Debian's headless Chromium, talking to the real reference
// handler mounted as middleware. Run through `npm run test:browser` (tsx loads the TS server).
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { billingTestMiddleware } from './test/support/billing-test-server.ts';
import { stripeTestMiddleware } from './test/support/stripe-test-server.ts';
import { chromiumLaunchOptions } from './test/support/chromium.ts';

export default {
  files: ['test/browser/**/*.test.ts'],
  nodeResolve: true,
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' })],
  // `/api/…`: the reference engine; `/stripe-api/…`: the Stripe engine on the stand-in of the Stripe API.
  middleware: [billingTestMiddleware(), stripeTestMiddleware()],
  // One file at a time: files share the reference server, and some reset its database.
  concurrency: 1,
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: {
        executablePath: chromiumLaunchOptions.executablePath,
        args: ['--headless=new', ...chromiumLaunchOptions.args],
      },
    }),
  ],
  testFramework: { config: { timeout: 10000 } },
};
