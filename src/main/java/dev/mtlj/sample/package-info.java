/**
 * API. Task samplers: which task(s) a sampled-training step draws (round-robin, uniform, proportional, temperature,
 * annealed, fixed, dynamic), registered in {@link dev.mtlj.sample.TaskSamplers}. Pure Java, deterministic in (seed,
 * step).
 */
package dev.mtlj.sample;
