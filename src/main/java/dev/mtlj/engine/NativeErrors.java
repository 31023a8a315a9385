package dev.mtlj.engine;

import java.util.List;

/** Short causes of libtorch errors for user-facing messages (libtorch's messages carry C++ backtraces). */
public final class NativeErrors {
    private NativeErrors() {}

    /**
     * Whether {@code e} is an error thrown by libtorch itself: JavaCPP turns every C++ exception into a plain
     * {@link RuntimeException} (never a subclass), so Java bugs (null pointers, illegal states) are not mistaken for
     * one.
     */
    public static boolean isNative(Throwable e) {
        return e.getClass() == RuntimeException.class;
    }

    /** libtorch's first message line; for TorchScript interpreter errors the last one, which names the cause. */
    public static String cause(Throwable e) {
        String m = e.getMessage();
        if (m == null) {
            return e.getClass().getSimpleName();
        }
        List<String> lines =
                m.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty()) {
            return e.getClass().getSimpleName();
        }
        return lines.get(0).startsWith("The following operation failed in the TorchScript interpreter")
                ? lines.get(lines.size() - 1)
                : lines.get(0);
    }
}
