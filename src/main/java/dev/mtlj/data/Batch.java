package dev.mtlj.data;

import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * One mini-batch on the training device: inputs and every task's targets, in task order.
 * Borrowed: the tensors live in the PointerScope of the step that made them.
 *
 * @param inputs   [B, ...example shape]
 * @param targets  per task: [B] int64 (classification; −1 where missing), [B] float (binary), [B, D] float
 *                 (regression); missing float labels are NaN
 * @param masks    per task: [B] float, 1 = labelled, 0 = missing; {@code null} for a task whose dataset has no
 *                 missing labels (then every row counts)
 * @param labelled per task: labelled rows in this batch (counted on the host, no device read)
 * @param rows     B
 */
@dev.mtlj.NativeApi
public record Batch(Tensor inputs, List<Tensor> targets, List<Tensor> masks, int[] labelled, int rows) {}
