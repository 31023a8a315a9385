/**
 * API. Data-parallel training on libtorch's c10d: where a process stands in a run ({@link dev.mtlj.dist.WorldInfo},
 * read from the launcher's environment), the collectives among the ranks ({@link dev.mtlj.dist.Collective}) and the
 * local launcher behind {@code mtlj train --nproc}. The trainer uses a collective through
 * {@link dev.mtlj.train.TrainerBuilder#distributed}; docs/distributed.md describes the semantics.
 */
package dev.mtlj.dist;
