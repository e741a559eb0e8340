/** What the control loop reports per intersection (the platform adapts the control service to it). */
export interface ControlIntersectionStatus {
  readonly intersectionId: string;
  /** Why the loop fell back to a stored plan (stale or missing detector data, …); null: adaptive. */
  readonly fallbackReason: string | null;
  /** Age of the detector data the last decision used, s. */
  readonly dataAgeS: number | null;
}
export interface ControlStatus {
  readonly intersections: readonly ControlIntersectionStatus[];
}

/** What ingest reports (the platform adapts `ingest.status()` to it). */
export interface IngestStatus {
  readonly spoolDepth: number;
  readonly influxReachable: boolean;
  readonly ingestRatePerS?: number;
  readonly rejectsPerS?: number;
}
