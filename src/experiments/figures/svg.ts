/**
 * Vega-Lite spec → SVG string, rendered headless (no canvas: vega's SVG renderer with estimated
 * text metrics), so the same data always give byte-identical files on every machine.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export async function toSvg(spec: TopLevelSpec): Promise<string> {
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
