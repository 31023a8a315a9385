/**
 * API: model specs ({@link dev.mtlj.model.ModelSpec}, backbones, architectures, heads) and
 * {@link dev.mtlj.model.MultiTaskModel}. Native extension points ({@link dev.mtlj.NativeApi}): a new backbone or
 * architecture implements {@link dev.mtlj.model.Backbone} or {@link dev.mtlj.model.Sharing} and its spec builds it;
 * {@link dev.mtlj.model.MultiTaskNetwork} is the libtorch module behind a model.
 */
package dev.mtlj.model;
