/** Where the reference engine reads the time, so tests and demos can fix or move it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
