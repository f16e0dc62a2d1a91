import '../src/define.js';
import type { BillingProvider } from '../src/index.js';

// The page's own texts; the elements translate themselves when <html lang> changes.
const texts: Record<string, Record<string, string>> = {
  fr: {
    title: 'Tableau de bord abonnement',
    dark: 'Thème sombre',
    testTitle: 'Mode test : essayer un renouvellement refusé',
    testIntro: 'Ce panneau ne fait pas partie des composants : il sert à essayer un renouvellement refusé.',
    testCard:
      '« Mettre à jour le moyen de paiement » avec la carte 4000 0000 0000 0341, acceptée maintenant et refusée au renouvellement (la carte de démonstration, qui expire ce mois-ci, échoue aussi).',
    testPeriodEnd: 'Aller à la fin de la période',
    testPay: 'Réglez ensuite la facture en attente avec 4242 4242 4242 4242.',
    renewed: 'Période renouvelée.',
    failed: 'Échec : la fin de période n’a pas pu être simulée.',
  },
  en: {
    title: 'Subscription dashboard',
    dark: 'Dark theme',
    testTitle: 'Test mode: try a failed renewal',
    testIntro: 'This panel is not part of the elements: it lets you try a renewal that fails.',
    testCard:
      '“Update payment method” with the card 4000 0000 0000 0341, accepted now and declined at renewal (the demo card, which expires this month, fails too).',
    testPeriodEnd: 'Go to the end of the period',
    testPay: 'Then pay the open invoice with 4242 4242 4242 4242.',
    renewed: 'Period renewed.',
    failed: 'Failed: the end of the period could not be simulated.',
  },
};

// Language and theme outlive a reload (and the round trip through the hosted pages).
const saved = { locale: localStorage.getItem('demo-locale') ?? 'fr', theme: localStorage.getItem('demo-theme') ?? 'light' };

function setLocale(locale: string): void {
  document.documentElement.lang = locale;
  localStorage.setItem('demo-locale', locale);
  for (const element of document.querySelectorAll<HTMLElement>('[data-text]')) {
    element.textContent = texts[locale]![element.dataset.text!] ?? element.textContent;
  }
  for (const button of document.querySelectorAll('[data-locale]')) {
    button.setAttribute('aria-pressed', String((button as HTMLElement).dataset.locale === locale));
  }
}

function setTheme(theme: string): void {
  document.documentElement.dataset.theme = theme;
  localStorage.setItem('demo-theme', theme);
  document.querySelector('[data-theme-toggle]')!.setAttribute('aria-pressed', String(theme === 'dark'));
}

for (const button of document.querySelectorAll<HTMLButtonElement>('[data-locale]')) {
  button.addEventListener('click', () => setLocale(button.dataset.locale!));
}
document.querySelector('[data-theme-toggle]')!.addEventListener('click', () =>
  setTheme(document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark'),
);
setLocale(saved.locale);
setTheme(saved.theme);

// Test mode: the reference server moves its clock to the end of the period and renews it;
// the elements then reload what they show.
const provider = document.querySelector<BillingProvider>('billing-provider')!;
document.querySelector('[data-period-end]')!.addEventListener('click', async () => {
  const status = document.querySelector<HTMLElement>('[data-test-status]')!;
  const locale = document.documentElement.lang;
  const response = await fetch('/api/billing/v1/test/period-end', { method: 'POST' });
  status.textContent = response.ok ? texts[locale]!.renewed! : texts[locale]!.failed!;
  await provider.store?.revalidate();
});

// Hosts can veto or log every change; the demo only logs them.
document.addEventListener('billing-change', (event) => console.info('billing-change', event.change, event.subscription?.version));
