// Public API of the control service: pure controllers, state estimation, the safety envelope,
// the per-tick decision, and (from loop/) the MQTT control loop.
export { actuatedDecision, actuatedPlan } from './controllers/actuated.ts';
export { adaptivePlan, equalSaturationSplit, laneGroupDelayS } from './controllers/adaptive.ts';
export { ControllerConfig } from './controllers/controller-config.ts';
export { fixedTimePlan, scheduledPlan } from './controllers/fixed-time.ts';
export { phaseTimings } from './controllers/phase-timing.ts';
export { webster, websterPlan } from './controllers/webster.ts';
export {
  ControlConfig,
  type ControlConfigInput,
  ControllerKind,
  parseControlConfig,
} from './core/control-config.ts';
export { commitDecision, type Decision, decidePlan } from './core/decide-plan.ts';
export {
  applyCounts,
  applyFaults,
  type IntersectionState,
  newIntersectionState,
} from './core/intersection-state.ts';
export { planTick, type TickInput } from './core/plan-tick.ts';
export * from './envelope/index.ts';
export { type ApproachEstimate, updateApproach } from './estimation/approach-estimate.ts';
export {
  estimateDemand,
  type IntersectionDemand,
  type LaneGroupDemand,
} from './estimation/estimate-demand.ts';
export { EstimatorConfig } from './estimation/estimator-config.ts';
export { ControlLoopSettings, type ControlLoopSettingsInput } from './loop/loop-options.ts';
export { nextBoundaryMs } from './loop/next-boundary.ts';
export {
  type ControlLoop,
  type IntersectionStatus,
  type LoopClock,
  type LoopCounters,
  type StartControlLoopOptions,
  startControlLoop,
} from './loop/start-control-loop.ts';
