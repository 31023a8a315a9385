/**
 * API. Serving inside a JVM: {@link dev.mtlj.serve.Predictor} (thread-safe predictions as plain Java values), the
 * dispatchers (dynamic batching or direct), the {@link dev.mtlj.serve.ModelRepository} and serving metrics.
 */
package dev.mtlj.serve;
