/**
 * Every visible string of every element. Numbers, money and dates arrive already
 * formatted for the locale; counts arrive as numbers so a message can pick its plural.
 */
export interface Strings {
  // Shared states
  loading: string;
  retry: string;
  errorTitle: string;
  /** The sentence for an error, by `BillingError.code`. */
  errorMessage: (code: string) => string;
  contactSupport: string;
  diagnosticSummary: string;
  copyDiagnostic: string;
  copied: string;

  // Usage meter
  usageTitle: string;
  usageEmpty: string;
  usageUnknownMetric: (metric: string) => string;
  /** "870 / 1,000 documents"; `count` is the limit, for the plural of `unit`. */
  usageOfLimit: (used: string, limit: string, unit: string, count: number) => string;
  /** Figures of an unlimited metric (the status says "Unlimited"). */
  usageUnlimited: (used: string, unit: string, count: number) => string;
  /** Text read by assistive technology for the meter. */
  usageValueText: (used: string, limit: string, unit: string, percent: string) => string;
  usageStatusOk: string;
  usageStatusWarning: string;
  usageStatusReached: string;
  usageStatusOver: string;
  usageStatusUnlimited: string;
  usageResetsOn: (date: string) => string;
  usageNoReset: string;
  usageForecastReach: (date: string) => string;
  usageForecastSafe: string;

  // Shared by the change flows (module list, plan picker)
  perMonth: (price: string) => string;
  perYear: (price: string) => string;
  timingLegend: string;
  timingNow: string;
  timingPeriodEnd: (date: string) => string;
  /** Label of a timing option with what it costs now. */
  timingOption: (timing: string, dueNow: string) => string;
  previewLoading: string;
  previewLines: string;
  dueNow: string;
  nextInvoice: (date: string) => string;
  warningUsageOverLimit: (used: string, limit: string, unit: string, count: number) => string;
  warningModulesRemoved: (modules: string, count: number) => string;
  /** Said once after the usage warnings of a change. */
  warningUsageNote: string;
  warningPaymentMethod: string;
  confirm: string;
  cancel: string;
  close: string;
  scheduledOn: (date: string) => string;
  cancelScheduled: string;
  scheduledCancelled: string;
  /** Joins names: "A, B and C". */
  list: (items: string[]) => string;

  // Module list
  modulesTitle: string;
  modulesEmpty: string;
  moduleStateActive: string;
  moduleStateIncluded: string;
  moduleStateInactive: string;
  moduleActivationScheduled: (date: string) => string;
  moduleDeactivationScheduled: (date: string) => string;
  moduleActivate: string;
  moduleDeactivate: string;
  moduleActivateTitle: (name: string) => string;
  moduleDeactivateTitle: (name: string) => string;
  moduleRequiresPlan: (plans: string) => string;
  moduleRequiresModules: (modules: string) => string;
  moduleNotForSale: string;
  moduleSeePlans: string;
  moduleShowRequired: string;
  moduleUnused: (lastUsed: string | null) => string;
  moduleUsage30d: (count: number) => string;
  moduleActivated: (name: string) => string;
  moduleDeactivated: (name: string) => string;
  moduleActivationPlanned: (name: string, date: string) => string;
  moduleDeactivationPlanned: (name: string, date: string) => string;

  // Plan picker
  plansTitle: string;
  plansEmpty: string;
  billingInterval: string;
  monthly: string;
  yearly: string;
  currentPlan: string;
  recommended: string;
  recommendUp: (plan: string) => string;
  recommendDown: (plan: string) => string;
  recommendFits: string;
  /** "500 clients"; `count` picks the plural. */
  quantity: (value: string, unit: string, count: number) => string;
  unlimitedQuantity: (unit: string) => string;
  /** "you have 312" */
  youHave: (used: string) => string;
  /** "You have 120 clients; this plan allows 100" */
  limitAgainstUsage: (used: string, limit: string, unit: string, count: number) => string;
  choosePlan: (plan: string) => string;
  includesModules: (modules: string) => string;
  changePlanTitle: (plan: string) => string;
  changeIntervalTitle: (interval: 'month' | 'year') => string;
  planChanged: (plan: string) => string;
  planChangePlanned: (plan: string, date: string) => string;
  planChangeScheduled: (plan: string, date: string) => string;
  noPriceForInterval: string;

  // Invoice table
  invoicesTitle: string;
  invoicesEmpty: string;
  invoicesEmptyFiltered: string;
  invoiceNumber: string;
  invoiceDate: string;
  invoicePeriod: string;
  invoiceAmount: string;
  invoiceStatus: string;
  invoiceActions: string;
  invoiceStatusLabel: (status: string) => string;
  /** "€70.00 due by Dec 14, 2026" */
  invoiceAmountDue: (amount: string, dueDate: string | null) => string;
  invoiceShowLines: string;
  invoiceHideLines: string;
  invoiceLinesTotal: string;
  invoiceDownloadPdf: string;
  invoicePay: string;
  invoicesLoadMore: string;
  invoicesExportCsv: string;
  invoicesFilterStatus: string;
  invoicesFilterAll: string;
  invoicesFilterFrom: string;
  invoicesFilterTo: string;
  invoicesShown: (count: number) => string;
  /** CSV column headers, in order. */
  invoicesCsvColumns: string[];

  // Payment method
  paymentTitle: string;
  paymentEmpty: string;
  paymentDefault: string;
  paymentOthers: string;
  /** "Visa ending in 4242" */
  paymentCard: (brand: string, last4: string) => string;
  paymentExpires: (date: string) => string;
  paymentExpiredOn: (date: string) => string;
  paymentExpired: string;
  paymentExpiresSoon: string;
  paymentSepa: string;
  paymentOther: string;
  paymentMakeDefault: string;
  paymentUpdate: string;
  paymentAdd: string;
  paymentRedirecting: string;
  paymentContinueInForm: string;
  paymentUpdated: string;
  paymentSetupCanceled: string;
  paymentDefaultChanged: (method: string) => string;
}

/** What a host may pass to replace some strings. */
export type StringOverrides = Partial<Strings>;
