/**
 * What the reference engine writes in the customer's language: invoice line descriptions it
 * generates and the words of the invoice PDF. One table per language; a customer whose
 * locale is neither gets English. Plan and module names come from the catalog as they are.
 * (Problem titles stay English: they are for developers; `detail` is what users see.)
 */
import type { InvoiceStatus } from '../../contract/index.js';

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

/** A locale `Intl` accepts, from what the customer row says (`fr_FR` and junk included). */
export function intlLocale(locale: string): string {
  try {
    return Intl.getCanonicalLocales(locale.replace('_', '-'))[0] ?? serverLanguage(locale);
  } catch {
    return serverLanguage(locale);
  }
}
