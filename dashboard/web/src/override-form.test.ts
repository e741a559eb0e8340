import { describe, expect, it } from 'vitest';
import { describeOverride, overrideForm } from './override-form.ts';

const base = {
  intersectionId: 'i1',
  kind: 'plan' as const,
  planId: 'am',
  phaseId: '',
  minutes: '15',
  reason: 'match',
};

describe('overrideForm', () => {
  it('builds a plan request', () => {
    expect(overrideForm(base)).toEqual({
      ok: true,
      request: { intersectionId: 'i1', kind: 'plan', planId: 'am', minutes: 15, reason: 'match' },
    });
  });
  it('sends a phase only for a hold and nothing extra for flash', () => {
    const hold = overrideForm({ ...base, kind: 'hold', phaseId: 'p2' });
    expect(hold.ok && hold.request).toEqual({
      intersectionId: 'i1',
      kind: 'hold',
      phaseId: 'p2',
      minutes: 15,
      reason: 'match',
    });
    const flash = overrideForm({ ...base, kind: 'flash' });
    expect(flash.ok && flash.request).toEqual({
      intersectionId: 'i1',
      kind: 'flash',
      minutes: 15,
      reason: 'match',
    });
  });
  it('explains every missing or wrong field', () => {
    const r = overrideForm({ ...base, kind: 'hold', minutes: '600', reason: ' x ' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.errors).sort()).toEqual(['minutes', 'phaseId', 'reason']);
  });
  it('refuses a duration that is not a number', () => {
    expect(overrideForm({ ...base, minutes: 'soon' }).ok).toBe(false);
    expect(overrideForm({ ...base, minutes: '' }).ok).toBe(false);
  });
  it('describes what will happen', () => {
    const r = overrideForm({ ...base, kind: 'flash' });
    expect(r.ok && describeOverride(r.request, 'Main & 1st')).toBe('Main & 1st: flash yellow for 15 min');
  });
});
