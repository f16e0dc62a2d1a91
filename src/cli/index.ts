#!/usr/bin/env node
/**
 * `billing-elements serve`: the contract served over HTTP from the SQLite reference engine,
 * for demos, Storybook and developing a host against a real endpoint — or, with
 * `--engine stripe`, from a Stripe account (`STRIPE_SECRET_KEY`). `billing-elements
 * stripe-setup`: creates a catalog's Products and Prices in a Stripe account and prints the
 * `StripeCatalog` naming them.
 *
 * What it needs — `hono`, `@hono/node-server` and `better-sqlite3`, optional peer
 * dependencies (peers.ts) — is imported when it starts serving, so a missing one is a one-line
 * message and exit code 1, as is a database it cannot open or write; usage errors exit with 2
 * (errors.ts). Without `pdf-lib` it serves, says so in one line, and answers invoice PDFs with 503.
 *
 * This file is the entry (dist/cli.js): the help and which command runs.
 */
import { DEMO_CUSTOMER } from './demo-customer.js';
import { exitOnError, UsageError } from './errors.js';
import { parseServeOptions } from './options.js';
import { runReferenceServe } from './serve-reference.js';
import { runStripeServe } from './serve-stripe.js';
import { runStripeSetup } from './stripe-setup.js';

const HELP = `Usage: billing-elements serve --db FILE [options]
       billing-elements serve --engine stripe --stripe-catalog FILE [--customer ID] [options]
       billing-elements stripe-setup [--catalog FILE] [--out FILE]

serve: serves the billing endpoint contract from the SQLite reference engine,
or from a Stripe account with --engine stripe.

Options:
  --db FILE              SQLite database, created with its directory if missing
  --port N               port to listen on (default 8787; 0 picks a free one)
  --host ADDRESS         address to listen on (default 127.0.0.1)
  --public-origin URL    the origin browsers reach this server at, e.g. https://billing.example.com;
                         required when --host is not a loopback address
  --base-path PATH       where the endpoint is mounted (default /api/billing)
  --seed demo            add the demo customers unless they are there already
  --test-mode            test cards that decline at renewal, POST /v1/test/period-end (demos only)
  --engine NAME          reference (default) or stripe
  -h, --help             show this help

Every request is answered as the demo customer (${DEMO_CUSTOMER}) unless a
billing_customer cookie names another customer of the database, e.g.
  document.cookie = 'billing_customer=cus_readonly'
(a cookie naming no customer is answered 401). This is a demo convenience, not
authentication: never expose this server. It answers only the hosts it serves
(localhost, 127.0.0.1, [::1] on its port, and the --public-origin host).

With --engine stripe (the secret key in STRIPE_SECRET_KEY, never on the command line):
  --stripe-catalog FILE  the StripeCatalog JSON that stripe-setup wrote (required)
  --customer ID          the Stripe customer (cus_...) a request without a
                         billing_customer cookie is answered as (default: none, 401)
  --live                 accept a live-mode key (sk_live_...); test-mode keys only otherwise
--db, --seed and --test-mode are the reference engine's: Stripe holds the data.

stripe-setup: creates in the Stripe account of STRIPE_SECRET_KEY the Products and
monthly and yearly Prices of a catalog, finding what a previous run created
(Products by metadata, Prices by lookup key), and prints the StripeCatalog JSON.
  --catalog FILE         the catalog JSON (default: the demo catalog of --seed demo)
  --language TAG         the demo catalog's names in this language (default: its own, fr)
  --out FILE             write the StripeCatalog JSON there instead of printing it
  --dry-run              only read the account and say what would be created or updated
  --live                 accept a live-mode key (sk_live_...)`;

async function runServe(args: string[]): Promise<void> {
  const options = parseServeOptions(args);
  if (options.engine === 'stripe') await runStripeServe(options);
  else await runReferenceServe(options);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    console.log(HELP);
    return;
  }
  if (command !== 'serve' && command !== 'stripe-setup') throw new UsageError(`Unknown command "${command}".`);
  if (rest.includes('-h') || rest.includes('--help')) {
    console.log(HELP);
    return;
  }
  if (command === 'stripe-setup') await runStripeSetup(rest);
  else await runServe(rest);
}

main(process.argv.slice(2)).catch(exitOnError);
