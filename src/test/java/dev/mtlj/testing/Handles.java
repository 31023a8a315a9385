package dev.mtlj.testing;

import org.bytedeco.javacpp.Pointer;

/** JavaCPP's live native handle count, for leak tests. */
public final class Handles {
    private Handles() {}

    /**
     * The count is process-wide: unreachable handles of earlier tests may be freed by the GC at any time. Collect
     * and drain the deallocation queue first, so the count is of reachable handles only.
     */
    public static long live() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Pointer.deallocateReferences();
        }
        return Pointer.totalCount();
    }
}
