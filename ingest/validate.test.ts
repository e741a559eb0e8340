import { describe, expect, it } from 'vitest';
import { MAX_FUTURE_MS, MAX_PAST_MS, MAX_PAYLOAD_BYTES, topics } from '../protocol/index.ts';
import { camera, controlService, gateway, meter, signal } from './test-senders.ts';
import { validate } from './validate.ts';

const NOW = 1_780_000_000_000;
const json = (v: unknown) => Buffer.from(JSON.stringify(v));
const counts = {
  ts: NOW,
  intervalS: 5,
  intensity: 4,
  occupancy: 0.31,
  averageVehicleSpeed: 27.5,
  queueLength: 6,
};
const state = { ts: NOW, planId: 'I-0001-AM', phase: 'P1', phaseElapsedS: 12, mode: 'fixed', faults: [] };
const plan = {
  ts: NOW,
  planId: 'p-1',
  source: 'adaptive',
  cycleS: 70,
  offsetS: 12,
  phases: [{ id: 'P1', movements: ['NT'], greenS: 32, yellowS: 4, allRedS: 2 }],
};

describe('validate: accepted messages of every topic', () => {
  it('accepts camera counts under the camera id', () => {
    const v = validate(camera('CAM-1'), topics.cameraCounts.of('CAM-1'), json(counts), NOW);
    expect(v).toEqual({ ok: true, key: 'cameraCounts', id: 'CAM-1', data: counts });
  });

  it('accepts a signal state under the signal intersection id', () => {
    const v = validate(signal('SIG-1', 'I-0007'), topics.signalState.of('I-0007'), json(state), NOW);
    expect(v).toMatchObject({ ok: true, key: 'signalState', id: 'I-0007' });
  });

  it('accepts a plan for any signal from a service with plan:publish', () => {
    const v = validate(controlService(), topics.signalPlan.of('I-0042'), json(plan), NOW);
    expect(v).toMatchObject({ ok: true, key: 'signalPlan', id: 'I-0042' });
  });

  it('accepts a single meter reading and an array of them', () => {
    const one = { ts: NOW, kind: 'water', value: 1523.118, flow: 36 };
    expect(validate(meter('M-1'), topics.meterReadings.of('M-1'), json(one), NOW)).toMatchObject({
      ok: true,
    });
    const many = [one, { ...one, ts: NOW - 1000 }];
    expect(validate(meter('M-1'), topics.meterReadings.of('M-1'), json(many), NOW)).toMatchObject({
      ok: true,
      data: many,
    });
  });

  it('accepts any kind from a meter whose kind was not recorded', () => {
    const r = { ts: NOW, kind: 'electricity', value: 1 };
    expect(validate(meter('M-1', null), topics.meterReadings.of('M-1'), json(r), NOW).ok).toBe(true);
  });

  it('accepts gateway readings for meters registered behind it', () => {
    const gw = gateway('GW-1', { 'B-1-W': 'water', 'B-1-E': null });
    const batch = [
      { meterId: 'B-1-W', ts: NOW, kind: 'water', value: 1 },
      { meterId: 'B-1-E', ts: NOW, kind: 'electricity', value: 2, power: 2310 },
    ];
    expect(validate(gw, topics.gatewayReadings.of('GW-1'), json(batch), NOW)).toMatchObject({
      ok: true,
      key: 'gatewayReadings',
    });
  });

  it('accepts a device status (without and with ts)', () => {
    const c = camera('CAM-1');
    expect(validate(c, topics.deviceStatus.of('CAM-1'), json({ status: 'online' }), NOW).ok).toBe(true);
    expect(validate(c, topics.deviceStatus.of('CAM-1'), json({ status: 'offline', ts: NOW }), NOW).ok).toBe(
      true,
    );
  });

  it('accepts timestamps exactly at both edges of the window', () => {
    const c = camera('CAM-1');
    const t = topics.cameraCounts.of('CAM-1');
    expect(validate(c, t, json({ ...counts, ts: NOW + MAX_FUTURE_MS }), NOW).ok).toBe(true);
    expect(validate(c, t, json({ ...counts, ts: NOW - MAX_PAST_MS }), NOW).ok).toBe(true);
  });
});

