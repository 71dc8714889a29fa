/**
 * `ahop train`: memories + (a variant spec to draw pairs from, or the user's own pairs) → trained
 * model JSON.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { saveModel } from '../hopfield/model-json.ts';
import type { Base } from '../similarity/base.ts';
import { TRAIN_DEFAULTS, train, trainOnPairs } from '../train/train.ts';
import { integerOption } from './conformance.ts';
import { readMatrix, readVariant } from './data.ts';
import { readPairsFile } from './pairs-file.ts';
import { writeText } from './io.ts';
import { progress } from './progress.ts';

function numberOption(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a finite number`);
    return n;
  };
}

function basesOption(v: string): Base[] {
  const parts = v.split(',').map((s) => s.trim());
  if (parts.length === 0 || parts.some((p) => p !== 'dis' && p !== 'dot')) {
    throw new InvalidArgumentError('--bases must be a comma-separated list of dis, dot');
  }
  return parts as Base[];
}

/** `--pairs`: a whole number is how many pairs to draw from --variant; anything else is a file of pairs. */
function pairsOption(v: string): number | string {
  return /^\s*\d+\s*$/.test(v) ? integerOption('--pairs')(v) : v;
}

export function trainCommand(): Command {
  return new Command('train')
    .description('train A-Hop on pairs drawn from a variant (--variant) or on your own pairs (--pairs FILE); writes the model JSON')
    .requiredOption('--memories <file>', 'N memories of d numbers: .json (array of rows), .csv (one row per line) or .npy (2-D float64/float32)')
    .option('--variant <file>', 'JSON variant spec (noisy, masked, biased, composed, mixed) to draw training pairs from')
    .requiredOption('--out <file>', 'model JSON to write (- for stdout)')
    .option('--epochs <n>', 'epochs of Adam', integerOption('--epochs'), TRAIN_DEFAULTS.epochs)
    .option('--lr <x>', 'Adam learning rate', numberOption('--lr'), TRAIN_DEFAULTS.lr)
    .option(
      '--pairs <n|file>',
      `with --variant: how many pairs to draw (default ${TRAIN_DEFAULTS.pairs}); otherwise a file of your own (query, source index) pairs: ` +
        '.json { "queries": [[...], ...], "targets": [k, ...] } or .csv with a header and a "target" column (the other columns are the query)',
      pairsOption,
    )
    .option('--batch-size <n>', 'pairs per Adam step', integerOption('--batch-size'), TRAIN_DEFAULTS.batchSize)
    .option('--seed <n>', 'seed for the pairs and the shuffles', integerOption('--seed'), TRAIN_DEFAULTS.seed)
    .option('--bases <list>', 'base similarities to train (dis,dot | dis | dot)', basesOption, [...TRAIN_DEFAULTS.bases])
    .addOption(new Option('--no-sort', 'ablation: do not sort the base similarities'))
    .addOption(new Option('--no-cumulative', 'ablation: drop U (no cumulative sum)'))
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  ahop train --memories M.csv --variant V.json --out model.json            # 1024 pairs drawn from V',
        '  ahop train --memories M.npy --variant V.json --pairs 4096 --out model.json',
        '  ahop train --memories M.json --pairs pairs.csv --out model.json          # your own pairs',
      ].join('\n'),
    )
    .action((o) => {
      const memories = readMatrix(o.memories, 'memories');
      const d = memories[0].length;
      const fromFile = typeof o.pairs === 'string';
      if (fromFile === (o.variant !== undefined)) {
        throw new InvalidArgumentError(
          fromFile ? 'give --pairs FILE (your own pairs) or --variant FILE (pairs drawn from it), not both' : 'give --variant FILE (pairs drawn from it) or --pairs FILE (your own pairs)',
        );
      }
      const pairs = fromFile ? readPairsFile(o.pairs as string, memories.length, d) : undefined;
      const variant = fromFile ? undefined : readVariant(o.variant as string, d);
      const footprint = { sort: o.sort as boolean, cumulative: o.cumulative as boolean };
      const bar = progress('train', o.epochs, 10);
      try {
        const options = {
          epochs: o.epochs,
          lr: o.lr,
          batchSize: o.batchSize,
          seed: o.seed,
          bases: o.bases,
          footprint,
          onEpoch: (e: number, loss: number) => bar.update(e, `loss ${loss.toFixed(6)}`),
        };
        const r =
          pairs !== undefined
            ? trainOnPairs(memories, pairs, options)
            : train(memories, variant!, { ...options, pairs: (o.pairs as number | undefined) ?? TRAIN_DEFAULTS.pairs });
        bar.stop();
        process.stderr.write(`loss ${r.losses[0]} -> ${r.finalLoss}\n`);
        writeText(o.out, saveModel({ params: r.params, footprint }));
      } finally {
        bar.stop();
      }
    });
}
