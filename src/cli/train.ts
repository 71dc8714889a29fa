/** `ahop train`: memories + variant spec → trained model JSON. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { saveModel } from '../hopfield/model-json.ts';
import type { Base } from '../similarity/base.ts';
import { TRAIN_DEFAULTS, train } from '../train/train.ts';
import { integerOption } from './conformance.ts';
import { readMatrix, readVariant } from './data.ts';
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

export function trainCommand(): Command {
  return new Command('train')
    .description('train A-Hop on pairs drawn from a variant; writes the model JSON')
    .requiredOption('--memories <file>', 'JSON array of N memories, each an array of d numbers')
    .requiredOption('--variant <file>', 'JSON variant spec (noisy, masked, biased, composed, mixed)')
    .requiredOption('--out <file>', 'model JSON to write (- for stdout)')
    .option('--epochs <n>', 'epochs of Adam', integerOption('--epochs'), TRAIN_DEFAULTS.epochs)
    .option('--lr <x>', 'Adam learning rate', numberOption('--lr'), TRAIN_DEFAULTS.lr)
    .option('--pairs <n>', 'training pairs drawn from the variant', integerOption('--pairs'), TRAIN_DEFAULTS.pairs)
    .option('--batch-size <n>', 'pairs per Adam step', integerOption('--batch-size'), TRAIN_DEFAULTS.batchSize)
    .option('--seed <n>', 'seed for the pairs and the shuffles', integerOption('--seed'), TRAIN_DEFAULTS.seed)
    .option('--bases <list>', 'base similarities to train (dis,dot | dis | dot)', basesOption, [...TRAIN_DEFAULTS.bases])
    .addOption(new Option('--no-sort', 'ablation: do not sort the base similarities'))
    .addOption(new Option('--no-cumulative', 'ablation: drop U (no cumulative sum)'))
    .action((o) => {
      const variant = readVariant(o.variant);
      const memories = readMatrix(o.memories, 'memories', variant.dim);
      const footprint = { sort: o.sort as boolean, cumulative: o.cumulative as boolean };
      const bar = progress('train', o.epochs, 10);
      try {
        const r = train(memories, variant, {
          epochs: o.epochs,
          lr: o.lr,
          pairs: o.pairs,
          batchSize: o.batchSize,
          seed: o.seed,
          bases: o.bases,
          footprint,
          onEpoch: (e, loss) => bar.update(e, `loss ${loss.toFixed(6)}`),
        });
        bar.stop();
        process.stderr.write(`loss ${r.losses[0]} -> ${r.finalLoss}\n`);
        writeText(o.out, saveModel({ params: r.params, footprint }));
      } finally {
        bar.stop();
      }
    });
}
