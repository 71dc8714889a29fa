/** `ahop retrieve`: model + memories + queries → source index, probabilities and retrieved pattern per query. */
import { Command } from 'commander';
import { loadModel } from '../hopfield/model-json.ts';
import { backendOption, retrieveQueries, withBackend } from './backend.ts';
import { readMatrix } from './data.ts';
import { readText, writeText } from './io.ts';

export function retrieveCommand(): Command {
  return new Command('retrieve')
    .description('retrieve each query with a trained model; writes JSON [{ source, probs, retrieved, energy }]')
    .requiredOption('--model <file>', 'model JSON written by `ahop train`')
    .requiredOption('--memories <file>', 'N memories of d numbers: .json (array of rows), .csv (one row per line) or .npy (2-D float64/float32)')
    .requiredOption('--queries <file>', 'queries of d numbers, in the same formats (- reads JSON from stdin)')
    .option('--out <file>', 'where to write the JSON (- for stdout)', '-')
    .addOption(backendOption())
    .action(async (o: { model: string; memories: string; queries: string; out: string; backend: string }) => {
      const memories = readMatrix(o.memories, 'memories');
      const d = memories[0].length;
      const model = loadModel(readText(o.model), d);
      const queries = readMatrix(o.queries, 'queries', d);
      const out = await withBackend(o.backend, (scorer) => retrieveQueries(scorer, memories, queries, model.params, model.footprint));
      writeText(o.out, JSON.stringify(out) + '\n');
    });
}
