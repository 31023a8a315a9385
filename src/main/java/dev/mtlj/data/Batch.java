package dev.mtlj.data;

import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * One mini-batch on the training device: inputs and every task's targets, in task order.
 * Borrowed: the tensors live in the PointerScope of the step that made them.
 *
 * @param inputs  [B, ...example shape]
 * @param targets per task: [B] int64 (classification), [B] float (binary), [B, D] float (regression)
 * @param rows    B
 */
public record Batch(Tensor inputs, List<Tensor> targets, int rows) {}
