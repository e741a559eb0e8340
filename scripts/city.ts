import { Command } from 'commander';
import { registerBrokerCommands } from '../broker/cli.ts';
import { registerIngestCommands } from '../ingest/cli.ts';
import { registerSimulatorCommands } from '../simulators/cli.ts';
import { registerNetworkCommands } from '../simulators/network/cli.ts';

// The `city` command line. Each service contributes its own subcommands through a
// `register…Commands(program)` function exported by its `cli.ts`, so this file only wires them.
const program = new Command('city')
  .description('City telemetry platform: devices, accounts and the simulated city')
  .showHelpAfterError();
registerBrokerCommands(program);
registerIngestCommands(program);
registerNetworkCommands(program);
registerSimulatorCommands(program);

await program.parseAsync(process.argv);
