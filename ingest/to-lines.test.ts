import { describe, expect, it } from 'vitest';
import { topics } from '../protocol/index.ts';
import { camera, controlService, gateway, meter, signal } from './test-senders.ts';
import { nsOf, rejectLine, toLines } from './to-lines.ts';
import { type ValidMessage, validate } from './validate.ts';

const NOW = 1_780_000_000_000;

function valid(...args: Parameters<typeof validate>): ValidMessage {
  const v = validate(...args);
  if (!v.ok) throw new Error(`test message refused: ${v.reason} ${v.detail}`);
  return v;
}
const json = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('toLines', () => {
  it('camera counts: device, intersection and approach tags, typed fields, ns timestamp', () => {
    const c = camera('CAM-1', 'I-0001');
    const msg = valid(
      c,
      topics.cameraCounts.of('CAM-1'),
      json({
        ts: NOW,
        intervalS: 5,
        intensity: 4,
        occupancy: 0.31,
        averageVehicleSpeed: 27.5,
        queueLength: 6,
      }),
      NOW,
    );
    expect(toLines(msg, c)).toEqual([
      'traffic_counts,approach=N,device=CAM-1,intersection=I-0001 ' +
        'averageVehicleSpeed=27.5,intensity=4i,intervalS=5,occupancy=0.31,queueLength=6i 1780000000000000000',
    ]);
  });

  it('signal state under the intersection id, faults joined', () => {
    const s = signal('SIG-1', 'I-0001');
    const msg = valid(
      s,
      topics.signalState.of('I-0001'),
      json({
        ts: NOW,
        planId: 'AM',
        phase: 'P1',
        phaseElapsedS: 12.5,
        mode: 'fixed',
        faults: ['lamp', 'door'],
        interval: 'green',
        cycleS: 90,
        source: 'stored',
        lastRejectedPlan: { planId: 'x', reason: 'min green', ts: NOW - 1 },
      }),
      NOW,
    );
    expect(toLines(msg, s)).toEqual([
      'signal_state,device=I-0001 cycleS=90,faultCount=2i,faults="lamp,door",interval="green",' +
        'lastRejectedPlanId="x",lastRejectedReason="min green",lastRejectedTs=1779999999999i,' +
        'mode="fixed",phase="P1",phaseElapsedS=12.5,planId="AM",source="stored" 1780000000000000000',
    ]);
  });

  it('signal plan keeps the phases as JSON and who sent it', () => {
    const svc = controlService('control');
    const phases = [{ id: 'P1', movements: ['NT'], greenS: 32, yellowS: 4, allRedS: 2 }];
    const msg = valid(
      svc,
      topics.signalPlan.of('I-0002'),
      json({
        ts: NOW,
        planId: 'p',
        source: 'operator',
        cycleS: 38,
        offsetS: 0,
        phases,
        flash: false,
        expiresAt: NOW + 5,
      }),
      NOW,
    );
    expect(toLines(msg, svc)).toEqual([
      'signal_plan,device=I-0002 cycleS=38,expiresAt=1780000000005i,flash=F,offsetS=0,phaseCount=1i,' +
        'phases="[{\\"id\\":\\"P1\\",\\"movements\\":[\\"NT\\"],\\"greenS\\":32,\\"yellowS\\":4,\\"allRedS\\":2}]",' +
        'planId="p",sender="control",source="operator" 1780000000000000000',
    ]);
  });

  it('one line per meter reading of a batch', () => {
    const m = meter('M-1', 'water');
    const msg = valid(
      m,
      topics.meterReadings.of('M-1'),
      json([
        { ts: NOW, kind: 'water', value: 1.5, flow: 36 },
        { ts: NOW + 1, kind: 'water', value: 2 },
      ]),
      NOW,
    );
    expect(toLines(msg, m)).toEqual([
      'meter_readings,device=M-1,kind=water flow=36,value=1.5 1780000000000000000',
      'meter_readings,device=M-1,kind=water value=2 1780000000001000000',
    ]);
  });

  it('a reading relayed by a gateway is the same point as sent directly (gateway is a field)', () => {
    const reading = { ts: NOW, kind: 'electricity', value: 88412.5, power: 2310 };
    const m = meter('B-1-E', 'electricity');
    const direct = toLines(valid(m, topics.meterReadings.of('B-1-E'), json(reading), NOW), m);
    const gw = gateway('GW-1', { 'B-1-E': 'electricity' });
    const relayed = toLines(
      valid(gw, topics.gatewayReadings.of('GW-1'), json([{ ...reading, meterId: 'B-1-E' }]), NOW),
      gw,
    );
    expect(relayed).toEqual([
      'meter_readings,device=B-1-E,kind=electricity gateway="GW-1",power=2310,value=88412.5 1780000000000000000',
    ]);
    const key = (l: string) => [l.split(' ')[0], l.split(' ').at(-1)];
    expect(key(relayed[0] ?? '')).toEqual(key(direct[0] ?? ''));
  });

  it('is deterministic: the same message always gives the same lines', () => {
    const c = camera('CAM-1');
    const payload = json({ ts: NOW, intervalS: 5, intensity: 4 });
    const a = toLines(valid(c, topics.cameraCounts.of('CAM-1'), payload, NOW), c);
    const b = toLines(valid(c, topics.cameraCounts.of('CAM-1'), payload, NOW + 60_000), c);
    expect(b).toEqual(a);
  });

  it('device status is not stored', () => {
    const c = camera('CAM-1');
    expect(toLines(valid(c, topics.deviceStatus.of('CAM-1'), json({ status: 'online' }), NOW), c)).toEqual(
      [],
    );
  });
});

