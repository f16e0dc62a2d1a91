import type { Strings } from './strings.js';

const errors: Record<string, string> = {
  unauthenticated: 'Votre session a expiré. Reconnectez-vous pour voir votre abonnement.',
  forbidden: 'Vous n’avez pas l’autorisation de faire cette action.',
  not_found: 'Cette information est introuvable.',
  no_subscription: 'Ce compte n’a pas encore d’abonnement.',
  rate_limited: 'Trop de demandes. Patientez un instant puis réessayez.',
  engine_unavailable: 'Le service de facturation est momentanément indisponible.',
  network: 'Le service de facturation est injoignable. Vérifiez votre connexion.',
  timeout: 'Le service de facturation a mis trop de temps à répondre.',
  invalid_response: 'Le service de facturation a envoyé des données illisibles.',
  not_configured: 'Aucun service de facturation n’est configuré pour ce composant.',
};

/** Units arrive in English from the contract; these are the French nouns for common ones. */
const units: Record<string, [one: string, many: string]> = {
  client: ['client', 'clients'],
  document: ['document', 'documents'],
  order: ['commande', 'commandes'],
  user: ['utilisateur', 'utilisateurs'],
  seat: ['siège', 'sièges'],
  project: ['projet', 'projets'],
};
const noun = (unit: string, count: number) => {
  const [one, many] = units[unit] ?? [unit, /[sxz]$/.test(unit) ? unit : `${unit}s`];
  return count >= 2 ? many : one;
};

export const fr: Strings = {
  loading: 'Chargement…',
  retry: 'Réessayer',
  errorTitle: 'Une erreur est survenue',
  errorMessage: (code) => errors[code] ?? 'Une erreur inattendue est survenue.',
  contactSupport: 'Contacter le support',
  diagnosticSummary: 'Détails pour le support',
  copyDiagnostic: 'Copier les détails',
  copied: 'Copié',

  usageTitle: 'Utilisation',
  usageEmpty: 'Aucune donnée d’utilisation pour cet abonnement.',
  usageUnknownMetric: (metric) => `Aucune mesure d’utilisation ne s’appelle « ${metric} ».`,
  usageOfLimit: (used, limit, unit, count) => `${used} / ${limit} ${noun(unit, count)}`,
  usageUnlimited: (used, unit, count) => `${used} ${noun(unit, count)}, illimité`,
  usageValueText: (used, limit, unit, percent) => `${used} sur ${limit} ${noun(unit, 2)} (${percent})`,
  usageStatusOk: 'Dans la limite',
  usageStatusWarning: 'Proche de la limite',
  usageStatusReached: 'Limite atteinte',
  usageStatusOver: 'Limite dépassée',
  usageStatusUnlimited: 'Illimité',
  usageResetsOn: (date) => `Remise à zéro le ${date}`,
  usageNoReset: 'Pas de remise à zéro',
  usageForecastReach: (date) => `À ce rythme, la limite sera atteinte vers le ${date}.`,
  usageForecastSafe: 'À ce rythme, vous resterez dans la limite.',
};
