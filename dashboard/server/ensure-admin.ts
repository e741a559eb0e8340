import type { OperatorRole } from '../shared/contract.ts';

/** The operator side of the registry ensureAdmin needs (broker/registry.ts `Registry` has it). */
export interface OperatorAdmin {
  listOperators(): readonly { name: string; role: OperatorRole; revokedAt: number | null }[];
  addOperator(
    name: string,
    role: OperatorRole,
    password?: string,
  ): Promise<{ name: string; password: string }>;
}

/**
 * On a fresh installation, creates operator `admin` with a generated password and prints it once
 * (it is stored only as a hash). Does nothing when an active admin exists. Returns the new
 * credentials, or null.
 */
export async function ensureAdmin(
  registry: OperatorAdmin,
  print: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Promise<{ name: string; password: string } | null> {
  if (registry.listOperators().some((o) => o.role === 'admin' && o.revokedAt === null)) return null;
  const taken = new Set(registry.listOperators().map((o) => o.name));
  let name = 'admin';
  for (let i = 2; taken.has(name); i++) name = `admin${i}`;
  const created = await registry.addOperator(name, 'admin');
  print(`dashboard: created operator "${created.name}" (role admin) with password: ${created.password}`);
  print('dashboard: this password is shown once; change it with `npx city user add` and revoke this one');
  return created;
}
