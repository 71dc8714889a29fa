import { trainFast } from './src/experiments/train-fast.ts';
import { buildExperiment } from './src/experiments/instance.ts';
import { BUDGET, MNIST_TASK, MNIST_SIZES } from './src/experiments/protocol.ts';
for (const seed of [0, 1]) {
  const exp = buildExperiment(MNIST_TASK, 'composed', 0.7, seed, MNIST_SIZES);
  for (const safeguard of ['none', 'best-iterate'] as const) {
    const r = trainFast(exp.instance.memories, exp.instance.train, { ...BUDGET, seed, safeguard });
    console.log(`MNIST δ 0.7 seed ${seed} ${safeguard}: start ${r.losses[0].toFixed(3)} → returned ${r.finalLoss.toFixed(3)} (epoch ${r.bestEpoch}); min epoch-mean ${Math.min(...r.losses).toFixed(3)}`);
  }
}
