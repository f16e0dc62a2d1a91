/**
 * What the reference engine writes in the reader's language: invoice line descriptions it
 * generates, catalog names and descriptions (from `catalog_texts`), and the words of the
 * invoice PDF. The language is the first of the request's (`Accept-Language`) that has a
 * table here, else the customer's, else English (CONTRACT.md, "Conventions").
 */
import type { InvoiceStatus } from '../../../contract/index.js';
import type { Offer } from './offer.js';

export interface ServerTexts {
  /** Proration credit for the unused part of the period. */
  unusedTime(name: string): string;
  /** Proration charge for the rest of the period. */
  remainingTime(name: string): string;
  addedToCreditBalance: string;
  creditBalanceApplied: string;
  pdf: {
    invoice: string;
    number: string;
    issued: string;
    due: string;
    period: string;
    from: string;
    billedTo: string;
    vatId: string;
    description: string;
    amount: string;
    total: string;
    amountDue: string;
    status: Record<InvoiceStatus, string>;
    page(page: number, pages: number): string;
    footer: string;
  };
}

const en: ServerTexts = {
  unusedTime: (name) => `Unused time on ${name}`,
  remainingTime: (name) => `Remaining time on ${name}`,
  addedToCreditBalance: 'Added to your credit balance',
  creditBalanceApplied: 'Credit balance applied',
  pdf: {
    invoice: 'Invoice',
    number: 'Invoice number',
    issued: 'Issue date',
    due: 'Due date',
    period: 'Period',
    from: 'From',
    billedTo: 'Billed to',
    vatId: 'VAT number',
    description: 'Description',
    amount: 'Amount',
    total: 'Total',
    amountDue: 'Amount due',
    status: { draft: 'Draft', open: 'Open', paid: 'Paid', void: 'Void', uncollectible: 'Uncollectible' },
    page: (page, pages) => `Page ${page} of ${pages}`,
    footer: 'Issued by the billing-elements reference engine: test data, not a real invoice.',
  },
};

const fr: ServerTexts = {
  unusedTime: (name) => `Temps non utilisé sur ${name}`,
  remainingTime: (name) => `Temps restant sur ${name}`,
  addedToCreditBalance: 'Ajouté à votre solde créditeur',
  creditBalanceApplied: 'Solde créditeur appliqué',
  pdf: {
    invoice: 'Facture',
    number: 'Numéro de facture',
    issued: 'Date d’émission',
    due: 'Date d’échéance',
    period: 'Période',
    from: 'Émetteur',
    billedTo: 'Facturé à',
    vatId: 'N° de TVA',
    description: 'Désignation',
    amount: 'Montant',
    total: 'Total',
    amountDue: 'Reste à payer',
    status: { draft: 'Brouillon', open: 'À payer', paid: 'Payée', void: 'Annulée', uncollectible: 'Irrécouvrable' },
    page: (page, pages) => `Page ${page} sur ${pages}`,
    footer: 'Émise par le moteur de référence billing-elements : données de test, pas une vraie facture.',
  },
};

export const serverTexts = { en, fr } as const;

export type ServerLanguage = keyof typeof serverTexts;

/** `fr-FR` → `fr`; anything we have no table for → `en`. */
export function serverLanguage(locale: string): ServerLanguage {
  const language = locale.toLowerCase().split(/[-_]/)[0] ?? '';
  return language in serverTexts ? (language as ServerLanguage) : 'en';
}

export function textsFor(locale: string): ServerTexts {
  return serverTexts[serverLanguage(locale)];
}

/** The language to write in: the first of `languages` with a table, else the customer's, else English. */
export function writingLanguage(languages: readonly string[] | undefined, customerLocale: string): ServerLanguage {
  for (const tag of languages ?? []) {
    const language = tag.toLowerCase().split(/[-_]/)[0] ?? '';
    if (Object.hasOwn(serverTexts, language)) return language as ServerLanguage;
  }
  return serverLanguage(customerLocale);
}

export type CatalogEntity = 'plan' | 'module' | 'metric';

/** The engine's sentences and the catalog's words, in one language. */
export interface Wording extends ServerTexts {
  language: ServerLanguage;
  /** The entity's name in this language, else the catalog's own (plans and modules), else `fallback`. */
  name(entity: CatalogEntity, id: string, fallback: string): string;
  description(entity: CatalogEntity, id: string, fallback: string | null): string | null;
}

const wordings = new WeakMap<Offer, Map<ServerLanguage, Wording>>();

/** The wording of `language` for the catalog of `offer` (kept as long as the offer is). */
export function wordingFor(offer: Offer, language: ServerLanguage): Wording {
  let byLanguage = wordings.get(offer);
  if (!byLanguage) wordings.set(offer, (byLanguage = new Map()));
  let wording = byLanguage.get(language);
  if (!wording) {
    const text = (entity: CatalogEntity, id: string) => offer.texts.get(`${language}|${entity}|${id}`);
    wording = {
      ...serverTexts[language],
      language,
      name: (entity, id, fallback) =>
        text(entity, id)?.name ??
        (entity === 'plan' ? offer.plans.get(id)?.name : entity === 'module' ? offer.modules.get(id)?.name : undefined) ??
        fallback,
      description: (entity, id, fallback) => text(entity, id)?.description ?? fallback,
    };
    byLanguage.set(language, wording);
  }
  return wording;
}

/** A locale `Intl` accepts, from what the customer row says (`fr_FR` and junk included). */
export function intlLocale(locale: string): string {
  try {
    return Intl.getCanonicalLocales(locale.replace('_', '-'))[0] ?? serverLanguage(locale);
  } catch {
    return serverLanguage(locale);
  }
}
