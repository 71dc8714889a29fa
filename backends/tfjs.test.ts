// The backend suite (backends/suite.ts) on the TensorFlow.js backends tfjs-cpu and tfjs-wasm, in a
// process of their own (tfjs keeps one active backend per process).
import { defineBackendSuites } from './suite.ts';

await defineBackendSuites('tfjs');
