package dev.mtlj.serve;

import java.util.Locale;

/**
 * One task's answer as the protocol's tensor: FP32 values [B, width], or with the classification extension the top-k
 * classes of each example as BYTES "score:index" strings [B, k], best first.
 *
 * @param name     the task
 * @param datatype FP32 or BYTES
 * @param shape    [B, width] or [B, k]
 * @param values   FP32 values, row-major (null for BYTES)
 * @param strings  BYTES elements, row-major (null for FP32)
 */
public record OutputTensor(String name, String datatype, long[] shape, float[] values, String[] strings) {
    /** {@code t} as asked: the raw values, or its top {@code k} classes when {@code k > 0}. */
    public static OutputTensor of(TaskOutput t, int k) {
        if (k <= 0) {
            return new OutputTensor(t.task(), "FP32", new long[] {t.rows(), t.width()}, t.values(), null);
        }
        String[] s = new String[t.rows() * k];
        for (int r = 0; r < t.rows(); r++) {
            float[] row = t.row(r);
            boolean[] used = new boolean[row.length];
            for (int j = 0; j < k; j++) {
                int best = -1;
                for (int c = 0; c < row.length; c++) {
                    if (!used[c] && (best < 0 || row[c] > row[best])) {
                        best = c;
                    }
                }
                used[best] = true;
                s[r * k + j] = String.format(Locale.ROOT, "%f:%d", row[best], best);
            }
        }
        return new OutputTensor(t.task(), "BYTES", new long[] {t.rows(), k}, null, s);
    }

    /** The tensor as binary data: little-endian float32, or length-prefixed UTF-8 elements. */
    public byte[] raw() {
        return values != null ? TensorData.encode(values) : TensorData.encode(strings);
    }
}
