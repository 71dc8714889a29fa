/**
 * Time of one cell of the downstream groups (docs/protocol-downstream.md, "Measured time"), to
 * estimate a `--seeds S` run before it is made: process CPU time, wall time and the load average.
 *
 *   node bin/run-ts.js bench/downstream.ts [--group classification|mil] [--cell K] [--tiny]
 *
 * --cell K picks the K-th cell of plan(1) (mil: 0, 1, 2 = 50, 100, 200 training bags). Prints the
 * cell's table too; these are timing runs, not results.
 */
import { loadavg } from 'node:os';
import * as classification from '../src/experiments/downstream/classification.ts';
import * as mil from '../src/experiments/downstream/mil.ts';

const args = process.argv.slice(2);
const value = (flag: string, fallback: string): string => {
  const i = args.indexOf(flag);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const group = value('--group', 'classification');
const cell = Number(value('--cell', '0'));
const tiny = args.includes('--tiny');
if (group !== 'classification' && group !== 'mil') throw new Error(`--group must be classification or mil, got ${group}`);

const load0 = loadavg()[0];
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let markdown: string;
let id: string;
if (group === 'classification') {
  const spec = classification.plan(1, { tiny })[cell];
  if (spec === undefined) throw new Error(`--cell ${cell}: plan(1) has ${classification.plan(1, { tiny }).length} cells`);
  id = spec.id;
  markdown = (await classification.render([await classification.runCell(spec)])).markdown;
} else {
  const spec = mil.plan(1, { tiny })[cell];
  if (spec === undefined) throw new Error(`--cell ${cell}: plan(1) has ${mil.plan(1, { tiny }).length} cells`);
  id = spec.id;
  markdown = (await mil.render([await mil.runCell(spec)])).markdown;
}
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
console.log(markdown);
console.log(
  `${id}: CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (user ${(cpu.user / 1e6).toFixed(1)} s), wall ${wall.toFixed(1)} s, load average ${load0.toFixed(2)} → ${loadavg()[0].toFixed(2)}`,
);
