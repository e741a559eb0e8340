import type { Building, MeterKind } from '../../protocol/index.ts';

export type BuildingUse = Building['use'];

/**
 * Hourly shape of demand, as a multiple of the building's mean, local hours 0..23. Residential
 * water peaks at breakfast and in the evening and all but stops at night (why a continuous
 * night flow is the classic leak signature); offices and public buildings follow working
 * hours on weekdays and idle at weekends; retail keeps shop hours every day.
 */
const SHAPES: Record<MeterKind, Record<BuildingUse, { weekday: number[]; weekend: number[] }>> = {
  water: {
    residential: {
      weekday: [
        0.2, 0.1, 0.05, 0.05, 0.1, 0.4, 1.6, 2.4, 2.0, 1.0, 0.7, 0.7, 0.8, 0.8, 0.7, 0.7, 0.9, 1.3, 1.8, 2.2,
        2.0, 1.6, 1.0, 0.5,
      ],
      weekend: [
        0.4, 0.2, 0.1, 0.05, 0.05, 0.1, 0.3, 0.8, 1.6, 2.2, 2.0, 1.6, 1.3, 1.1, 1.0, 1.0, 1.1, 1.3, 1.6, 1.9,
        1.8, 1.5, 1.1, 0.7,
      ],
    },
    office: {
      weekday: [
        0, 0, 0, 0, 0, 0, 0.1, 0.8, 2.2, 2.4, 2.0, 2.0, 2.4, 2.2, 2.0, 1.8, 1.6, 1.2, 0.4, 0.1, 0, 0, 0, 0,
      ],
      weekend: [0, 0, 0, 0, 0, 0, 0, 0, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0, 0, 0, 0, 0, 0],
    },
    retail: {
      weekday: [
        0, 0, 0, 0, 0, 0, 0, 0.2, 0.6, 1.2, 1.6, 1.8, 2.0, 2.0, 1.8, 1.8, 1.9, 2.0, 2.0, 1.8, 1.4, 0.6, 0.1,
        0,
      ],
      weekend: [
        0, 0, 0, 0, 0, 0, 0, 0.1, 0.4, 1.0, 1.8, 2.2, 2.4, 2.4, 2.3, 2.2, 2.2, 2.1, 2.0, 1.6, 1.0, 0.4, 0.1,
        0,
      ],
    },
    public: {
      weekday: [
        0, 0, 0, 0, 0, 0, 0.2, 1.2, 2.4, 2.4, 2.0, 1.8, 2.0, 2.0, 1.8, 1.6, 1.4, 0.8, 0.3, 0.1, 0, 0, 0, 0,
      ],
      weekend: [0, 0, 0, 0, 0, 0, 0, 0, 0.2, 0.4, 0.5, 0.5, 0.5, 0.5, 0.4, 0.3, 0.2, 0.1, 0, 0, 0, 0, 0, 0],
    },
  },
  electricity: {
    residential: {
      weekday: [
        0.5, 0.4, 0.35, 0.35, 0.35, 0.45, 0.9, 1.3, 1.1, 0.8, 0.7, 0.7, 0.75, 0.75, 0.75, 0.8, 0.95, 1.3, 1.7,
        2.0, 2.0, 1.7, 1.2, 0.8,
      ],
      weekend: [
        0.6, 0.45, 0.4, 0.35, 0.35, 0.4, 0.5, 0.8, 1.1, 1.3, 1.3, 1.2, 1.2, 1.1, 1.1, 1.1, 1.2, 1.4, 1.7, 1.9,
        1.9, 1.6, 1.2, 0.9,
      ],
    },
    office: {
      weekday: [
        0.3, 0.3, 0.3, 0.3, 0.3, 0.35, 0.6, 1.2, 1.9, 2.0, 2.0, 2.0, 1.9, 2.0, 2.0, 1.9, 1.7, 1.2, 0.7, 0.5,
        0.4, 0.35, 0.3, 0.3,
      ],
      weekend: [
        0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35,
        0.3, 0.3, 0.3, 0.3, 0.3, 0.3,
      ],
    },
    retail: {
      weekday: [
        0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.4, 0.7, 1.2, 1.6, 1.7, 1.7, 1.7, 1.7, 1.7, 1.7, 1.7, 1.7, 1.7, 1.6,
        1.3, 0.8, 0.4, 0.3,
      ],
      weekend: [
        0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.5, 1.0, 1.5, 1.8, 1.9, 1.9, 1.9, 1.9, 1.9, 1.9, 1.9, 1.8, 1.6,
        1.2, 0.7, 0.4, 0.3,
      ],
    },
    public: {
      weekday: [
        0.3, 0.3, 0.3, 0.3, 0.3, 0.35, 0.7, 1.5, 2.0, 2.0, 1.9, 1.9, 1.9, 1.9, 1.9, 1.8, 1.6, 1.1, 0.6, 0.4,
        0.35, 0.3, 0.3, 0.3,
      ],
      weekend: [
        0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.4, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.4, 0.35, 0.3, 0.3,
        0.3, 0.3, 0.3, 0.3,
      ],
    },
  },
};

/** Mean demand of a typical building: water in L/h, electricity in W. */
const MEAN: Record<MeterKind, Record<BuildingUse, number>> = {
  water: { residential: 600, office: 250, retail: 150, public: 300 },
  electricity: { residential: 25_000, office: 40_000, retail: 30_000, public: 20_000 },
};

const DAY_MS = 86_400_000;

/** Local calendar facts of an instant: minute of the day and whether it is a weekend day. */
export function localDay(nowMs: number, utcOffsetMin: number): { minute: number; weekend: boolean } {
  const local = nowMs + utcOffsetMin * 60_000;
  const ms = ((local % DAY_MS) + DAY_MS) % DAY_MS;
  const weekday = new Date(local).getUTCDay();
  return { minute: ms / 60_000, weekend: weekday === 0 || weekday === 6 };
}

/**
 * Expected demand of a building's meter at an instant: water flow in L/h, electric power in W,
 * for a building `scale` times the typical size. Linear between the hourly values.
 */
export function demandAt(
  kind: MeterKind,
  use: BuildingUse,
  nowMs: number,
  utcOffsetMin: number,
  scale = 1,
): number {
  const { minute, weekend } = localDay(nowMs, utcOffsetMin);
  const shape = SHAPES[kind][use][weekend ? 'weekend' : 'weekday'];
  const h = Math.floor(minute / 60) % 24;
  const frac = minute / 60 - Math.floor(minute / 60);
  const a = shape[h] ?? 0;
  const b = shape[(h + 1) % 24] ?? 0;
  return MEAN[kind][use] * scale * (a + (b - a) * frac);
}
