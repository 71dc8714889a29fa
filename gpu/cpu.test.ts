// The shared gpu.js backend suite (gpu/suite.ts) on the cpu backend, in a process of its own.
import { defineBackendSuite } from './suite.ts';

await defineBackendSuite('cpu');
