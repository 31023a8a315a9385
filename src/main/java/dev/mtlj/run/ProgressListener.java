package dev.mtlj.run;

import dev.mtlj.train.FitResult;
import dev.mtlj.train.Report;
import dev.mtlj.train.StepResult;
import dev.mtlj.train.Trainer;
import dev.mtlj.train.TrainingListener;
import java.util.Locale;
import java.util.stream.Collectors;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Console progress bar (steps, rate, ETA) with the latest per-task training losses. Writes to stderr. */
public final class ProgressListener implements TrainingListener {
    private ProgressBar bar;

    @Override
    public void onStart(Trainer trainer) {
        bar = new ProgressBarBuilder()
                .setTaskName("train")
                .setInitialMax(trainer.totalSteps())
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(200)
                .showSpeed()
                .setUnit(" steps", 1)
                .build();
        bar.stepTo(trainer.stepsDone());
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
