// The shared gpu.js backend suite (gpu/suite.ts) on the headlessgl backend, in a process of its own
// (headless-gl and Dawn must not share one). Runs when the optional `gl` package is installed, under
// xvfb-run -a; skipped with the reason otherwise (docs/gpu.md).
import { defineBackendSuite } from './suite.ts';

await defineBackendSuite('headlessgl');