describe('nsOf', () => {
  it('is exact above 2^53 where number arithmetic would round', () => {
    const ms = 8_640_000_000_000_000; // the largest EpochMs
    expect(nsOf(ms)).toBe('8640000000000000000000');
    expect(BigInt(nsOf(ms))).toBe(BigInt(ms) * 1_000_000n);
    // Number arithmetic would already be off by 64 ns for a timestamp of today:
    expect(BigInt(1_780_000_000_001 * 1e6)).toBe(1_780_000_000_000_999_936n);
    expect(BigInt(nsOf(1_780_000_000_001))).toBe(1_780_000_000_001_000_000n);
  });
});

describe('rejectLine', () => {
  const base = {
    sender: camera('CAM-1'),
    topic: 'city/traffic/cameras/CAM-1/counts',
    reason: 'schema_violation',
    detail: 'intensity: expected number',
    receivedMs: NOW,
  } as const;

  it('escapes quotes, backslashes and keeps newlines and unicode in string fields', () => {
    const payload = Buffer.from('{"a":"q\\"x\\\\y"}\nzé→✓');
    expect(rejectLine({ ...base, payload, seq: 7 })).toBe(
      'ingest_rejects,device=CAM-1,reason=schema_violation detail="intensity: expected number",' +
        'sample="{\\"a\\":\\"q\\\\\\"x\\\\\\\\y\\"}\nzé→✓",topic="city/traffic/cameras/CAM-1/counts" ' +
        '1780000000000000007',
    );
  });

  it('escapes spaces, commas and equals signs in tag values', () => {
    const line = rejectLine({
      ...base,
      sender: { ...base.sender, id: 'a b,c=d' },
      payload: Buffer.from('x'),
      seq: 0,
    });
    expect(line.startsWith('ingest_rejects,device=a\\ b\\,c\\=d,reason=schema_violation ')).toBe(true);
  });

  it('keeps at most 256 bytes of the payload', () => {
    const line = rejectLine({ ...base, payload: Buffer.alloc(10_000, 'a'), seq: 0 });
    expect(line).toContain(`sample="${'a'.repeat(256)}"`);
  });

  it('two rejects in the same millisecond get different timestamps', () => {
    const a = rejectLine({ ...base, payload: Buffer.from('x'), seq: 0 });
    const b = rejectLine({ ...base, payload: Buffer.from('x'), seq: 1 });
    expect(a.split(' ').at(-1)).toBe('1780000000000000000');
    expect(b.split(' ').at(-1)).toBe('1780000000000000001');
  });
});
