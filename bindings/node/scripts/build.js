'use strict';
// Builds the native module with cargo and copies it to ecs-ramrole.node beside index.js.
// Run by `npm install` (the package's install script) and `npm run build`.
//
//   node scripts/build.js [--debug]
//
// Honours CARGO (the cargo to run) and CARGO_TARGET_DIR (cargo reads it itself; the
// artifact's path comes from cargo's own messages, so any target dir works).

const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const debug = process.argv.includes('--debug');
const cargo = process.env.CARGO || 'cargo';
const args = [
  'build',
  '--manifest-path',
  path.join(root, 'Cargo.toml'),
  '--lib',
  '--message-format=json-render-diagnostics',
];
if (!debug) args.push('--release');

console.error(`ecs-ramrole: ${cargo} ${args.join(' ')}`);
const run = spawnSync(cargo, args, {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
  maxBuffer: 256 * 1024 * 1024,
});
if (run.error) {
  console.error(`ecs-ramrole: cannot run ${cargo}: ${run.error.message}`);
  console.error('ecs-ramrole: building this package needs the Rust toolchain (https://rustup.rs)');
  process.exit(1);
}
if (run.status !== 0) {
  console.error(`ecs-ramrole: cargo build failed (exit status ${run.status})`);
  process.exit(run.status || 1);
}

// The cdylib's file: .so on Linux, .dylib on macOS, .dll on Windows.
let library = null;
for (const line of run.stdout.toString('utf8').split('\n')) {
  if (!line.startsWith('{')) continue;
  let message;
  try {
    message = JSON.parse(line);
  } catch {
    continue;
  }
  if (
    message.reason === 'compiler-artifact' &&
    message.target &&
    message.target.name === 'ecs_ramrole_node' &&
    message.target.kind.includes('cdylib')
  ) {
    library = message.filenames.find((f) => /\.(so|dylib|dll)$/.test(f)) || library;
  }
}
if (!library) {
  console.error('ecs-ramrole: cargo built no cdylib for ecs_ramrole_node');
  process.exit(1);
}
const out = path.join(root, 'ecs-ramrole.node');
// Copy to a temporary name and rename: a running process that has the old file loaded
// keeps its mapping.
const tmp = `${out}.${process.pid}.tmp`;
fs.copyFileSync(library, tmp);
fs.renameSync(tmp, out);
console.error(`ecs-ramrole: ${path.relative(root, library)} -> ecs-ramrole.node`);
