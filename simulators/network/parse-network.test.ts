import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadNetwork, NetworkFormatError, parseNetwork } from './parse-network.ts';

const sample = (name: string) => fileURLToPath(new URL(`./samples/${name}`, import.meta.url));

describe('network files', () => {
  it('loads the valid sample', async () => {
    const net = await loadNetwork(sample('district-4.json'));
    expect(net.intersections.map((x) => x.id)).toEqual(['I-0000', 'I-0001', 'I-0002', 'I-0003']);
    expect(net.buildings.length).toBeGreaterThan(0);
  });

  it.each([
    [
      'invalid-unknown-lane-group.json',
      'intersections[3] (I-0003).movements[2].laneGroup: unknown lane group "N-X"',
    ],
    [
      'invalid-conflicting-phase.json',
      'intersections[1] (I-0001).phases[1] (P2).movements: conflicting movements "EL" and "NL"',
    ],
    [
      'invalid-camera-link.json',
      'cameras[5] (CAM-0001-E).linkId: approach E of I-0001 arrives on "E-0001-E", not "L-9999-0000"',
    ],
    ['invalid-schema.json', 'links[2] (L-0000-0001).lanes: Too small: expected number to be >=1'],
    [
      'invalid-plan-cycle.json',
      'intersections[0] (I-0000).plans[1] (I-0000-DAY).cycleS: cycle 60 s differs from the sum of its phases (65 s)',
    ],
    [
      'invalid-schedule-plan.json',
      'intersections[2] (I-0002).schedule[3].planId: unknown plan "I-0002-RUSH"',
    ],
    ['invalid-meter-gateway.json', 'buildings[1] (B-0001).meters[0].gatewayId: unknown gateway "GW-0042"'],
    ['invalid-not-json.txt', '(file): not JSON'],
  ])('refuses %s, pointing at the offending element', async (name, message) => {
    const error = await loadNetwork(sample(name)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NetworkFormatError);
    expect((error as Error).message).toContain(`${sample(name)}: ${message}`);
  });

  it('lists every problem it found, not only the first', async () => {
    const net = JSON.parse(await readFile(sample('district-4.json'), 'utf8'));
    net.intersections[0].movements[0].outLink = 'L-NOWHERE';
    net.intersections[1].conflicts.push(['NT', 'ZZ']);
    net.links.push({ ...net.links[0] });
    try {
      parseNetwork(net);
      expect.unreachable();
    } catch (e) {
      const issues = (e as NetworkFormatError).issues.map((i) => `${i.path}: ${i.message}`);
      expect(issues).toContain(`links[${net.links.length - 1}].id: duplicate id "${net.links[0].id}"`);
      expect(issues).toContain('intersections[0] (I-0000).movements[0].outLink: unknown link "L-NOWHERE"');
      expect(issues).toContain(
        `intersections[1] (I-0001).conflicts[${net.intersections[1].conflicts.length - 1}]: unknown movement "ZZ"`,
      );
      expect((e as Error).message).toMatch(/\(and \d+ more\)$/);
    }
  });

  it('refuses links and movements that do not join up', async () => {
    const net = JSON.parse(await readFile(sample('district-4.json'), 'utf8'));
    const x = net.intersections[0];
    x.movements[0].outLink = x.approaches[0].inLink; // a link arriving here cannot be left by
    x.approaches[1].inLink = x.approaches[2].inLink;
    expect(() => parseNetwork(net)).toThrow(
      /intersections\[0\] \(I-0000\)\.approaches\[1\]\.inLink: link ".*" does not arrive at I-0000 from/,
    );
    try {
      parseNetwork(net);
    } catch (e) {
      const issues = (e as NetworkFormatError).issues.map((i) => `${i.path}: ${i.message}`);
      expect(issues.some((i) => i.startsWith('intersections[0] (I-0000).movements[0].outLink: link'))).toBe(
        true,
      );
    }
  });

  it('accepts JSON text as well as parsed values', async () => {
    const text = await readFile(sample('district-4.json'), 'utf8');
    expect(parseNetwork(text).name).toBe(parseNetwork(JSON.parse(text)).name);
  });
});
