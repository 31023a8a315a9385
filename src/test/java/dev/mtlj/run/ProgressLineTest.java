package dev.mtlj.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The progress line fits 80 columns and wider, keeps its counts whole, and cuts only the task losses. */
class ProgressLineTest {
    private static final String LOSSES = "y1 0.9256 y2 92.52 y3 9057.1 cls 1.3526 big 0.02455 other 1.0 more 2.0";

    @Test
    void fitsEveryWidthAndKeepsTheCounts() {
        for (int width : new int[] {40, 60, 80, 100, 120, 200}) {
            String line = ProgressLine.render(630, 1500, 17.1, LOSSES, width);
            assertThat(line.length()).as("width %d", width).isLessThan(width);
            assertThat(line).as("width %d", width).contains(" 630/1500 17.1 steps/s ETA ");
        }
        // 870 steps left at 17.1 steps/s: 50.9 s, whole seconds 50 -> 0:50. The head and bar take 37 columns, the
        // counts 31; of 80 columns 11 are left before the cursor's, so the losses keep 10 characters and an ellipsis.
        assertThat(ProgressLine.render(630, 1500, 17.1, LOSSES, 80))
                .startsWith(" 42% [============>")
                .endsWith("] 630/1500 17.1 steps/s ETA 0:50 | y1 0.92…");
        assertThat(ProgressLine.render(630, 1500, 17.1, LOSSES, 200))
                .endsWith("more 2.0")
                .doesNotContain("…");
    }

    /** Without a UTF-8 console the cut is marked "..." and the line still fits. */
    @Test
    void asciiConsolesGetThreeDots() {
        String line = ProgressLine.render(630, 1500, 17.1, LOSSES, 80, "...");
        assertThat(line).endsWith("] 630/1500 17.1 steps/s ETA 0:50 | y1 0....").hasSizeLessThan(80);
    }

    @Test
    void noRateYetShowsAnUnknownEta() {
        assertThat(ProgressLine.render(0, 10, 0, "", 80))
                .contains(" 0/10 0.0 steps/s ETA ?")
                .doesNotContain("|");
    }

    @Test
    void hoursAppearPastAnHour() {
        // 3700 steps left at 1 step/s: 1:01:40
        assertThat(ProgressLine.render(0, 3700, 1.0, null, 120)).contains("ETA 1:01:40");
    }
}
