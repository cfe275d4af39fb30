/**
 * Imported before ink (see run.tsx): ink decides once, when it is loaded, whether it runs under CI
 * (the CI variable) and then draws only the last frame. runTui is only ever called to draw an
 * interactive terminal (a real one, or a test's fake one inside a CI run), which must be drawn.
 */
delete process.env.CI;
delete process.env.CONTINUOUS_INTEGRATION;

export {};
