/**
 * Demo only: who a request is answered as. The `billing_customer` cookie names the customer,
 * so one browser can switch between customers; this is a convenience, not authentication. A
 * real host resolves the customer from its own session.
 */
import type { ResolvedCustomer } from '../server/identity.js';

/** The seeded demo owner (src/server/reference/seed.ts), named here so that `--help` needs no optional peer. */
export const DEMO_CUSTOMER = 'cus_demo';

/** The value of the cookie `name` in the request, `''` for a cookie without one, `undefined` for none. */
export function cookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get('Cookie') ?? '').split(';')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === name) return value ?? '';
  }
  return undefined;
}

/**
 * The reference engine's: no cookie is the demo owner, a cookie naming a customer of the
 * database is that customer, a cookie naming nobody is nobody (401).
 */
export function demoCustomerResolver(
  engine: { hasCustomer(customer: string): Promise<boolean> },
  identity: (customer: string) => ResolvedCustomer,
) {
  return async (request: Request) => {
    const named = cookie(request, 'billing_customer');
    if (named === undefined) return identity(DEMO_CUSTOMER);
    return named !== '' && (await engine.hasCustomer(named)) ? identity(named) : null;
  };
}
