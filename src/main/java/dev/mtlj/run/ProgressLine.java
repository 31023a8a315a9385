package dev.mtlj.run;

import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBarRenderer;
import me.tongfei.progressbar.ProgressState;

/**
 * One progress line that fits the terminal, whatever its width: {@code 42% [=====>    ] 630/1500 17.1 steps/s ETA
 * 0:51 | y1 0.926 y2 92.5 …}. The counts and rate come first and are never cut; the bar takes what room is left (at
 * least 10 columns, none below 50); the latest task losses come last, cut with "…" where the line ends.
 */
final class ProgressLine implements ProgressBarRenderer {
    private final String ellipsis;

    /** @param unicode whether the console shows "…" (else "..."; e.g. a container whose locale is not UTF-8) */
    ProgressLine(boolean unicode) {
        this.ellipsis = unicode ? "…" : "...";
    }

    @Override
    public String render(ProgressState p, int width) {
        double seconds = Math.max(1e-9, p.getElapsedAfterStart().toMillis() / 1000.0);
        return render(
                p.getCurrent(),
                p.getMax(),
                (p.getCurrent() - p.getStart()) / seconds,
                p.getExtraMessage(),
                width,
                ellipsis);
    }

    /** The line for {@code done} of {@code max} steps at {@code rate} steps a second, in fewer than {@code width} columns. */
    static String render(long done, long maxSteps, double rate, String message, int width) {
        return render(done, maxSteps, rate, message, width, "…");
    }

    /** As above, marking cut losses with {@code ellipsis}. */
    static String render(long done, long maxSteps, double rate, String message, int width, String ellipsis) {
        long max = Math.max(1, maxSteps);
        String eta = rate > 0 ? clock(Duration.ofSeconds((long) ((max - done) / rate))) : "?";
        String head = String.format(Locale.ROOT, "%3d%%", (int) (100.0 * done / max));
        String counts = String.format(Locale.ROOT, " %d/%d %.1f steps/s ETA %s", done, max, rate, eta);
        String extra = message == null || message.isEmpty() ? "" : " | " + message;
        int room = width - head.length() - counts.length() - 3; // " [" + "]"
        StringBuilder line = new StringBuilder(head);
        if (room >= 10 && width >= 50) {
            int bar = Math.min(room, 30);
            int filled = (int) (bar * done / max);
            line.append(" [")
                    .append("=".repeat(filled))
                    .append(filled < bar ? ">" : "")
                    .append(" ".repeat(Math.max(0, bar - filled - 1)))
                    .append(']');
        }
        line.append(counts);
        int left = width - line.length() - 1; // the cursor's column
        if (left > 3 && !extra.isEmpty()) {
            line.append(extra.length() <= left ? extra : extra.substring(0, left - ellipsis.length()) + ellipsis);
        }
        return line.length() < width ? line.toString() : line.substring(0, Math.max(0, width - 1));
    }

    private static String clock(Duration d) {
        long s = d.toSeconds();
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
