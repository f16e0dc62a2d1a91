/**
 * The shared policy helpers (src/server/policy/), on a small catalog of their own: what they
 * answer for a subscription's facts, at two engines' timings.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChangeRequest } from '../../src/contract/index.js';
import {
  createPreviewTokens,
  dependentModuleIds,
  limitWarnings,
  missingRequirements,
  modulePolicy,
  moduleOf,
  moduleTimings,
  offeredPlanChange,
  planChange,
  planChangeTimings,
  changeKey,
  requestDigest,
  unavailableReasons,
  usageBeyondLimits,
  usageNearLimits,
  type EngineTimings,
  type PolicyCatalog,
  type PolicySubscription,
} from '../../src/server/policy/index.js';

/** An engine that activates modules only now (the reference engine's timings). */
const NOW_ACTIVATIONS: EngineTimings = { plan: ['now', 'period_end'], activate: ['now'], deactivate: ['now', 'period_end'] };
/** An engine that can schedule every change (the Stripe engine's). */
const SCHEDULES_ALL: EngineTimings = { plan: ['now', 'period_end'], activate: ['now', 'period_end'], deactivate: ['now', 'period_end'] };

const CATALOG: PolicyCatalog = {
  plans: [
    { id: 'basic', rank: 1, intervals: ['month', 'year'], limits: [{ metricKey: 'seats', limit: 3 }, { metricKey: 'docs', limit: 100 }] },
    { id: 'team', rank: 2, intervals: ['month', 'year'], limits: [{ metricKey: 'seats', limit: 10 }, { metricKey: 'docs', limit: null }], includedModuleIds: ['reports'] },
    { id: 'partner', rank: 2, intervals: ['month'], limits: [{ metricKey: 'seats', limit: 10 }] },
    { id: 'business', rank: 3, intervals: ['month', 'year'] },
  ],
  modules: [
    { id: 'reports', forSale: false, intervals: [] },
    { id: 'exports', requires: { allOfModules: ['reports'] }, intervals: ['month', 'year'] },
    { id: 'sso', requires: { anyOfPlans: ['team', 'business'] }, intervals: ['month', 'year'] },
    { id: 'audit', requires: { allOfModules: ['sso', 'exports'] }, intervals: ['month'] },
    { id: 'legacy', forSale: false, intervals: ['month'] },
  ],
};

/** On Team monthly with Reports (included), Exports and SSO. */
const TEAM: PolicySubscription = { planId: 'team', interval: 'month', activeModuleIds: ['reports', 'exports', 'sso'] };
/** On Basic yearly with nothing. */
const BASIC_YEARLY: PolicySubscription = { planId: 'basic', interval: 'year', activeModuleIds: [] };

