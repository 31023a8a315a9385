package dev.mtlj.train;

import dev.mtlj.data.Batch;
import dev.mtlj.data.DeviceData;
import dev.mtlj.engine.Autocast;
import dev.mtlj.engine.Precision;
import dev.mtlj.engine.Tensors;
import dev.mtlj.model.MultiTaskModel;
import dev.mtlj.model.MultiTaskNetwork;
import dev.mtlj.task.Losses;
import dev.mtlj.task.TaskMetrics;
import dev.mtlj.task.TaskSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/**
 * Evaluates a model over a whole split: per-task mean loss over the task's labelled examples (weighted by each
 * batch's labelled rows, so exact for mean losses) and metrics accumulated over every labelled example. Runs in eval mode without autograd, one PointerScope per batch,
 * and restores the model's previous mode. Gated architectures also report each task's mean gate distribution, so
 * experts can be seen to specialise or collapse.
 */
public final class Evaluator {
    private Evaluator() {}

    /** Evaluates in float32 (see the overload). */
    public static Report evaluate(
            MultiTaskModel model,
            DeviceData data,
            int batchSize,
            double[] weights,
            long step,
            String split,
            double lr) {
        return evaluate(model, data, batchSize, weights, step, split, lr, Precision.FP32);
    }

    /**
     * Evaluates {@code model} over all of {@code data}; the forward pass runs at {@code precision}, losses and
     * metrics in float32/float64.
     */
    public static Report evaluate(
            MultiTaskModel model,
            DeviceData data,
            int batchSize,
            double[] weights,
            long step,
            String split,
            double lr,
            Precision precision) {
        List<TaskSpec> tasks = model.tasks();
        List<TaskMetrics> metrics = new ArrayList<>();
        tasks.forEach(t -> metrics.add(new TaskMetrics(t)));
        double[] lossSums = new double[tasks.size()];
        long[] labelled = new long[tasks.size()];
        double[][] gateSums = null;
        MultiTaskNetwork net = model.network();
        boolean wasTraining = net.is_training();
        net.eval();
        try (NoGradGuard noGrad = new NoGradGuard()) {
            for (int from = 0; from < data.size(); from += batchSize) {
                int to = Math.min(data.size(), from + batchSize);
                try (PointerScope scope = new PointerScope()) {
                    Batch b = data.slice(from, to);
                    List<Tensor> outs;
                    List<Tensor> gates;
                    try (Autocast ac = Autocast.enter(precision, data.device())) {
                        outs = net.forward(b.inputs());
                        gates = net.sharing().gates(b.inputs());
                    }
                    for (int k = 0; k < gates.size(); k++) {
                        double[] sums = Tensors.toDoubles(gates.get(k).sum(0));
                        if (gateSums == null) {
                            gateSums = new double[gates.size()][sums.length];
                        }
                        for (int e = 0; e < sums.length; e++) {
                            gateSums[k][e] += sums[e];
                        }
                    }
                    for (int i = 0; i < tasks.size(); i++) {
                        Tensor target = b.targets().get(i);
                        if (b.labelled()[i]
                                > 0) { // the masked mean over this batch's labelled rows, weighted by their count
                            lossSums[i] += Losses.compute(
                                                    tasks.get(i),
                                                    outs.get(i),
                                                    target,
                                                    b.masks().get(i))
                                            .item_double()
                                    * b.labelled()[i];
                            labelled[i] += b.labelled()[i];
                        }
                        metrics.get(i).add(Tensors.toFloats(outs.get(i)), Tensors.toFloats(target), b.rows());
                    }
                }
            }
        } finally {
            net.train(wasTraining);
        }
        Map<String, TaskReport> out = new LinkedHashMap<>();
        for (int i = 0; i < tasks.size(); i++) {
            out.put(
                    tasks.get(i).name(),
                    new TaskReport(
                            labelled[i] == 0 ? Double.NaN : lossSums[i] / labelled[i],
                            weights[i],
                            metrics.get(i).results()));
        }
        Map<String, double[]> gateMeans = new LinkedHashMap<>();
        for (int k = 0; gateSums != null && k < gateSums.length; k++) {
            double[] mean = gateSums[k].clone();
            for (int e = 0; e < mean.length; e++) {
                mean[e] /= data.size();
            }
            gateMeans.put(tasks.get(k).name(), mean);
        }
        return new Report(step, split, lr, out, gateMeans);
    }
}
