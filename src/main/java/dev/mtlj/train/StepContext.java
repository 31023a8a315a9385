package dev.mtlj.train;

import dev.mtlj.dist.Collective;
import dev.mtlj.engine.Precision;
import dev.mtlj.model.MultiTaskNetwork;
import dev.mtlj.task.TaskSpec;
import java.util.List;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;

/**
 * What every step strategy works with, fixed for the run (all borrowed).
 *
 * @param network   the model's module
 * @param tasks     tasks in head order
 * @param params    the step's parameter sets
 * @param device    training device
 * @param dtype     parameter dtype (losses are cast to it)
 * @param precision  forward precision
 * @param collective the ranks of a data-parallel run ({@link Collective#single()} for one process)
 * @param grads      the rank's gradient buffer in a data-parallel run, else null
 */
record StepContext(
        MultiTaskNetwork network,
        List<TaskSpec> tasks,
        StepParameters params,
        Device device,
        torch.ScalarType dtype,
        Precision precision,
        Collective collective,
        GradBuffer grads) {}
