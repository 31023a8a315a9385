package dev.mtlj.data;

/** Small dense-vector helpers of the synthetic data generators. */
final class Vectors {
    private Vectors() {}

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
