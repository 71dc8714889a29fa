#!/usr/bin/env node
// The `ahop` command: runs the compiled CLI (dist/, built by `npm run build`, which `npm ci` runs
// through `prepare`). With AHOP_FROM_SOURCE=1 (the test suite sets it) it runs the TypeScript
// sources through tsx instead, so tests exercise the code as it is now, never a stale build.
if (process.env.AHOP_FROM_SOURCE === '1') {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
} else {
  try {
    await import('../dist/src/cli/main.js');
  } catch (e) {
    if (e?.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes('dist/src/cli/main.js')) {
      process.stderr.write('error: the compiled CLI is missing; run `npm run build` first (npm ci runs it)\n');
      process.exit(2);
    }
    throw e;
  }
}
