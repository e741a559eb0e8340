// Public API of the dashboard server: build the app, feed its live state, make the first admin.
export { buildDashboard } from './build-dashboard.ts';
export { type Clock, ManualClock, systemClock } from './clock.ts';
export type { DashboardDeps, OperatorDirectory } from './deps.ts';
export { ensureAdmin } from './ensure-admin.ts';
export { applyMessage, type FeedSkip } from './live/apply-message.ts';
export {
  type ControlStatus,
  type IngestStatus,
  LiveState,
  type LiveStateOptions,
} from './live/live-state.ts';
export {
  connectDashboardFeed,
  connectDashboardMqtt,
  type DashboardFeedOptions,
  type DashboardMqtt,
  type DashboardMqttOptions,
} from './live/mqtt-feed.ts';
export type { Envelope, EnvelopeVerdict, PublishPlan } from './overrides/override-service.ts';
