package dev.mtlj.serve;

import java.util.Collection;

/** What a {@link Dispatcher} runs: a {@link Predictor}, or in tests a stand-in. Implementations are thread-safe. */
public interface BatchModel {
    /** Throws {@link dev.mtlj.UserInputException} naming what is wrong with a request, before it joins a batch. */
    void check(float[] flat, int rows, Collection<String> tasks);

    /** Outputs of {@code tasks} (null: every task) for {@code rows} examples, row-major in {@code flat}. */
    Predictions predict(float[] flat, int rows, Collection<String> tasks);
}
