/**
 * `ahop/experiments` — the paper's experiments as a library: the protocol, the difficulty scale of
 * each variant family, the memories (synthetic and MNIST), the runner behind `ahop reproduce` and
 * its tables and figures.
 *
 * Needs the optional packages `mnist` (MNIST memories), `vega` and `vega-lite` (figures),
 * `ml-logistic-regression` and `ml-matrix` (the tabular reference); each loads on use and, when
 * missing, throws MissingPackageError naming the package and its install command.
 * docs/protocol.md describes the protocol.
 *
 * @packageDocumentation
 * @module ahop/experiments
 */
export * from './protocol.ts';
export { FAMILIES, strength, variantAt, type Family, type Range, type Strength } from './difficulty.ts';
export { SYNTHETIC_RANGE, syntheticMemories, type PatternKind } from './memories.ts';
export { MNIST_RANGE, MNIST_SIDE, loadMnist, mnistMemories, type Digit } from './mnist.ts';
export { accuracy, nearestMemory } from './metrics.ts';
export { DEMO_DEFAULTS, runDemo, type DemoOptions, type DemoResult } from './demo.ts';
export { planJobs, reproduce, type RunOptions, type RunResults } from './runner.ts';
export { buildTables, renderAll, type RenderContext } from './render.ts';
export { PAPER_RETRIEVAL, PAPER_TABULAR } from './paper.ts';
