/**
 * Live across tabs: the stores of one endpoint in every open tab (and frame) of the page's
 * origin share what a mutation returned, over a `BroadcastChannel` named after the endpoint's
 * URL. A tab that changes the subscription tells the others, which show it at once, without
 * waiting for focus or a reload.
 */
import type { PaymentMethod, Subscription } from '../contract/index.js';

export type TabMessage =
  | { type: 'subscription'; subscription: Subscription }
  | { type: 'paymentMethods'; data: PaymentMethod[] };

export interface TabChannel {
  post(message: TabMessage): void;
  close(): void;
}

/**
 * The channel of the endpoint at `baseUrl` (made absolute against the page); `null` where
 * there is no `BroadcastChannel` (old browsers) or no URL to name it by (a stand-in client).
 */
export function openTabChannel(baseUrl: string | undefined, onMessage: (message: TabMessage) => void): TabChannel | null {
  if (typeof BroadcastChannel === 'undefined' || typeof baseUrl !== 'string') return null;
  let endpoint: string;
  try {
    endpoint = new URL(baseUrl, globalThis.location?.href ?? 'http://localhost/').href;
  } catch {
    return null;
  }
  const channel = new BroadcastChannel(`billing-elements:${endpoint}`);
  // In Node (tests, server rendering) an open channel would keep the process alive.
  (channel as BroadcastChannel & { unref?: () => void }).unref?.();
  channel.onmessage = (event: MessageEvent<TabMessage>) => onMessage(event.data);
  return {
    post: (message) => channel.postMessage(message),
    close: () => channel.close(),
  };
}

/**
 * Which of two subscription versions is newer: `true` or `false` when both are whole numbers
 * (the reference engine's, and most engines'), `null` when they cannot be compared (opaque
 * versions): the endpoint then decides, by a reload.
 */
export function isNewerVersion(candidate: string, current: string): boolean | null {
  if (!/^\d+$/.test(candidate) || !/^\d+$/.test(current)) return null;
  return BigInt(candidate) > BigInt(current);
}
