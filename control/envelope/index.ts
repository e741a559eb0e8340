export { checkPlan, structuralReasons } from './check-plan.ts';
export { iteAllRedS, iteYellowS, pedClearanceS, pedMinGreenS, phaseRequirement } from './clearance.ts';
export { type EnvelopeResult, enforceBuiltPlan, enforceEnvelope, fitSum } from './enforce-envelope.ts';
export {
  defaultEnvelopeConfig,
  EnvelopeConfig,
  type EnvelopeConfigInput,
  parseEnvelopeConfig,
} from './envelope-config.ts';
export { indexIntersection } from './intersection-index.ts';
