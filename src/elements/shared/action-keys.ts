import { newIdempotencyKey } from '../../client/index.js';

/**
 * One `Idempotency-Key` per user action: retrying the same action (after a failure, a lost
 * answer) sends the same key, so the endpoint replays instead of applying it twice; once the
 * action has succeeded, or its request has changed, the next one gets a new key.
 */
export class ActionKeys {
  #keys = new Map<string, string>();

  /** The key of `action` (e.g. `setup`, `default:pm_1`), the same until it is `done`. */
  for(action: string): string {
    let key = this.#keys.get(action);
    if (!key) {
      key = newIdempotencyKey();
      this.#keys.set(action, key);
    }
    return key;
  }

  /** The action succeeded, or what it sends changed: its next attempt is a new action. */
  done(action: string): void {
    this.#keys.delete(action);
  }
}
