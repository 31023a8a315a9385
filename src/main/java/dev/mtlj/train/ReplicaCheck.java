package dev.mtlj.train;

import dev.mtlj.dist.Collective;
import dev.mtlj.dist.RankFailedException;
import dev.mtlj.engine.Tensors;
import dev.mtlj.model.MultiTaskNetwork;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Keeps the replicas of a data-parallel run identical. When training starts, rank 0's parameters and buffers replace
 * every other rank's (as PyTorch's DDP does), so a different initialisation elsewhere cannot matter. After every step
 * rank 0's floating buffers (batch-norm statistics, which each rank updates on its own shard) are broadcast, so
 * evaluation and checkpoints see one model. Every {@code checkEvery} steps the ranks compare a checksum of their
 * parameters; a difference (a non-deterministic kernel, a rank-specific bug) stops the run naming the step.
 */
final class ReplicaCheck implements TrainingListener {
    private final Trainer trainer;
    private final MultiTaskNetwork network;
    private final Collective collective;
    private final int checkEvery;

    ReplicaCheck(Trainer trainer, MultiTaskNetwork network, Collective collective, int checkEvery) {
        this.trainer = trainer;
        this.network = network;
        this.collective = collective;
        this.checkEvery = checkEvery;
    }

    @Override
    public void onStart(Trainer t) {
        try (PointerScope scope = new PointerScope();
                NoGradGuard noGrad = new NoGradGuard()) {
            broadcast(list(network.parameters()));
            List<Tensor> buffers = list(network.buffers());
            broadcast(buffers.stream().filter(Tensor::is_floating_point).toList());
            for (Tensor b : buffers) {
                if (!b.is_floating_point()) {
                    collective.broadcast(b, 0);
                }
            }
        }
    }

    @Override
    public void onStep(StepResult r) {
        try (PointerScope scope = new PointerScope();
                NoGradGuard noGrad = new NoGradGuard()) {
            broadcast(list(network.buffers()).stream()
                    .filter(Tensor::is_floating_point)
                    .toList());
            long done = trainer.stepsDone();
            if (checkEvery > 0 && done % checkEvery == 0) {
                compare(done);
            }
        }
    }

    /** Rank 0's values of {@code tensors} (one dtype per flat buffer), in place on every rank. */
    private void broadcast(List<Tensor> tensors) {
        if (tensors.isEmpty()) {
            return;
        }
        torch.ScalarType type = tensors.get(0).scalar_type();
        TensorVector flat = new TensorVector();
        for (Tensor x : tensors) {
            flat.push_back(x.reshape(-1).to(type));
        }
        Tensor buffer = torch.cat(flat);
        collective.broadcast(buffer, 0);
        long off = 0;
        for (Tensor x : tensors) {
            long n = x.numel();
            x.copy_(buffer.narrow(0, off, n).view_as(x));
            off += n;
        }
    }

    /** Σp and Σp² over every parameter, in float64, must be bitwise equal on every rank. */
    private void compare(long done) {
        TensorVector sums = new TensorVector();
        TensorVector squares = new TensorVector();
        for (Tensor p : list(network.parameters())) {
            Tensor d = p.to(torch.ScalarType.Double);
            sums.push_back(d.sum());
            squares.push_back(d.mul(d).sum());
        }
        Tensor c = torch.stack(
                new TensorVector(torch.stack(sums).sum(), torch.stack(squares).sum()));
        Tensor both = torch.cat(new TensorVector(c, c.neg()));
        collective.max(both);
        double[] v = Tensors.toDoubles(both);
        if (v[0] != -v[2] || v[1] != -v[3]) {
            throw new RankFailedException(String.format(
                    Locale.ROOT,
                    "the ranks' parameters differ after step %d (sum of parameters from %.17g to %.17g): the replicas"
                            + " drifted apart (a non-deterministic kernel, or a rank that trained on something else);"
                            + " the run stops rather than average different models",
                    done,
                    -v[2],
                    v[0]));
        }
    }

    private static List<Tensor> list(TensorVector v) {
        List<Tensor> out = new ArrayList<>((int) v.size());
        for (long k = 0; k < v.size(); k++) {
            out.add(v.get(k));
        }
        return out;
    }
}
