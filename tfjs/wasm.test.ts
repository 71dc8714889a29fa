// The shared tfjs backend suite (tfjs/suite.ts) on the wasm backend, in a process of its own.
import { defineTfjsSuite } from './suite.ts';

await defineTfjsSuite('wasm');
