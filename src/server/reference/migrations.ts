/**
 * The reference engine's schema, as numbered migrations. `PRAGMA user_version` records the
 * last one applied; each runs once, in its own transaction, even when several processes
 * open a new database at the same moment. Never edit a released
 * migration: append a new one.
 *
 * Conventions: instants are INTEGER milliseconds since the epoch (UTC); money is INTEGER
 * minor units of the row's currency; tables are STRICT so a float or a string cannot slip
 * into a money column.
 */
import type { Database } from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'catalog, subscriptions, usage, invoices, payment methods',
    sql: `
      CREATE TABLE customers (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        email TEXT,
        locale TEXT NOT NULL,
        currency TEXT NOT NULL CHECK (currency GLOB '[A-Z][A-Z][A-Z]'),
        -- Stands in for the host's user roles: 'read_only' may look at invoices and nothing else.
        role TEXT NOT NULL DEFAULT 'owner' CHECK (role IN ('owner', 'read_only')),
        created_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE plans (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        description TEXT,
        rank INTEGER NOT NULL,
        -- A plan no longer sold is still shown to the customers who are on it.
        for_sale INTEGER NOT NULL DEFAULT 1 CHECK (for_sale IN (0, 1))
      ) STRICT;

      CREATE TABLE plan_prices (
        plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
        interval TEXT NOT NULL CHECK (interval IN ('month', 'year')),
        currency TEXT NOT NULL CHECK (currency GLOB '[A-Z][A-Z][A-Z]'),
        amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),
        PRIMARY KEY (plan_id, interval, currency)
      ) STRICT;

      CREATE TABLE metrics (
        key TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        unit TEXT NOT NULL,
        -- 'period' counts per billing period (documents issued), 'stock' is a running total (clients kept).
        kind TEXT NOT NULL CHECK (kind IN ('period', 'stock')),
        warn_at REAL NOT NULL DEFAULT 0.8 CHECK (warn_at > 0 AND warn_at <= 1),
        position INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE plan_limits (
        plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
        metric_key TEXT NOT NULL REFERENCES metrics (key),
        limit_value INTEGER CHECK (limit_value >= 0), -- NULL: unlimited
        PRIMARY KEY (plan_id, metric_key)
      ) STRICT;

      CREATE TABLE modules (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        description TEXT,
        position INTEGER NOT NULL,
        -- 0 for a module only ever included in plans.
        for_sale INTEGER NOT NULL DEFAULT 1 CHECK (for_sale IN (0, 1))
      ) STRICT;

      CREATE TABLE module_prices (
        module_id TEXT NOT NULL REFERENCES modules (id) ON DELETE CASCADE,
        interval TEXT NOT NULL CHECK (interval IN ('month', 'year')),
        currency TEXT NOT NULL CHECK (currency GLOB '[A-Z][A-Z][A-Z]'),
        amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),
        PRIMARY KEY (module_id, interval, currency)
      ) STRICT;

      CREATE TABLE plan_included_modules (
        plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
        module_id TEXT NOT NULL REFERENCES modules (id) ON DELETE CASCADE,
        PRIMARY KEY (plan_id, module_id)
      ) STRICT;

      -- A module may need any one of these plans…
      CREATE TABLE module_required_plans (
        module_id TEXT NOT NULL REFERENCES modules (id) ON DELETE CASCADE,
        plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
        PRIMARY KEY (module_id, plan_id)
      ) STRICT;

      -- …and all of these modules.
      CREATE TABLE module_required_modules (
        module_id TEXT NOT NULL REFERENCES modules (id) ON DELETE CASCADE,
        required_module_id TEXT NOT NULL REFERENCES modules (id) ON DELETE CASCADE,
        PRIMARY KEY (module_id, required_module_id),
        CHECK (module_id <> required_module_id)
      ) STRICT;

      CREATE TABLE subscriptions (
        id TEXT PRIMARY KEY,
        customer_id TEXT NOT NULL UNIQUE REFERENCES customers (id),
        plan_id TEXT NOT NULL REFERENCES plans (id),
        interval TEXT NOT NULL CHECK (interval IN ('month', 'year')),
        status TEXT NOT NULL CHECK (status IN ('trialing', 'active', 'past_due', 'paused', 'canceled')),
        started_at INTEGER NOT NULL,
        -- Periods are whole intervals counted from the anchor, so month ends do not drift.
        billing_anchor INTEGER NOT NULL,
        current_period_start INTEGER NOT NULL,
        current_period_end INTEGER NOT NULL CHECK (current_period_end > current_period_start),
        trial_end INTEGER,
        -- Bumped by every change; sent as the ETag and checked against If-Match.
        version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1)
      ) STRICT;

      CREATE TABLE subscription_modules (
        subscription_id TEXT NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
        module_id TEXT NOT NULL REFERENCES modules (id),
        activated_at INTEGER NOT NULL,
        PRIMARY KEY (subscription_id, module_id)
      ) STRICT;

      -- One counter per metric and period (period_start 0 for stock metrics, which never
      -- reset), so reading usage costs one row whatever the volume reported.
      CREATE TABLE usage (
        customer_id TEXT NOT NULL REFERENCES customers (id),
        metric_key TEXT NOT NULL REFERENCES metrics (key),
        period_start INTEGER NOT NULL,
        quantity INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (customer_id, metric_key, period_start)
      ) STRICT;

      CREATE TABLE module_usage_events (
        customer_id TEXT NOT NULL REFERENCES customers (id),
        module_id TEXT NOT NULL REFERENCES modules (id),
        used_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX module_usage_events_by_module ON module_usage_events (customer_id, module_id, used_at);

      CREATE TABLE invoices (
        id TEXT PRIMARY KEY,
        customer_id TEXT NOT NULL REFERENCES customers (id),
        number TEXT NOT NULL UNIQUE,
        status TEXT NOT NULL CHECK (status IN ('draft', 'open', 'paid', 'void', 'uncollectible')),
        currency TEXT NOT NULL CHECK (currency GLOB '[A-Z][A-Z][A-Z]'),
        issued_at INTEGER NOT NULL,
        due_at INTEGER,
        period_start INTEGER NOT NULL,
        period_end INTEGER NOT NULL,
        total_minor INTEGER NOT NULL,
        amount_due_minor INTEGER NOT NULL,
        hosted_url TEXT,
        has_pdf INTEGER NOT NULL DEFAULT 0 CHECK (has_pdf IN (0, 1))
      ) STRICT;
      -- Cursor pagination walks these, newest first, whatever the number of invoices.
      CREATE INDEX invoices_by_customer ON invoices (customer_id, issued_at DESC, id DESC);
      CREATE INDEX invoices_by_customer_status ON invoices (customer_id, status, issued_at DESC, id DESC);

      CREATE TABLE invoice_lines (
        invoice_id TEXT NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        kind TEXT NOT NULL
          CHECK (kind IN ('plan', 'module', 'proration_credit', 'proration_charge', 'usage', 'tax', 'other')),
        description TEXT NOT NULL,
        amount_minor INTEGER NOT NULL, -- negative for a credit
        plan_id TEXT REFERENCES plans (id),
        module_id TEXT REFERENCES modules (id),
        period_start INTEGER,
        period_end INTEGER,
        PRIMARY KEY (invoice_id, position)
      ) STRICT;

      CREATE TABLE payment_methods (
        id TEXT PRIMARY KEY,
        customer_id TEXT NOT NULL REFERENCES customers (id),
        type TEXT NOT NULL CHECK (type IN ('card', 'sepa_debit', 'other')),
        is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
        -- What a customer needs to recognise a card, nothing more: no card number, ever.
        card_brand TEXT,
        card_last4 TEXT CHECK (card_last4 GLOB '[0-9][0-9][0-9][0-9]'),
        card_exp_month INTEGER CHECK (card_exp_month BETWEEN 1 AND 12),
        card_exp_year INTEGER,
        label TEXT,
        created_at INTEGER NOT NULL,
        CHECK ((type = 'card') = (card_brand IS NOT NULL AND card_last4 IS NOT NULL
                                  AND card_exp_month IS NOT NULL AND card_exp_year IS NOT NULL))
      ) STRICT;
      CREATE UNIQUE INDEX payment_methods_one_default ON payment_methods (customer_id) WHERE is_default = 1;
      CREATE INDEX payment_methods_by_customer ON payment_methods (customer_id, created_at);
    `,
  },
  {
    version: 2,
    name: 'subscription changes: scheduled changes, credit balance, idempotency keys, secrets',
    sql: `
      -- What a customer is owed (a net credit from a change made now), taken off later invoices.
      ALTER TABLE customers ADD COLUMN credit_balance_minor INTEGER NOT NULL DEFAULT 0
        CHECK (credit_balance_minor >= 0);

      -- Changes that take effect when the current period ends (no date stored: always that end,
      -- so a period that moves takes them along). Applied in the order they were made.
      CREATE TABLE scheduled_changes (
        id TEXT PRIMARY KEY,
        subscription_id TEXT NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('plan_change', 'module_deactivation')),
        to_plan_id TEXT REFERENCES plans (id),
        to_interval TEXT CHECK (to_interval IN ('month', 'year')),
        module_id TEXT REFERENCES modules (id),
        created_at INTEGER NOT NULL,
        CHECK ((kind = 'plan_change') = (to_plan_id IS NOT NULL AND to_interval IS NOT NULL)),
        CHECK ((kind = 'module_deactivation') = (module_id IS NOT NULL))
      ) STRICT;
      -- A new scheduled plan change replaces the older one; a module is scheduled once.
      CREATE UNIQUE INDEX scheduled_changes_one_plan_change ON scheduled_changes (subscription_id)
        WHERE kind = 'plan_change';
      CREATE UNIQUE INDEX scheduled_changes_one_per_module ON scheduled_changes (subscription_id, module_id)
        WHERE module_id IS NOT NULL;

      -- Responses of mutations by Idempotency-Key (see src/server/idempotency.ts). No foreign
      -- key: the scope is whatever the host's resolveCustomer returned.
      CREATE TABLE idempotency_keys (
        scope TEXT NOT NULL,
        key TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        status INTEGER, -- NULL while the first request is in flight
        headers TEXT,
        body TEXT,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (scope, key)
      ) STRICT;
      CREATE INDEX idempotency_keys_by_expiry ON idempotency_keys (expires_at);

      -- Keys the engine signs with (preview tokens), shared by every process on the database.
      CREATE TABLE engine_secrets (
        name TEXT PRIMARY KEY,
        value BLOB NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 3,
    name: 'invoice PDFs and payment method setup: customer addresses, setup sessions',
    sql: `
      -- The postal address printed on invoice PDFs, one line per line; NULL when unknown.
      ALTER TABLE customers ADD COLUMN address TEXT;

      -- Sessions of the hosted test page (src/server/setup-page.ts), by a SHA-256 digest of the
      -- session id (never the id itself). No foreign key: the customer is whatever the host's
      -- resolveCustomer returned. Kept a day after they expire, to tell "expired" from "unknown".
      CREATE TABLE setup_sessions (
        key TEXT PRIMARY KEY,
        customer_id TEXT NOT NULL,
        return_url TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at INTEGER
      ) STRICT;
      CREATE INDEX setup_sessions_by_expiry ON setup_sessions (expires_at);

      -- invoices.has_pdf (migration 1) is no longer read: every invoice but a draft has a PDF,
      -- rendered when asked for.
    `,
  },
  {
    version: 4,
    name: 'texts in the reader\'s language, unpaid renewals, test mode',
    sql: `
      -- The catalog in other languages: the name and description columns of plans, modules and
      -- metrics are the texts of the catalog's own language; a row here gives another one's.
      CREATE TABLE catalog_texts (
        entity TEXT NOT NULL CHECK (entity IN ('plan', 'module', 'metric')),
        id TEXT NOT NULL,
        language TEXT NOT NULL CHECK (language GLOB '[a-z][a-z]*'),
        name TEXT,
        description TEXT,
        PRIMARY KEY (entity, id, language)
      ) STRICT;

      -- Which sentence an engine-written line is ('added_to_credit_balance',
      -- 'credit_balance_applied'), so it can be written in the reader's language; NULL for lines
      -- whose kind says it (plan, module, proration) or whose description stands as it is.
      ALTER TABLE invoice_lines ADD COLUMN text_key TEXT;

      -- Test mode: how a test card behaves when charged. NULL: it pays; 'decline_renewal': it
      -- was accepted when added and declines every charge after (like 4000 0000 0000 0341).
      ALTER TABLE payment_methods ADD COLUMN test_behaviour TEXT CHECK (test_behaviour IN ('decline_renewal'));

      -- The language the hosted test page speaks, as the element asked (NULL: Accept-Language).
      ALTER TABLE setup_sessions ADD COLUMN locale TEXT;

      -- Test mode: how far the engine's clock runs ahead of the real one (demo "end of period").
      CREATE TABLE engine_settings (
        name TEXT PRIMARY KEY,
        value INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 5,
    name: 'permissions are the host\'s',
    sql: `
      -- What a user may do is the host's to say (resolveCustomer answers it, the handler checks
      -- it): the engine keeps no roles.
      ALTER TABLE customers DROP COLUMN role;
    `,
  },
];

