// Creates the skeleton of a workspace package: package.json, tsconfig.json, src/index.ts.
// usage: node scripts/new-package.mjs <dir> <name> [dep=version ...] [--ref ../x ...]
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
const [dir, name, ...rest] = process.argv.slice(2);
const deps = {};
const refs = [];
for (let i = 0; i < rest.length; i++) {
  if (rest[i] === '--ref') refs.push(rest[++i]);
  else {
    const at = rest[i].lastIndexOf('@');
    deps[rest[i].slice(0, at)] = rest[i].slice(at + 1);
  }
}
mkdirSync(join(dir, 'src'), { recursive: true });
const base = relative(dir, 'tsconfig.base.json');
if (!existsSync(join(dir, 'package.json')))
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name, version: '0.1.0', private: true, main: 'dist/index.js', types: 'dist/index.d.ts', dependencies: deps }, null, 2)}\n`,
  );
writeFileSync(
  join(dir, 'tsconfig.json'),
  `${JSON.stringify({ extends: base, compilerOptions: { rootDir: 'src', outDir: 'dist', tsBuildInfoFile: 'dist/.tsbuildinfo' }, include: ['src'], references: refs.map((r) => ({ path: r })) }, null, 2)}\n`,
);
if (!existsSync(join(dir, 'src/index.ts'))) writeFileSync(join(dir, 'src/index.ts'), 'export {};\n');
