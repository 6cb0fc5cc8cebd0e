'use strict';
// Proof by corpus: the whole conformance corpus through test/adapter.js (an adapter on
// this package's public functions) with `ecs-ramrole check --persistent`. Every case must
// pass: none failed, crashed, warned or unsupported, and none left out.
//
// The harness binary comes from ECS_RAMROLE_BIN, or from `cargo build --bin ecs-ramrole`
// at the repository root.

const test = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('child_process');
const path = require('path');
const fs = require('fs');
const { repoRoot, corpusDir, corpusIndex } = require('./helpers');

function harness() {
  if (process.env.ECS_RAMROLE_BIN) return path.resolve(process.env.ECS_RAMROLE_BIN);
  const build = spawnSync(
    process.env.CARGO || 'cargo',
    ['build', '--quiet', '--bin', 'ecs-ramrole', '--message-format=json-render-diagnostics'],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 256 * 1024 * 1024 },
  );
  assert.equal(build.status, 0, 'cargo build --bin ecs-ramrole at the repository root');
  let bin = null;
  for (const line of build.stdout.toString('utf8').split('\n')) {
    if (!line.startsWith('{')) continue;
    const message = JSON.parse(line);
    if (message.reason === 'compiler-artifact' && message.executable && message.target.name === 'ecs-ramrole') {
      bin = message.executable;
    }
  }
  assert.ok(bin, 'cargo reported the ecs-ramrole executable');
  return bin;
}

test('every corpus case passes through the adapter on the public API', { timeout: 15 * 60 * 1000 }, (t) => {
  const bin = harness();
  assert.ok(fs.existsSync(bin), `the harness exists: ${bin}`);
  const adapter = `${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(__dirname, 'adapter.js'))}`;
  const run = spawnSync(
    bin,
    ['check', '--adapter', adapter, '--persistent', '--jobs', '2', '--corpus', corpusDir, '--strict', '--report', 'json'],
    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  assert.ok(run.stdout, `the harness wrote a report (exit ${run.status}): ${run.stderr}`);
  const report = JSON.parse(run.stdout);
  const notPassed = report.cases.filter((c) => c.status !== 'pass');
  assert.deepEqual(
    notPassed.map((c) => ({ id: c.id, status: c.status, detail: c.detail, stderr: c.stderr })),
    [],
    'cases that did not pass',
  );
  const cases = corpusIndex();
  assert.equal(report.summary.pass, cases.length, 'every case of corpus/index.json ran and passed');
  for (const kind of ['request', 'sign', 'response', 'incoming']) {
    assert.ok(
      report.cases.some((c) => c.kind === kind),
      `the corpus has ${kind} cases and they ran`,
    );
  }
  assert.equal(run.status, 0, 'the harness exits 0');
  const counts = {};
  for (const c of report.cases) counts[c.kind] = (counts[c.kind] || 0) + 1;
  t.diagnostic(
    `corpus ${report.corpus_version}: ${report.summary.pass} of ${cases.length} cases passed ${JSON.stringify(counts)}`,
  );
});
