import { type Command, Option } from 'commander';
import type { ServiceRight } from '../protocol/identity.ts';
import { Approach, DeviceType, MeterKind } from '../protocol/ids.ts';
import { loadBrokerConfig } from './config.ts';
import { OperatorRole, Registry, RegistryError, ServiceRightSchema } from './registry.ts';

type Env = Readonly<Record<string, string | undefined>>;

function printLine(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  // one trailing newline is the terminator of `echo` or a here-string, not part of the password
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

function parseRights(list: string): ServiceRight[] {
  const rights = list.split(',').map((r) => r.trim());
  for (const r of rights) {
    if (!ServiceRightSchema.safeParse(r).success) {
      throw new RegistryError(
        'invalid',
        `unknown right "${r}" (rights: ${ServiceRightSchema.options.join(', ')})`,
      );
    }
  }
  return rights as ServiceRight[];
}

/**
 * Adds the registry's subcommands (`device`, `service`, `user`) to the `city` program. Secrets
 * and generated passwords are printed once, as one JSON line; listings are JSON lines without
 * secrets. Every failure is a message on stderr and exit code 1.
 */
export function registerBrokerCommands(program: Command, env: Env = process.env): void {
  /** Runs `fn` on the registry named by DATA_DIR, turning every failure into a clean exit. */
  const run =
    <A extends unknown[]>(fn: (registry: Registry, ...args: A) => Promise<unknown> | unknown) =>
    async (...args: A) => {
      let registry: Registry | null = null;
      try {
        registry = Registry.open(loadBrokerConfig(env).registryPath);
        await fn(registry, ...args);
      } catch (err) {
        // A refused change is not a usage mistake: say why, without the usage text.
        process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 1;
      } finally {
        registry?.close();
      }
    };

  const device = program.command('device').description('field devices: cameras, signals, meters, gateways');
  device
    .command('add <id>')
    .description('register a device and print its secret (shown once)')
    .addOption(new Option('--type <type>', 'device type').choices(DeviceType.options).makeOptionMandatory())
    .option('--intersection <id>', 'camera/signal: the intersection')
    .addOption(new Option('--approach <dir>', 'camera: the approach it watches').choices(Approach.options))
    .option('--gateway <id>', 'meter: the gateway that relays it')
    .addOption(new Option('--kind <kind>', 'meter: what it measures').choices(MeterKind.options))
    .action(
      run(
        async (
          r,
          id: string,
          o: {
            type: DeviceType;
            intersection?: string;
            approach?: Approach;
            gateway?: string;
            kind?: MeterKind;
          },
        ) => {
          printLine(
            await r.addDevice({
              id,
              type: o.type,
              ...(o.intersection !== undefined ? { intersectionId: o.intersection } : {}),
              ...(o.approach !== undefined ? { approach: o.approach } : {}),
              ...(o.gateway !== undefined ? { gatewayId: o.gateway } : {}),
              ...(o.kind !== undefined ? { meterKind: o.kind } : {}),
            }),
          );
        },
      ),
    );
  device
    .command('list')
    .description('list devices as JSON lines (never secrets)')
    .addOption(new Option('--type <type>', 'only this type').choices(DeviceType.options))
    .action(
      run((r, o: { type?: DeviceType }) => {
        for (const d of r.listDevices(o.type !== undefined ? { type: o.type } : {})) printLine(d);
      }),
    );
  device
    .command('revoke <id>')
    .description('revoke a device: refused at connect, disconnected within ~10 s')
    .action(
      run((r, id: string) => {
        r.revokeDevice(id);
        printLine({ id, revoked: true });
      }),
    );

  const service = program.command('service').description('service accounts (control loop, dashboard)');
  service
    .command('add <id>')
    .description('register a service account and print its secret (shown once)')
    .requiredOption('--rights <list>', `comma-separated: ${ServiceRightSchema.options.join(',')}`)
    .action(
      run(async (r, id: string, o: { rights: string }) => {
        printLine(await r.addService(id, parseRights(o.rights)));
      }),
    );
  service
    .command('list')
    .description('list service accounts as JSON lines (never secrets)')
    .action(
      run((r) => {
        for (const s of r.listServices()) printLine(s);
      }),
    );
  service
    .command('revoke <id>')
    .description('revoke a service account')
    .action(
      run((r, id: string) => {
        r.revokeService(id);
        printLine({ id, revoked: true });
      }),
    );

  const user = program.command('user').description('dashboard operators');
  user
    .command('add <name>')
    .description('add an operator and print a generated password (shown once)')
    .addOption(
      new Option('--role <role>', 'what the operator may do')
        .choices(OperatorRole.options)
        .makeOptionMandatory(),
    )
    .option('--password-stdin', 'read the password from stdin instead of generating one')
    .action(
      run(async (r, name: string, o: { role: OperatorRole; passwordStdin?: boolean }) => {
        const password = o.passwordStdin === true ? await readStdin() : undefined;
        const added = await r.addOperator(name, o.role, password);
        // a password the operator chose is not echoed back
        printLine(password === undefined ? { ...added, role: o.role } : { name: added.name, role: o.role });
      }),
    );
  user
    .command('list')
    .description('list operators as JSON lines (never passwords)')
    .action(
      run((r) => {
        for (const u of r.listOperators()) printLine(u);
      }),
    );
  user
    .command('revoke <name>')
    .description('revoke an operator')
    .action(
      run((r, name: string) => {
        r.revokeOperator(name);
        printLine({ name, revoked: true });
      }),
    );
}
