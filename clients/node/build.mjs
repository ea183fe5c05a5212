// Builds the package twice from src/: ES modules into dist/esm and CommonJS into dist/cjs, each with its
// declarations, using the TypeScript compiler of the repository's root.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/** Runs tsc on tsconfig.build.json with extra options; exits with its status when it fails. */
function compile(args) {
  const result = spawnSync(process.execPath, [tsc, '-p', join(here, 'tsconfig.build.json'), ...args], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

rmSync(join(here, 'dist'), { recursive: true, force: true });
compile(['--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--outDir', join(here, 'dist/esm')]);
// CommonJS output: verbatimModuleSyntax would keep the `import` statements CommonJS cannot run.
compile(['--module', 'CommonJS', '--moduleResolution', 'Node10', '--verbatimModuleSyntax', 'false', '--outDir', join(here, 'dist/cjs')]);
// The package is "type": "module"; this marks the .js files under dist/cjs as CommonJS for Node.
mkdirSync(join(here, 'dist/cjs'), { recursive: true });
writeFileSync(join(here, 'dist/cjs/package.json'), '{"type":"commonjs"}\n');
