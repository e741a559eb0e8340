import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the built web app lives; the dashboard server serves this folder. */
export const webRoot = fileURLToPath(new URL('.', import.meta.url));
export const webDistDir = join(webRoot, 'dist');

/** What the bundle is made of: when any of these is newer than dist/index.html, dist is stale. */
const inputs = [
  join(webRoot, 'index.html'),
  join(webRoot, 'vite.config.ts'),
  join(webRoot, 'src'),
  join(webRoot, 'public'),
  join(webRoot, '..', 'shared'),
  join(webRoot, '..', '..', 'protocol'),
];

function newestMtimeMs(path: string): number {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) {
    if (name.endsWith('.test.ts')) continue;
    newest = Math.max(newest, newestMtimeMs(join(path, name)));
  }
  return newest;
}

/** True when dist is missing or older than any source it is built from. */
export function webBuildIsStale(): boolean {
  const built = newestMtimeMs(join(webDistDir, 'index.html'));
  if (built === 0) return true;
  return inputs.some((p) => newestMtimeMs(p) > built);
}

export interface BuildWebOptions {
  /** Build even when dist looks current. */
  force?: boolean;
  /** Print Vite's output (default: quiet). */
  verbose?: boolean;
}

/**
 * Builds the web app into dashboard/web/dist with Vite when it is missing or stale (`npm start`
 * calls this before it serves the dashboard). Returns whether it built and where dist is.
 */
export async function buildWeb(opts: BuildWebOptions = {}): Promise<{ built: boolean; outDir: string }> {
  if (!opts.force && !webBuildIsStale()) return { built: false, outDir: webDistDir };
  // Vite is a dev dependency of the web app only: load it when a build is actually needed.
  const { build } = await import('vite');
  await build({
    configFile: join(webRoot, 'vite.config.ts'),
    root: webRoot,
    logLevel: opts.verbose ? 'info' : 'warn',
  });
  return { built: true, outDir: webDistDir };
}

// `tsx dashboard/web/build.ts [--force]` builds from the command line.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await buildWeb({ force: process.argv.includes('--force'), verbose: true });
  console.log(r.built ? `built ${r.outDir}` : `${r.outDir} is up to date`);
}