/**
 * Applies the migrations `db` has not seen yet; returns how many ran here.
 *
 * Several processes may open a new file at once: each migration reads `user_version` inside
 * a transaction that holds the write lock from its start (`BEGIN IMMEDIATE`), so the version
 * it reads is the one it moves on from. A process that waited while another migrated finds
 * nothing left to do, rather than creating the same tables again.
 */
export function migrate(db: Database): number {
  const latest = migrations.at(-1)?.version ?? 0;
  const version = () => db.pragma('user_version', { simple: true }) as number;
  const tooNew = (current: number) =>
    new Error(`The database schema (version ${current}) is newer than this billing-elements (${latest}).`);
  // A look without the lock first: a database already up to date is the usual case.
  const seen = version();
  if (seen > latest) throw tooNew(seen);
  if (seen === latest) return 0;

  /** Applies the next pending migration under the write lock; `false` once there is none. */
  const applyNext = db.transaction((): boolean => {
    const current = version();
    if (current > latest) throw tooNew(current);
    const next = migrations.find((m) => m.version > current);
    if (next === undefined) return false;
    db.exec(next.sql);
    db.pragma(`user_version = ${next.version}`);
    return true;
  });
  let applied = 0;
  while (applyNext.immediate()) applied++;
  return applied;
}
