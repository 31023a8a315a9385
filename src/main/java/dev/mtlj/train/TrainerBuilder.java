package dev.mtlj.train;

import dev.mtlj.balance.Balancer;
import dev.mtlj.dist.Collective;
import dev.mtlj.dist.DistSpec;
import dev.mtlj.model.MultiTaskModel;
import dev.mtlj.sample.TaskSampler;
import java.nio.file.Path;

/** Configures a {@link Trainer} ({@link Trainer#builder}); every setting has a default but the model and balancer. */
public final class TrainerBuilder {
    final MultiTaskModel model;
    final Balancer balancer;
    TrainSpec spec = TrainSpec.defaults();
    long seed = 42;
    Path checkpointDir;
    String metadata;
    String runId;
    TaskSampler sampler;
    int tasksPerStep;
    int[] batchSizes;
    Collective collective = Collective.single();
    DistSpec dist = DistSpec.defaults();

    TrainerBuilder(MultiTaskModel model, Balancer balancer) {
        this.model = model;
        this.balancer = balancer;
    }

    /** Loop settings (default {@link TrainSpec#defaults()}); {@code spec.freeze()} is applied to the model. */
    public TrainerBuilder spec(TrainSpec spec) {
        this.spec = spec;
        return this;
    }

    /** Run seed: batch order and per-step libtorch seeds (default 42). */
    public TrainerBuilder seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Where {@link Trainer#fit} writes {@code latest.ckpt} (and {@code best.ckpt}); default none. */
    public TrainerBuilder checkpointDir(Path dir) {
        this.checkpointDir = dir;
        return this;
    }

    /** Opaque JSON stored in every checkpoint (a run stores its resolved config). */
    public TrainerBuilder metadata(String json) {
        this.metadata = json;
        return this;
    }

    /** The identity of the run folder, stored in every checkpoint so that a resume can refuse another run's file. */
    public TrainerBuilder runId(String id) {
        this.runId = id;
        return this;
    }

    /**
     * Sampled training (the task scheduler): each step draws {@code tasksPerStep} tasks with {@code sampler} and
     * trains on batches from those tasks' own streams over their labelled rows (task k's batch size
     * {@code batchSizes[k]}). Only balancers that accept absent tasks (ew, fixed) combine with it.
     */
    public TrainerBuilder sampled(TaskSampler sampler, int tasksPerStep, int[] batchSizes) {
        this.sampler = sampler;
        this.tasksPerStep = tasksPerStep;
        this.batchSizes = batchSizes.clone();
        return this;
    }

    /**
     * Data-parallel training over {@code collective}'s ranks (borrowed): every rank builds the same trainer and calls
     * {@link Trainer#fit} with the same data; each trains on its shard of every global batch ({@code spec.batchSize()}
     * rows split across the ranks) and every update equals the one-process update on the whole batch. Only rank 0
     * should be given a checkpoint folder. Default: one process.
     */
    public TrainerBuilder distributed(Collective collective, DistSpec dist) {
        this.collective = collective;
        this.dist = dist;
        return this;
    }

    /** The trainer. */
    public Trainer build() {
        return new Trainer(this);
    }
}