describe('validate: every reject reason', () => {
  const c = camera('CAM-1');
  const t = topics.cameraCounts.of('CAM-1');

  it('payload_too_large before parsing anything, even on an unknown topic', () => {
    const big = Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 0x20);
    expect(validate(c, 'not/a/topic/at/all', big, NOW)).toMatchObject({
      ok: false,
      reason: 'payload_too_large',
    });
  });

  it('a payload of exactly 64 KiB is not too large', () => {
    const padded = Buffer.alloc(MAX_PAYLOAD_BYTES, 0x20);
    json(counts).copy(padded);
    expect(validate(c, t, padded, NOW).ok).toBe(true);
  });

  it('topic_unknown for topics outside protocol v1 and invalid ids', () => {
    expect(validate(c, 'city/traffic/cameras/CAM-1/other', json(counts), NOW)).toMatchObject({
      reason: 'topic_unknown',
    });
    expect(validate(c, 'city/traffic/cameras/bad id/counts', json(counts), NOW)).toMatchObject({
      reason: 'topic_unknown',
    });
  });

  it("topic_device_mismatch for another device's id", () => {
    expect(validate(c, topics.cameraCounts.of('CAM-2'), json(counts), NOW)).toMatchObject({
      reason: 'topic_device_mismatch',
    });
    expect(validate(signal('S', 'I-1'), topics.signalState.of('I-2'), json(state), NOW)).toMatchObject({
      reason: 'topic_device_mismatch',
    });
  });

  it("topic_device_mismatch for another device type's topic under the own id", () => {
    const r = { ts: NOW, kind: 'water', value: 1 };
    expect(validate(c, topics.meterReadings.of('CAM-1'), json(r), NOW)).toMatchObject({
      reason: 'topic_device_mismatch',
    });
  });

  it('topic_device_mismatch for a plan from a device or a service without plan:publish', () => {
    expect(validate(signal('S', 'I-1'), topics.signalPlan.of('I-1'), json(plan), NOW)).toMatchObject({
      reason: 'topic_device_mismatch',
    });
    const viewer = controlService('dash', ['telemetry:subscribe']);
    expect(validate(viewer, topics.signalPlan.of('I-1'), json(plan), NOW)).toMatchObject({
      reason: 'topic_device_mismatch',
    });
  });

  it('payload_invalid_json for broken JSON and for invalid UTF-8', () => {
    expect(validate(c, t, Buffer.from('{"ts":'), NOW)).toMatchObject({ reason: 'payload_invalid_json' });
    const badUtf8 = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]); // {"\xff\xfe":1}
    expect(validate(c, t, badUtf8, NOW)).toMatchObject({ reason: 'payload_invalid_json' });
  });

  it('schema_violation for a missing, extra or mistyped field, with the path in detail', () => {
    const { intensity: _, ...missing } = counts;
    expect(validate(c, t, json(missing), NOW)).toMatchObject({
      reason: 'schema_violation',
      detail: /intensity/,
    });
    expect(validate(c, t, json({ ...counts, colour: 'red' }), NOW)).toMatchObject({
      reason: 'schema_violation',
      detail: /colour/,
    });
    expect(validate(c, t, json({ ...counts, intensity: '4' }), NOW)).toMatchObject({
      reason: 'schema_violation',
      detail: /intensity/,
    });
    expect(validate(c, t, json(null), NOW)).toMatchObject({ reason: 'schema_violation' });
  });

  it('value_out_of_range for numbers outside the protocol ranges, with the path', () => {
    expect(validate(c, t, json({ ...counts, occupancy: 1.5 }), NOW)).toMatchObject({
      reason: 'value_out_of_range',
      detail: /occupancy/,
    });
    const m = meter('M-1');
    expect(
      validate(m, topics.meterReadings.of('M-1'), json([{ ts: NOW, kind: 'water', value: -1 }]), NOW),
    ).toMatchObject({ reason: 'value_out_of_range', detail: /0\.value/ });
  });

  it('a range issue together with a shape issue is a schema_violation', () => {
    expect(validate(c, t, json({ ...counts, occupancy: 2, extra: 1 }), NOW)).toMatchObject({
      reason: 'schema_violation',
    });
  });

  it('timestamp_out_of_range one ms beyond either edge of the window', () => {
    expect(validate(c, t, json({ ...counts, ts: NOW + MAX_FUTURE_MS + 1 }), NOW)).toMatchObject({
      reason: 'timestamp_out_of_range',
    });
    expect(validate(c, t, json({ ...counts, ts: NOW - MAX_PAST_MS - 1 }), NOW)).toMatchObject({
      reason: 'timestamp_out_of_range',
    });
  });

  it('timestamp_out_of_range when any one reading of a batch is outside the window', () => {
    const gw = gateway('GW-1', { 'B-1-W': 'water' });
    const batch = [
      { meterId: 'B-1-W', ts: NOW, kind: 'water', value: 1 },
      { meterId: 'B-1-W', ts: NOW - MAX_PAST_MS - 1, kind: 'water', value: 1 },
    ];
    expect(validate(gw, topics.gatewayReadings.of('GW-1'), json(batch), NOW)).toMatchObject({
      reason: 'timestamp_out_of_range',
    });
  });

  it('meter_not_behind_gateway refuses the whole batch for one unknown meter', () => {
    const gw = gateway('GW-1', { 'B-1-W': 'water' });
    const batch = [
      { meterId: 'B-1-W', ts: NOW, kind: 'water', value: 1 },
      { meterId: 'B-9-W', ts: NOW, kind: 'water', value: 1 },
    ];
    expect(validate(gw, topics.gatewayReadings.of('GW-1'), json(batch), NOW)).toMatchObject({
      ok: false,
      reason: 'meter_not_behind_gateway',
      detail: /B-9-W/,
    });
  });

  it('meter_kind_mismatch for a gateway reading and for a direct meter reading', () => {
    const gw = gateway('GW-1', { 'B-1-W': 'water' });
    const batch = [{ meterId: 'B-1-W', ts: NOW, kind: 'electricity', value: 1 }];
    expect(validate(gw, topics.gatewayReadings.of('GW-1'), json(batch), NOW)).toMatchObject({
      reason: 'meter_kind_mismatch',
    });
    const r = { ts: NOW, kind: 'electricity', value: 1 };
    expect(validate(meter('M-1', 'water'), topics.meterReadings.of('M-1'), json(r), NOW)).toMatchObject({
      reason: 'meter_kind_mismatch',
    });
  });

  it('checks in the documented order: ownership before JSON, schema before timestamps', () => {
    expect(validate(c, topics.cameraCounts.of('CAM-2'), Buffer.from('nope'), NOW)).toMatchObject({
      reason: 'topic_device_mismatch',
    });
    expect(validate(c, t, json({ ...counts, ts: 0, extra: 1 }), NOW)).toMatchObject({
      reason: 'schema_violation',
    });
  });
});
