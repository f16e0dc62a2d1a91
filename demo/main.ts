import '../src/define.js';

// The language switch only changes the provider's locale: every element re-renders in place.
const provider = document.querySelector('billing-provider')!;
const titles: Record<string, Record<string, string>> = {
  fr: { 'usage-title': 'Utilisation', 'documents-title': 'Documents ce mois-ci', h1: 'Tableau de bord abonnement' },
  en: { 'usage-title': 'Usage', 'documents-title': 'Documents this month', h1: 'Subscription dashboard' },
};
for (const button of document.querySelectorAll<HTMLButtonElement>('[data-locale]')) {
  button.addEventListener('click', () => {
    const locale = button.dataset.locale!;
    provider.locale = locale;
    document.documentElement.lang = locale;
    for (const [id, text] of Object.entries(titles[locale]!)) {
      const element = id === 'h1' ? document.querySelector('h1') : document.getElementById(id);
      if (element) element.textContent = text;
    }
    for (const other of document.querySelectorAll('[data-locale]')) other.setAttribute('aria-pressed', String(other === button));
  });
}
