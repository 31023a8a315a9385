package dev.mtlj.train;

import dev.mtlj.task.TaskMetrics;
import dev.mtlj.task.TaskSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The training records: every {@code train.log_every} steps and at the last step, each task's mean loss since the
 * previous record (from the device loss window: one host sync per record), the balancer's current weights, the
 * logged batch's metrics and, in sampled training, the sampling statistics.
 */
final class TrainLog implements TrainingListener {
    private final Trainer trainer;
    private final List<TaskSpec> tasks;
    private final LossWindow window;
    private final BatchSource batches;
    private final Supplier<double[]> weights;
    private final long every;

    TrainLog(
            Trainer trainer,
            List<TaskSpec> tasks,
            LossWindow window,
            BatchSource batches,
            Supplier<double[]> weights,
            long every) {
        this.trainer = trainer;
        this.tasks = tasks;
        this.window = window;
        this.batches = batches;
        this.weights = weights;
        this.every = every;
    }

    private boolean due(long step) {
        return (step + 1) % every == 0 || step + 1 == trainer.totalSteps();
    }

    @Override
    public boolean wantsOutputs(long step) {
        return due(step);
    }

    @Override
    public void onStep(StepResult r) {
        if (!due(r.step())) {
            return;
        }
        LossWindow.Means means = window.drain();
        double[] w = weights.get();
        Map<String, TaskReport> out = new LinkedHashMap<>();
        for (int i = 0; i < tasks.size(); i++) {
            TaskMetrics m = new TaskMetrics(tasks.get(i));
            if (r.outputs() != null) { // a skipped step has no outputs: its record carries losses only
                float[][] oc = r.outputs().get(i);
                m.add(oc[0], oc[1], oc[0].length / tasks.get(i).outputs());
            }
            double mean = means.means()[i];
            if (!Double.isFinite(mean) && means.counts()[i] > 0) {
                throw new DivergenceException("loss of task '" + tasks.get(i).name() + "' became " + mean
                        + " before step " + (r.step() + 1) + "; lower the learning rate, enable train.grad_clip, or set"
                        + " train.on_nonfinite: skip");
            }
            out.put(tasks.get(i).name(), new TaskReport(mean, w[i], m.results()));
        }
        trainer.publish(new Report(r.step(), "train", r.lr(), out, Map.of(), batches.drainWindow(r.step())));
    }
}
