/**
 * The catalogue of reasons a device message is refused by ingest. Codes are stable: they are
 * metric labels, the `reason` tag of `ingest_rejects`, and what the dashboard shows.
 */
export const rejectReasons = {
  payload_too_large: 'payload is larger than 64 KiB',
  payload_invalid_json: 'payload is not valid UTF-8 JSON',
  schema_violation: 'payload does not match the topic schema (missing, extra or mistyped fields)',
  value_out_of_range: 'a number is outside the range the protocol allows',
  timestamp_out_of_range: 'ts is more than 1 day in the future or 30 days in the past',
  topic_unknown: 'topic is not part of device protocol v1',
  topic_device_mismatch: "the topic's id is not the sending device's own id",
  meter_not_behind_gateway: 'a gateway relayed a reading for a meter not registered behind it',
  meter_kind_mismatch: 'reading kind differs from the kind the meter is registered with',
} as const;

export type RejectReason = keyof typeof rejectReasons;
export const rejectReasonCodes = Object.keys(rejectReasons) as RejectReason[];
