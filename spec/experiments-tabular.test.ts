/** The vendored UCI sets load with the documented shapes; a tiny tabular cell runs every classifier. */
import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../src/experiments/protocol.ts';
import { loadDataset } from '../src/experiments/tabular/datasets.ts';
import { runTabularCell } from '../src/experiments/tabular/run.ts';
import { parseCsv } from '../src/experiments/tabular/csv.ts';

describe('tabular data', () => {
  it('loads the three vendored sets', () => {
    const bc = loadDataset('breast-cancer');
    expect([bc.features.length, bc.features[0].length]).toEqual([569, 30]);
    expect(bc.labels.filter((l) => l === 1)).toHaveLength(357);
    const db = loadDataset('diabetes');
    expect([db.features.length, db.features[0].length]).toEqual([768, 8]);
    expect(db.labels.filter((l) => l === 1)).toHaveLength(268);
    const cg = loadDataset('credit-g');
    expect(cg.features).toHaveLength(1000);
    expect(cg.labels.filter((l) => l === 1)).toHaveLength(300);
    expect(cg.features[0].length).toBe(61);
  });

  it('parses quoted CSV fields', () => {
    expect(parseCsv('a,b\n"x,1","say ""hi"""\n').rows).toEqual([['x,1', 'say "hi"']]);
  });

  it('runs a tiny memory-classifier cell', () => {
    const r = runTabularCell({
      id: 'tabular-diabetes-s0',
      dataset: 'diabetes',
      seed: 0,
      trainFraction: 0.7,
      maxMemories: 12,
      logregSteps: 20,
      budget: { epochs: 1, lr: 0.1, batchSize: 64 },
      version: PROTOCOL_VERSION,
    });
    expect(Object.keys(r.accuracy).sort()).toEqual(['ahop', 'logistic-regression', 'mhop', 'u2hop', 'universal']);
    for (const a of Object.values(r.accuracy)) expect(a).toBeGreaterThan(0.3);
    expect(r.n).toBe(12);
  });
});
