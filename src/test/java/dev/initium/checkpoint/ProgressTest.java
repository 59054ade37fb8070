package dev.initium.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Progress is drawn on standard error, so the bar is chosen by whether standard error is a terminal. */
class ProgressTest {
    @Test
    void theModeFollowsStandardError() {
        String before = System.getProperty("initium.stderr.terminal");
        try {
            System.setProperty("initium.stderr.terminal", "true");
            assertEquals(Progress.Mode.BAR, Progress.detect(false), "the launcher says standard error is a terminal");
            System.setProperty("initium.stderr.terminal", "false");
            assertEquals(Progress.Mode.LINES, Progress.detect(false));
            assertEquals(Progress.Mode.QUIET, Progress.detect(true));
            System.clearProperty("initium.stderr.terminal");
            // Under the test runner, standard error is a pipe to the runner, never a terminal.
            assertEquals(Progress.Mode.LINES, Progress.detect(false));
        } finally {
            if (before == null) {
                System.clearProperty("initium.stderr.terminal");
            } else {
                System.setProperty("initium.stderr.terminal", before);
            }
        }
    }
}
