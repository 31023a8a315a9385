/**
 * API. A whole run from a config: {@link dev.mtlj.run.Run} (run directory, metrics.jsonl, checkpoints, summary) and the
 * quick start.
 */
package dev.mtlj.run;
