/**
 * RFC 9457 problem documents, as the contract shapes them. Titles follow the request's
 * `Accept-Language` (English or French; English otherwise).
 */
import { errorStatus, retryableCodes, type Problem, type ServerErrorCode } from '../contract/index.js';
import { pickLanguage } from './accept-language.js';
import type { ProblemExtras } from './errors.js';

const en: Record<ServerErrorCode, string> = {
  unauthenticated: 'Authentication required',
  forbidden: 'Not allowed',
  not_found: 'Not found',
  no_subscription: 'No subscription',
  validation_failed: 'Invalid request',
  plan_not_available: 'Plan not available',
  module_requirements_not_met: 'Module requirements not met',
  timing_not_supported: 'Timing not supported',
  change_not_allowed: 'Change not allowed',
  preview_expired: 'Preview expired',
  preview_stale: 'Preview out of date',
  version_conflict: 'Subscription changed meanwhile',
  precondition_required: 'If-Match required',
  idempotency_key_reused: 'Idempotency key reused',
  idempotency_in_progress: 'Request still in progress',
  payment_failed: 'Payment failed',
  rate_limited: 'Too many requests',
  engine_unavailable: 'Billing engine unavailable',
  internal: 'Internal error',
};

const fr: Record<ServerErrorCode, string> = {
  unauthenticated: 'Authentification requise',
  forbidden: 'Action non autorisée',
  not_found: 'Introuvable',
  no_subscription: 'Aucun abonnement',
  validation_failed: 'Requête invalide',
  plan_not_available: 'Plan indisponible',
  module_requirements_not_met: 'Prérequis du module manquants',
  timing_not_supported: 'Échéance non prise en charge',
  change_not_allowed: 'Changement non autorisé',
  preview_expired: 'Aperçu expiré',
  preview_stale: 'Aperçu périmé',
  version_conflict: 'Abonnement modifié entre-temps',
  precondition_required: 'If-Match requis',
  idempotency_key_reused: 'Clé d’idempotence déjà utilisée',
  idempotency_in_progress: 'Requête en cours de traitement',
  payment_failed: 'Paiement refusé',
  rate_limited: 'Trop de requêtes',
  engine_unavailable: 'Moteur de facturation indisponible',
  internal: 'Erreur interne',
};

const titles = { en, fr } as const;

const PROBLEM_TYPE_BASE = 'https://billing-elements.dev/problems/';

export function problemDocument(
  code: ServerErrorCode,
  requestId: string,
  detail?: string,
  extras: ProblemExtras = {},
  /** The reader's languages, best first (see accept-language.ts). */
  languages: readonly string[] = [],
): Problem {
  return {
    type: PROBLEM_TYPE_BASE + code,
    title: titles[pickLanguage(languages, ['en', 'fr'], 'en')][code],
    status: errorStatus[code],
    code,
    ...(detail === undefined ? {} : { detail }),
    requestId,
    retryable: retryableCodes.has(code),
    ...extras,
  };
}

export function problemResponse(problem: Problem): Response {
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { 'Content-Type': 'application/problem+json' },
  });
}
