/**
 * API. The YAML run config: {@link dev.mtlj.config.RunConfig} and its sections, bound strictly by
 * {@link dev.mtlj.config.ConfigLoader} (every mistake a {@link dev.mtlj.UserInputException} naming the key).
 */
package dev.mtlj.config;
