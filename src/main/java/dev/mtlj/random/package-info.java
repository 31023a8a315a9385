/** Internal. A splittable, checkpointable random number generator ({@link dev.mtlj.random.Rng}). */
package dev.mtlj.random;
