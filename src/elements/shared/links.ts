/** Only http(s) URLs become links: a `javascript:` URL from a compromised endpoint never does. */
export function safeHttpUrl(url: string | null, base: string): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url, base);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/*
 * Pay links keep `rel="noopener"` without `noreferrer`: a hosted pay page sends the customer
 * back to the page they came from, which it learns from the referrer (the browser's default
 * policy sends only the origin to another site).
 */
