/**
 * The area under the ROC curve, exactly, as the Mann–Whitney statistic: with R₊ the sum of the
 * positives' ranks among all scores (tied scores share their average rank),
 *   AUC = (R₊ − n₊(n₊ + 1)/2) / (n₊ n₋)
 * = P(score of a random positive > score of a random negative) + ½ P(tie).
 */
import { DomainError, ShapeError } from '../../errors.ts';

/**
 * AUC of `scores` for binary `labels` (1 positive, 0 negative); both classes must occur.
 *
 * @example
 * ```ts
 * import { auc } from './auc.ts';
 * // (1 + 1 + 1 + ½) / 4: the tie between a positive and a negative counts ½
 * if (auc([0.9, 0.4, 0.4, 0.1], [1, 1, 0, 0]) !== 0.875) throw new Error('AUC = 0.875');
 * ```
 */
export function auc(scores: readonly number[], labels: readonly number[]): number {
  if (scores.length !== labels.length) throw new ShapeError(`scores has length ${scores.length} but labels has length ${labels.length}`);
  scores.forEach((s, i) => {
    if (!Number.isFinite(s)) throw new DomainError(`scores[${i}] must be finite, got ${s}`);
    if (labels[i] !== 0 && labels[i] !== 1) throw new DomainError(`labels[${i}] must be 0 or 1, got ${labels[i]}`);
  });
  const nPos = labels.filter((l) => l === 1).length;
  const nNeg = labels.length - nPos;
  if (nPos === 0 || nNeg === 0) throw new DomainError(`AUC needs both classes, got ${nPos} positive and ${nNeg} negative labels`);
  const order = scores.map((_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let rankSumPos = 0;
  for (let at = 0; at < order.length; ) {
    let end = at;
    while (end + 1 < order.length && scores[order[end + 1]] === scores[order[at]]) end++;
    // Ranks at+1 … end+1 are tied: each gets their average.
    const rank = (at + end + 2) / 2;
    for (let j = at; j <= end; j++) if (labels[order[j]] === 1) rankSumPos += rank;
    at = end + 1;
  }
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}
