// The backend suite (backends/suite.ts) on the backends that need headless-gl, in a process of their
// own (headless-gl's GLX and Dawn's EGL cannot share one). Runs when the optional `gl` package is
// installed, under xvfb-run -a; otherwise it checks the refusal names what is missing (docs/gpu.md).
import { defineBackendSuites } from './suite.ts';

await defineBackendSuites('headless-gl');
