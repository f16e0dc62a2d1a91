/**
 * ISO 4217 minor units: how many decimals `amountMinor` has. Not Intl's
 * `maximumFractionDigits`, which follows CLDR display conventions (0 for HUF and IDR, where
 * ISO says 2) and would show such amounts 100 times too large.
 */
const exceptions: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0,
  UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

export function minorUnitDigits(currency: string): number {
  return Object.hasOwn(exceptions, currency) ? exceptions[currency]! : 2;
}
