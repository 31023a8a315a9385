package dev.mtlj.data;

import dev.mtlj.UserInputException;

/**
 * Checks, before anything is allocated, that generated or loaded data fits: every split is one heap {@code float[]}
 * (at most 2^31 − 9 entries) and all of it must fit in the JVM's maximum heap with room to train. Without this a
 * {@code data.input_dim} of 2e9 ended in an {@link OutOfMemoryError} after half a minute and gigabytes.
 */
public final class HeapBudget {
    /** The largest Java array. */
    public static final long MAX_ARRAY = Integer.MAX_VALUE - 8L;

    /** The share of the maximum heap data may take; the rest is for the model's host copies and the run. */
    static final double SHARE = 0.6;

    private HeapBudget() {}

    /**
     * Refuses {@code values} numbers of {@code bytesPerValue} each (and no array over {@link #MAX_ARRAY} entries:
     * {@code largestArray}) for {@code what}, naming the settings that set the size.
     */
    public static void require(String what, String settings, long largestArray, double values, int bytesPerValue) {
        long heap = Runtime.getRuntime().maxMemory();
        double bytes = values * bytesPerValue;
        if (largestArray > MAX_ARRAY || largestArray < 0) {
            throw new UserInputException(what + " would need an array of " + largestArray + " values, over Java's"
                    + " limit of " + MAX_ARRAY + "; lower " + settings);
        }
        if (bytes > SHARE * heap) {
            throw new UserInputException(String.format(
                    java.util.Locale.ROOT,
                    "%s would take %.1f GiB, over %.0f%% of the JVM's %.1f GiB heap; lower %s, or give the JVM more"
                            + " heap (MTLJ_JAVA_OPTS=-Xmx...)",
                    what,
                    bytes / (1L << 30),
                    SHARE * 100,
                    heap / (double) (1L << 30),
                    settings));
        }
    }
}