describe('policy: plans', () => {
  it('directions by rank: the current plan, upgrades, downgrades, a lateral move', () => {
    const directions = CATALOG.plans.map((plan) => [plan.id, offeredPlanChange(CATALOG, TEAM, plan.id, NOW_ACTIVATIONS).direction]);
    assert.deepEqual(directions, [['basic', 'downgrade'], ['team', 'current'], ['partner', 'lateral'], ['business', 'upgrade']]);
  });

  it('a downgrade defaults to the period end, an upgrade and a lateral move to now; the current plan has no timing', () => {
    const change = (id: string) => offeredPlanChange(CATALOG, TEAM, id, SCHEDULES_ALL);
    assert.deepEqual(change('basic'), { direction: 'downgrade', allowedTimings: ['now', 'period_end'], defaultTiming: 'period_end' });
    assert.deepEqual(change('business'), { direction: 'upgrade', allowedTimings: ['now', 'period_end'], defaultTiming: 'now' });
    assert.deepEqual(change('partner'), { direction: 'lateral', allowedTimings: ['now', 'period_end'], defaultTiming: 'now' });
    assert.deepEqual(change('team'), { direction: 'current', allowedTimings: [], defaultTiming: null });
  });

  it('an engine that only changes plans now defaults a downgrade to now', () => {
    const nowOnly: EngineTimings = { ...NOW_ACTIVATIONS, plan: ['now'] };
    assert.deepEqual(offeredPlanChange(CATALOG, TEAM, 'basic', nowOnly), { direction: 'downgrade', allowedTimings: ['now'], defaultTiming: 'now' });
  });

  it('without a subscription every plan is a start, and a start happens now', () => {
    for (const plan of CATALOG.plans) {
      assert.deepEqual(offeredPlanChange(CATALOG, null, plan.id, SCHEDULES_ALL), { direction: 'upgrade', allowedTimings: ['now'], defaultTiming: 'now' });
    }
  });

  it('the plan change already scheduled for the period end is not offered for it again; other plans are', () => {
    const scheduled: PolicySubscription = { ...TEAM, scheduledChanges: [{ kind: 'plan_change', toPlanId: 'basic', toInterval: 'month' }] };
    assert.deepEqual(offeredPlanChange(CATALOG, scheduled, 'basic', NOW_ACTIVATIONS), { direction: 'downgrade', allowedTimings: ['now'], defaultTiming: 'now' });
    assert.deepEqual(offeredPlanChange(CATALOG, scheduled, 'business', NOW_ACTIVATIONS).allowedTimings, ['now', 'period_end']);
    const otherInterval: PolicySubscription = { ...TEAM, scheduledChanges: [{ kind: 'plan_change', toPlanId: 'basic', toInterval: 'year' }] };
    assert.deepEqual(offeredPlanChange(CATALOG, otherInterval, 'basic', NOW_ACTIVATIONS).allowedTimings, ['now', 'period_end']);
  });

  it('a subscription on a plan the catalog no longer has ranks 0; an unknown target plan throws', () => {
    const retired: PolicySubscription = { ...TEAM, planId: 'retired' };
    assert.equal(offeredPlanChange(CATALOG, retired, 'basic', NOW_ACTIVATIONS).direction, 'upgrade');
    assert.throws(() => offeredPlanChange(CATALOG, TEAM, 'nope', NOW_ACTIVATIONS), RangeError);
  });

  it('switching the interval on the current plan may take either timing', () => {
    const team = { id: 'team', rank: 2 };
    assert.deepEqual(planChangeTimings(team, team, NOW_ACTIVATIONS), ['now', 'period_end']);
    assert.deepEqual(planChangeTimings({ id: 'basic', rank: 1 }, team, { ...NOW_ACTIVATIONS, plan: ['now'] }), ['now']);
    assert.deepEqual(planChange(team, team, NOW_ACTIVATIONS).allowedTimings, []);
  });
});

