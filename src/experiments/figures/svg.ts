/**
 * Vega-Lite spec → SVG string, rendered headless (no canvas: vega's SVG renderer with estimated
 * text metrics), so the same data always give byte-identical files on every machine.
 */
import type { TopLevelSpec } from 'vega-lite';
import { importOptional } from '../../optional.ts';

/** Renders one figure; vega and vega-lite (optional packages) load on the first call. */
export async function toSvg(spec: TopLevelSpec): Promise<string> {
  const vega = await importOptional('vega', 'rendering the figures', () => import('vega'));
  const { compile } = await importOptional('vega-lite', 'rendering the figures', () => import('vega-lite'));
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return (await view.toSVG()) + '\n';
  } finally {
    view.finalize();
  }
}

/** Fixed styling shared by every figure (no fonts that differ across machines). */
export const CONFIG = {
  font: 'sans-serif',
  view: { stroke: null },
  axis: { grid: true, gridOpacity: 0.4 },
} as const;
