import { Command } from 'commander';

// The `city` command line. Each service contributes its own subcommands through a
// `register…Commands(program)` function exported by its `cli.ts`, so this file only wires them.
const program = new Command('city')
  .description('City telemetry platform: devices, accounts and the simulated city')
  .showHelpAfterError();

await program.parseAsync(process.argv);