describe('policy: modules', () => {
  const reasons = (subscription: PolicySubscription | null) =>
    CATALOG.modules.map((module) => [module.id, unavailableReasons(CATALOG, subscription, module.id)]);

  it('reasons on Team: none for modules in effect, module_required for what a missing module blocks, not_for_sale', () => {
    assert.deepEqual(reasons(TEAM), [
      ['reports', []],
      ['exports', []],
      ['sso', []],
      ['audit', []],
      ['legacy', ['not_for_sale']],
    ]);
    const withoutSso: PolicySubscription = { ...TEAM, activeModuleIds: ['reports', 'exports'] };
    assert.deepEqual(unavailableReasons(CATALOG, withoutSso, 'audit'), ['module_required']);
  });

  it('reasons on Basic yearly: plan_required, module_required, not_for_sale (not sold on its own, or not at the interval)', () => {
    assert.deepEqual(reasons(BASIC_YEARLY), [
      ['reports', ['not_for_sale']],
      ['exports', ['module_required']],
      ['sso', ['plan_required']],
      ['audit', ['module_required', 'not_for_sale']],
      ['legacy', ['not_for_sale']],
    ]);
  });

  it('without a subscription every module needs a plan', () => {
    assert.deepEqual(reasons(null), [
      ['reports', ['plan_required', 'not_for_sale']],
      ['exports', ['plan_required', 'module_required']],
      ['sso', ['plan_required']],
      ['audit', ['plan_required', 'module_required']],
      ['legacy', ['plan_required', 'not_for_sale']],
    ]);
  });

  it('what a module needs that the subscription lacks', () => {
    assert.deepEqual(missingRequirements(moduleOf(CATALOG, 'audit'), 'basic', ['exports']), { allOfModules: ['sso'] });
    assert.deepEqual(missingRequirements(moduleOf(CATALOG, 'sso'), 'basic', []), { anyOfPlans: ['team', 'business'] });
    assert.equal(missingRequirements(moduleOf(CATALOG, 'sso'), 'business', new Set()), null);
    assert.throws(() => moduleOf(CATALOG, 'nope'), RangeError);
  });

  it('dependents: the modules in effect that need one (what deactivating it would take along), in catalog order', () => {
    const all: PolicySubscription = { ...TEAM, activeModuleIds: ['reports', 'exports', 'sso', 'audit'] };
    assert.deepEqual(dependentModuleIds(CATALOG, all, 'reports'), ['exports']);
    assert.deepEqual(dependentModuleIds(CATALOG, all, 'exports'), ['audit']);
    assert.deepEqual(dependentModuleIds(CATALOG, TEAM, 'exports'), [], 'audit is not in effect');
    assert.deepEqual(dependentModuleIds(CATALOG, null, 'reports'), []);
  });

  it('timings: an included module has none; a paid one follows the engine; a scheduled stop can only come sooner', () => {
    assert.deepEqual(moduleTimings(true, false, SCHEDULES_ALL), { activate: [], deactivate: [] });
    assert.deepEqual(moduleTimings(false, false, NOW_ACTIVATIONS), { activate: ['now'], deactivate: ['now', 'period_end'] });
    assert.deepEqual(moduleTimings(false, false, SCHEDULES_ALL), { activate: ['now', 'period_end'], deactivate: ['now', 'period_end'] });
    assert.deepEqual(moduleTimings(false, true, SCHEDULES_ALL).deactivate, ['now']);
  });

  it('modulePolicy puts it together from the facts, scheduled changes included', () => {
    const stopping: PolicySubscription = { ...TEAM, scheduledChanges: [{ kind: 'module_deactivation', moduleId: 'exports' }] };
    assert.deepEqual(modulePolicy(CATALOG, stopping, 'exports', NOW_ACTIVATIONS), {
      requires: { allOfModules: ['reports'] },
      available: true,
      unavailableReasons: [],
      dependentModuleIds: [],
      allowedTimings: { activate: ['now'], deactivate: ['now'] },
    });
    assert.deepEqual(modulePolicy(CATALOG, TEAM, 'reports', NOW_ACTIVATIONS), {
      requires: {},
      available: true,
      unavailableReasons: [],
      dependentModuleIds: ['exports'],
      allowedTimings: { activate: [], deactivate: [] },
    });
    const onBasic = modulePolicy(CATALOG, BASIC_YEARLY, 'sso', SCHEDULES_ALL);
    assert.equal(onBasic.available, false);
    assert.deepEqual(onBasic.requires, { anyOfPlans: ['team', 'business'] });
  });
});

describe('policy: usage against limits', () => {
  const usage = [
    { metricKey: 'seats', used: 7, warnAt: 0.8 },
    { metricKey: 'docs', used: 100, warnAt: 0.8 },
    { metricKey: 'storage', used: 9999, warnAt: 0.8 },
  ];

  it('beyond a limit, not at it; a metric the plan does not limit is unlimited', () => {
    const basic = CATALOG.plans[0]!;
    assert.deepEqual(usageBeyondLimits(basic, usage), [{ metricKey: 'seats', used: 7, limit: 3 }]);
    assert.deepEqual(usageBeyondLimits(CATALOG.plans[1]!, usage), [], 'null is unlimited');
  });

  it('the warnings of a change to a plan', () => {
    assert.deepEqual(limitWarnings(CATALOG, 'basic', usage), [{ code: 'usage_exceeds_new_limit', metricKey: 'seats', used: 7, limit: 3 }]);
    assert.deepEqual(limitWarnings(CATALOG, 'business', usage), []);
    assert.throws(() => limitWarnings(CATALOG, 'nope', usage), RangeError);
  });

  it('near a limit: at or past its warning threshold', () => {
    assert.deepEqual(usageNearLimits(CATALOG.plans[0]!, usage), ['seats', 'docs']);
    assert.deepEqual(usageNearLimits(CATALOG.plans[1]!, [{ metricKey: 'seats', used: 8, warnAt: 0.8 }]), ['seats']);
    assert.deepEqual(usageNearLimits(CATALOG.plans[1]!, [{ metricKey: 'seats', used: 7, warnAt: 0.8 }]), []);
  });
});

