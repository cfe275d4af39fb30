/**
 * Waiting on a real terminal's screen (tmux capture-pane) without racing its drawing: a frame is
 * taken once it satisfies the check AND two captures in a row are identical, so that assertions
 * never look at a half-drawn frame (the header drawn, the rows not yet). Every wait is bounded.
 */
export async function waitForFrame(
  capture: () => string,
  check: (screen: string) => boolean,
  what: string,
  ms = 15_000,
  pollMs = 50,
): Promise<string> {
  const deadline = Date.now() + ms;
  let previous: string | undefined;
  for (;;) {
    const s = capture();
    if (check(s) && s === previous) return s;
    previous = check(s) ? s : undefined;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}; screen:\n${s}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
