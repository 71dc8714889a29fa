// The backend suite (backends/suite.ts) on every registered backend of the main process group:
// the reference and the gpu.js cpu, webasm and webgpu backends.
import { defineBackendSuites } from './suite.ts';

await defineBackendSuites('main');