describe('policy: preview tokens', () => {
  const upgrade: ChangeRequest = { timing: 'now', change: { type: 'plan', planId: 'business' } };
  const AT = Date.UTC(2026, 10, 30, 12);
  const tokens = createPreviewTokens('a secret long enough for the tests, 32+ bytes');
  const claims = { customer: 'cus_1', request: changeKey(upgrade), version: 'v1', at: AT, expiresAt: AT + 600_000 };
  const token = tokens.sign(claims);
  const expected = { customer: 'cus_1', request: upgrade, version: 'v1', now: AT + 1000 };

  it('a token signed here checks out for its customer, change and version until it expires', () => {
    assert.deepEqual(tokens.verify(token), claims);
    assert.deepEqual(tokens.check(token, expected), { ok: true, claims });
    assert.deepEqual(tokens.check(token, { ...expected, request: { ...upgrade, previewToken: token } as ChangeRequest }).ok, true, 'a commit’s previewToken is not part of the change');
  });

  it('an altered token, one signed with another secret, or not a token at all is not_issued', () => {
    const [payload = '', signature = ''] = token.split('.');
    const altered = JSON.parse(Buffer.from(payload, 'base64url').toString()) as typeof claims;
    const earlier = `${Buffer.from(JSON.stringify({ ...altered, at: AT - 86_400_000 })).toString('base64url')}.${signature}`;
    const flipped = `${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    const foreign = createPreviewTokens('another secret, just as long as the first one').sign(claims);
    for (const bad of [earlier, flipped, foreign, 'nonsense', `${token}.extra`, '']) {
      assert.equal(tokens.verify(bad), null, bad);
      assert.deepEqual(tokens.check(bad, expected), { ok: false, reason: 'not_issued' }, bad);
    }
  });

  it('a token for another customer or another change is not_issued; an expired one expired; another version stale', () => {
    assert.deepEqual(tokens.check(token, { ...expected, customer: 'cus_2' }), { ok: false, reason: 'not_issued' });
    const periodEnd: ChangeRequest = { ...upgrade, timing: 'period_end' };
    assert.deepEqual(tokens.check(token, { ...expected, request: periodEnd }), { ok: false, reason: 'not_issued' });
    const yearly: ChangeRequest = { timing: 'now', change: { type: 'plan', planId: 'business', interval: 'year' } };
    assert.deepEqual(tokens.check(token, { ...expected, request: yearly }), { ok: false, reason: 'not_issued' });
    assert.deepEqual(tokens.check(token, { ...expected, now: AT + 600_000 }), { ok: false, reason: 'expired' });
    assert.deepEqual(tokens.check(token, { ...expected, now: AT + 600_000, version: 'v2' }), { ok: false, reason: 'expired' }, 'expiry is told first');
    assert.deepEqual(tokens.check(token, { ...expected, version: 'v2' }), { ok: false, reason: 'stale' });
  });

  it('digests tell changes apart', () => {
    const digests = new Set(
      [
        upgrade,
        { ...upgrade, timing: 'period_end' },
        { timing: 'now', change: { type: 'plan', planId: 'business', interval: 'month' } },
        { timing: 'now', change: { type: 'module', moduleId: 'sso', action: 'activate' } },
        { timing: 'now', change: { type: 'module', moduleId: 'sso', action: 'deactivate' } },
      ].map((request) => requestDigest(request as ChangeRequest)),
    );
    assert.equal(digests.size, 5);
    // The key of a change does not depend on the order its fields came in.
    assert.equal(changeKey({ change: { planId: 'business', type: 'plan' }, timing: 'now' } as ChangeRequest), changeKey(upgrade));
    assert.notEqual(changeKey({ ...upgrade, timing: 'period_end' }), changeKey(upgrade));
    assert.throws(() => createPreviewTokens(''), RangeError);
  });
});
