// How much CPU one model step costs at several city sizes: `npx tsx simulators/model/measure-step.ts [sizes…]`.
// Prints one JSON line per size. CPU time (not wall time), because the machine is shared: a
// real-time run at 1 step/s uses `cpuMsPerStep / 1000` of a core.
import { generateNetwork } from '../network/generate-network.ts';
import { createTrafficModel } from './create-traffic-model.ts';
import { runFast } from './run-model.ts';

const WARM_UP_S = 1800;
const MEASURE_STEPS = 600;
// Monday 08:00 Moscow: the weekday AM peak, the busiest the default demand gets.
const START_MS = Date.UTC(2026, 0, 12, 5, 0);

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
for (const intersections of sizes.length > 0 ? sizes : [100, 400, 4000]) {
  const network = generateNetwork({ intersections, seed: 1, buildings: 0 });
  const model = createTrafficModel(network, { seed: 1, startMs: START_MS });
  runFast(model, WARM_UP_S);
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  runFast(model, MEASURE_STEPS);
  const cpu = process.cpuUsage(cpu0);
  const wallMs = performance.now() - wall0;
  const cpuMsPerStep = (cpu.user + cpu.system) / 1000 / MEASURE_STEPS;
  const m = model.metrics();
  console.log(
    JSON.stringify({
      intersections,
      links: network.links.length,
      vehiclesOnNetwork: m.onNetwork,
      cpuMsPerStep: Number(cpuMsPerStep.toFixed(3)),
      wallMsPerStep: Number((wallMs / MEASURE_STEPS).toFixed(3)),
      coreShareAtRealTime: Number((cpuMsPerStep / 1000).toFixed(4)),
    }),
  );
}
