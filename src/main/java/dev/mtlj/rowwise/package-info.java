/**
 * Gradient methods that need the Jacobian rows themselves (element-wise rules, per-element state), computed with
 * libtorch on the training device: GradDrop, DB-MTL, MoCo, ExcessMTL. Everything Gramian-only lives in the pure-Java
 * {@code balance} package.
 */
package dev.mtlj.rowwise;
