import type { Alert } from '../../shared/contract.ts';

const severityRank: Record<Alert['severity'], number> = { critical: 0, warning: 1, info: 2 };

/** Alerts as the list shows them: most severe first, then the longest-standing first. */
export function alertOrder(alerts: Iterable<Alert>): Alert[] {
  return [...alerts].sort(
    (a, b) =>
      severityRank[a.severity] - severityRank[b.severity] ||
      a.sinceMs - b.sinceMs ||
      a.id.localeCompare(b.id),
  );
}
