/**
 * API. Loss-balancing methods by kind: {@link dev.mtlj.balance.LossWeighting} (weights on the losses),
 * {@link dev.mtlj.balance.GramianWeighting} (weights from the T×T Gramian of task gradients) and
 * {@link dev.mtlj.balance.RowAggregator} (a direction from the Jacobian rows on the device; the only kind using libtorch),
 * one class per method, the {@link dev.mtlj.balance.Balancers} registry and {@link dev.mtlj.balance.Standalone} use.
 * Formulas, papers and conventions: {@code docs/methods.md}.
 */
package dev.mtlj.balance;
