// Applies every surviving (and uncovered) mutant of a Stryker JSON report to the source by hand, one
// at a time, runs the given test files against it and says whether they fail (killed) or pass
// (survived); the source is restored after each. It is the check behind docs/mutation.md's claim
// that a survivor "is killed by" a test, and it catches mutants that Stryker's vitest runner reports
// as survivors without activating them (code that runs once, when a module loads).
//
//   node stryker/verify-survivors.mjs reports/mutation/mutation.json spec/variants-edges.test.ts spec/variants.test.ts
//
// ONLY=list.txt limits it to the mutants listed there, one `file:line:column mutator` per line (the
// form it prints on stderr), e.g. to recheck the ones that survived an earlier pass.
//
// Run it in a checkout no mutation run is copying: it edits src/ in place while it works.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const [reportPath, ...tests] = process.argv.slice(2);
if (reportPath === undefined || tests.length === 0) {
  console.error('usage: node stryker/verify-survivors.mjs REPORT.json TEST_FILE…');
  process.exit(2);
}
const report = JSON.parse(readFileSync(reportPath, 'utf8'));
const only = process.env.ONLY === undefined ? undefined : new Set(readFileSync(process.env.ONLY, 'utf8').split('\n').map((l) => l.trim().replace(/^\w+\t/, '')).filter(Boolean));
const key = (file, m) => `${file}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName}`;

function offset(lines, { line, column }) {
  let o = 0;
  for (let i = 0; i < line - 1; i++) o += lines[i].length + 1;
  return o + column - 1;
}

const runTests = () => spawnSync('npx', ['vitest', 'run', '--config', 'vitest.stryker.config.ts', '--reporter=dot', ...tests], { encoding: 'utf8' });
// The tests must pass on the unmutated source, or every mutant would count as killed (a file the
// Stryker config excludes, for one, makes vitest fail with "no test files found").
const clean = runTests();
if (clean.status !== 0) {
  console.error(`the tests fail on the unmutated source; nothing checked:\n${clean.stdout}${clean.stderr}`);
  process.exit(2);
}
const rows = [];
for (const [file, f] of Object.entries(report.files)) {
  const current = readFileSync(file, 'utf8');
  if (current !== f.source) {
    console.error(`${file}: changed since the report; skipped`);
    continue;
  }
  const lines = f.source.split('\n');
  for (const m of f.mutants.filter((m) => (m.status === 'Survived' || m.status === 'NoCoverage') && (only === undefined || only.has(key(file, m))))) {
    const start = offset(lines, m.location.start);
    const end = offset(lines, m.location.end);
    writeFileSync(file, f.source.slice(0, start) + m.replacement + f.source.slice(end));
    try {
      const run = runTests();
      const verdict = run.status === 0 ? 'survived' : 'killed';
      const original = f.source.slice(start, end).replace(/\s+/g, ' ');
      rows.push(`| ${file}:${m.location.start.line} | ${m.mutatorName} | \`${original.slice(0, 60)}\` → \`${String(m.replacement).replace(/\s+/g, ' ').slice(0, 60)}\` | ${m.status} | ${verdict} |`);
      console.error(`${verdict}\t${key(file, m)}`);
    } finally {
      writeFileSync(file, f.source);
    }
  }
}
console.log('| mutant | mutator | change | Stryker | by hand |');
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(r);
