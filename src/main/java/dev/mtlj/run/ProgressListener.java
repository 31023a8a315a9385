package dev.mtlj.run;

import dev.mtlj.train.FitResult;
import dev.mtlj.train.Report;
import dev.mtlj.train.StepResult;
import dev.mtlj.train.Trainer;
import dev.mtlj.train.TrainingListener;
import java.util.Locale;
import java.util.stream.Collectors;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * Console progress (steps, rate, ETA, the latest per-task training losses) on one line that fits the terminal
 * ({@link ProgressLine}); shown only on a console (the CLI decides), written to stderr.
 */
public final class ProgressListener implements TrainingListener {
    private ProgressBar bar;

    @Override
    public void onStart(Trainer trainer) {
        bar = new ProgressBarBuilder()
                .setTaskName("train")
                .setInitialMax(trainer.totalSteps())
                .setUpdateIntervalMillis(200)
                .setRenderer(new ProgressLine(utf8Console())) // fits any width (the default shrank to "[ ]" at 80)
                // one line redrawn after a carriage return: the library's interactive consumer moves the cursor
                // up and down with escape codes, which show as "[1A" where they are not understood
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .build();
        bar.stepTo(trainer.stepsDone());
    }

    /** Whether the console's encoding (the platform's, Java 17) can show "…". */
    private static boolean utf8Console() {
        String enc = System.getProperty("native.encoding", "");
        return enc.equalsIgnoreCase("UTF-8") || enc.equalsIgnoreCase("UTF8");
    }

    @Override
    public void onStep(StepResult r) {
        bar.stepTo(r.step() + 1);
    }

    @Override
    public void onReport(Report r) {
        if (r.split().equals("train")) {
            bar.setExtraMessage(r.tasks().entrySet().stream()
                    .map(e -> e.getKey() + " "
                            + String.format(Locale.ROOT, "%.4g", e.getValue().loss()))
                    .collect(Collectors.joining(" ")));
        }
    }

    @Override
    public void onEnd(FitResult r) {
        bar.close();
    }
}
