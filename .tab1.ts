import { runTabularCell } from '/work/wt/tabular/src/experiments/tabular/run.ts';
import { tabularSpec } from '/work/wt/tabular/src/experiments/tabular/cells.ts';
const ds = (process.argv[2] ?? 'diabetes') as 'diabetes';
const tiny = process.argv[3] === 'tiny';
const r = runTabularCell(tabularSpec(ds, 0, tiny));
console.log(JSON.stringify({ ...r, spec: undefined }));
