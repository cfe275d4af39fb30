/**
 * The usual envelope score: how many sample lines are of the envelope's shape. Envelopes whose
 * evidence is weighed otherwise (headers worth many lines, a whole dump) write their own.
 */
export function countLines(isOwn: (line: string) => unknown): (sample: string[]) => number {
  return (sample) => {
    let n = 0;
    for (const line of sample) if (isOwn(line)) n++;
    return n;
  };
}
