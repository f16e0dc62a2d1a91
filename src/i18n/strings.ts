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
  /** Labels of the support diagnostic's lines. */
  diagnosticLabels: { operation: string; code: string; status: string; requestId: string; time: string; none: string };

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
  /** The next invoice after the change, credits and proration included. */
  nextInvoice: (date: string) => string;
  /** The price of the configuration after the change, per billing interval, at list price. */
  recurringTotal: (interval: 'month' | 'year') => string;
  /** The credit the customer has, taken off coming invoices. */
  creditBalanceAvailable: (amount: string) => string;
  /** A timing the endpoint refused for this change: it is already scheduled for that date. */
  timingAlreadyScheduled: (date: string) => string;
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
  /** A switch of billing period on the same plan, scheduled. */
  intervalChangeScheduled: (interval: 'month' | 'year', date: string) => string;
  intervalChanged: (interval: 'month' | 'year') => string;
  intervalChangePlanned: (interval: 'month' | 'year', date: string) => string;
  noPriceForInterval: string;
  /** Over a limit of the current plan: what it means and what fixes it. */
  recommendUpOver: (metrics: string, plan: string) => string;
  /** Over a limit with no plan above. */
  overLimitTopPlan: (metrics: string) => string;

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
  paymentRemove: string;
  paymentRemoveConfirm: (method: string) => string;
  paymentKeep: string;
  paymentRemoved: (method: string) => string;
  /** A renewal could not be charged. */
  paymentLastFailed: string;
  /** Back from the hosted pay page. */
  paymentInvoicePaid: string;

  // Subscription summary
  summaryTitle: string;
  subscriptionStatus: (status: string) => string;
  billedMonthly: string;
  billedYearly: string;
  /** "Pro · billed monthly" */
  planAndInterval: (plan: string, interval: string) => string;
  summaryPrice: string;
  summaryNextInvoice: (date: string) => string;
  summaryNoNextInvoice: string;
  summaryBreakdown: string;
  summaryCreditBalance: string;
  summaryScheduled: string;
  moduleDeactivationOn: (module: string, date: string) => string;
  pastDueBanner: (amount: string | null) => string;
  payOpenInvoice: string;
  trialBanner: (date: string) => string;

  // Dashboard: the four verdicts of the monthly review
  dashboardTitle: string;
  verdictPlan: string;
  verdictModules: string;
  verdictUsage: string;
  verdictBilling: string;
  /** "Documents will reach Pro's limit (1,000) around 14 Dec at this pace." */
  planWillReach: (metric: string, plan: string, limit: string, date: string) => string;
  planNearLimit: (metric: string, plan: string, used: string, limit: string) => string;
  planOverLimit: (metrics: string, plan: string) => string;
  considerPlan: (plan: string) => string;
  planFits: (plan: string) => string;
  /** One plan down would fit: the monthly saving. */
  planDownFits: (plan: string, saving: string) => string;
  seePlans: string;
  modulesUnused: (modules: string, cost: string, count: number) => string;
  modulesAllUsed: string;
  /** Unused paid modules already stopping at the end of the period. */
  modulesStopping: (modules: string, date: string, count: number) => string;
  /** Between clauses of one sentence: "; " in English, " ; " in French. */
  clauseSeparator: string;
  modulesNoneTracked: string;
  deactivateModule: (module: string) => string;
  usageAllWithin: string;
  usageNear: (figures: string, count: number) => string;
  usageOver: (figures: string, count: number) => string;
  /** "Documents 870 / 1,000 (87 %)" */
  usageFigure: (metric: string, used: string, limit: string, percent: string) => string;
  usageReachOn: (date: string) => string;
  seeUsage: string;
  seeModules: string;
  seeInvoices: string;
  reviewLoading: string;
  billingMatches: (amount: string, date: string) => string;
  billingMismatch: (amount: string, expected: string) => string;
  /** What changed since the last invoice: "Accounting export removed: −€12.00". */
  billingSinceLast: (date: string) => string;
  lineAdded: (name: string, amount: string) => string;
  lineRemoved: (name: string, amount: string) => string;
  lineChanged: (name: string, amount: string) => string;
  billingNoChange: (date: string) => string;
  billingUnpaid: (number: string, amount: string) => string;
  billingCardExpired: string;
  billingCardExpiring: (date: string) => string;
  billingNoMethod: string;
  updatePaymentMethod: string;
  sectionSummary: string;
  sectionUsage: string;
  sectionModules: string;
  sectionPlans: string;
  sectionPayment: string;
  sectionInvoices: string;
  askSupport: string;
  /** Subject and body of the support message sent from the dashboard. */
  supportSubject: string;
  supportBody: (context: string) => string;
}

/** What a host may pass to replace some strings. */
export type StringOverrides = Partial<Strings>;
