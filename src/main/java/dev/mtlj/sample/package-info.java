/**
 * Task samplers: which task's batch a sampled-training step draws (round-robin, uniform, proportional, temperature,
 * annealed, fixed, dynamic). Pure Java, deterministic in (seed, step). Integration with per-task data streams in
 * the trainer is the scheduler issue's remaining work.
 */
package dev.mtlj.sample;
