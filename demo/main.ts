import '../src/define.js';

// The page's own texts; the elements translate themselves when <html lang> changes.
const texts: Record<string, Record<string, string>> = {
  fr: {
    title: 'Tableau de bord abonnement',
    usage: 'Utilisation',
    modules: 'Modules',
    plans: 'Changer de plan',
    payment: 'Moyen de paiement',
    invoices: 'Factures',
  },
  en: {
    title: 'Subscription dashboard',
    usage: 'Usage',
    modules: 'Modules',
    plans: 'Change plan',
    payment: 'Payment method',
    invoices: 'Invoices',
  },
};

for (const button of document.querySelectorAll<HTMLButtonElement>('[data-locale]')) {
  button.addEventListener('click', () => {
    const locale = button.dataset.locale!;
    document.documentElement.lang = locale;
    for (const element of document.querySelectorAll<HTMLElement>('[data-text]')) {
      element.textContent = texts[locale]![element.dataset.text!] ?? element.textContent;
    }
    for (const other of document.querySelectorAll('[data-locale]')) other.setAttribute('aria-pressed', String(other === button));
  });
}

// Hosts can veto or log every change; the demo only logs them.
document.addEventListener('billing-change', (event) => console.info('billing-change', event.change, event.subscription.version));
