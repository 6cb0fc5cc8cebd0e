'use strict';
// Shared by the tests: where the repository and its corpus are, and reading cases.

const fs = require('fs');
const path = require('path');

const packageDir = path.resolve(__dirname, '..');
const repoRoot = path.resolve(packageDir, '..', '..');
const corpusDir = path.join(repoRoot, 'corpus');

/** Every case of the corpus's index: `{id, kind, ...}`. */
function corpusIndex() {
  return JSON.parse(fs.readFileSync(path.join(corpusDir, 'index.json'), 'utf8')).cases;
}

/** One case file, with its body's bytes when it has one. */
function corpusCase(id) {
  const file = path.join(corpusDir, `${id}.json`);
  const c = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (c.body_file) c.body = fs.readFileSync(path.join(path.dirname(file), c.body_file));
  return c;
}

/** A small deterministic PRNG (mulberry32), so a failing fuzz input can be replayed. */
function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  next.int = (n) => Math.floor(next() * n);
  next.pick = (items) => items[next.int(items.length)];
  return next;
}

module.exports = { packageDir, repoRoot, corpusDir, corpusIndex, corpusCase, prng };
