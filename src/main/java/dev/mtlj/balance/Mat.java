package dev.mtlj.balance;

import org.ojalgo.matrix.decomposition.Eigenvalue;
import org.ojalgo.matrix.store.MatrixStore;
import org.ojalgo.matrix.store.R064Store;
import org.ojalgo.matrix.store.RawStore;

/** Small dense linear algebra on T×T Gramians (double precision, heap only). */
final class Mat {
    static {
        initOjAlgo();
    }

    private Mat() {}

    /**
     * ojAlgo prints a hardware-profile banner on System.out the first time it initialises, which would corrupt
     * machine-readable output ({@code mtlj aggregate} prints JSON). Its own switch, the system property
     * {@code shut.up.ojAlgo}, turns the banner off; set it unless the user set it.
     */
    static void initOjAlgo() {
        if (System.getProperty("shut.up.ojAlgo") == null) {
            System.setProperty("shut.up.ojAlgo", "true");
        }
    }

    static double[] mul(double[][] a, double[] x) {
        double[] y = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            double s = 0;
            for (int j = 0; j < x.length; j++) {
                s += a[i][j] * x[j];
            }
            y[i] = s;
        }
        return y;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** xᵀAx. */
    static double quad(double[][] a, double[] x) {
        return dot(x, mul(a, x));
    }

    static double trace(double[][] a) {
        double t = 0;
        for (int i = 0; i < a.length; i++) {
            t += a[i][i];
        }
        return t;
    }

    static double sum(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s;
    }

    static double[] scale(double[] x, double k) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] * k;
        }
        return y;
    }

    static double[][] scale(double[][] a, double k) {
        double[][] b = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            b[i] = scale(a[i], k);
        }
        return b;
    }

    static double[] fill(int n, double v) {
        double[] x = new double[n];
        java.util.Arrays.fill(x, v);
        return x;
    }

    /** Symmetrised copy (H + Hᵀ)/2. */
    static double[][] symmetric(double[][] h) {
        int n = h.length;
        double[][] s = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                s[i][j] = 0.5 * (h[i][j] + h[j][i]);
            }
        }
        return s;
    }

    /** Symmetric eigendecomposition; eigenvalues descending, eigenvectors as columns of {@code vectors}. */
    record Eigen(double[] values, double[][] vectors) {}

    static Eigen eigen(double[][] h) {
        int n = h.length;
        Eigenvalue<Double> evd = Eigenvalue.R064.make(true);
        evd.decompose(R064Store.FACTORY.copy(RawStore.wrap(symmetric(h))));
        MatrixStore<Double> d = evd.getD();
        MatrixStore<Double> v = evd.getV();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(d.doubleValue(b, b), d.doubleValue(a, a)));
        double[] values = new double[n];
        double[][] vectors = new double[n][n];
        for (int k = 0; k < n; k++) {
            values[k] = d.doubleValue(order[k], order[k]);
            for (int i = 0; i < n; i++) {
                vectors[i][k] = v.doubleValue(i, order[k]);
            }
        }
        return new Eigen(values, vectors);
    }

    /** Moore–Penrose solve x = H⁺b for symmetric H; eigenvalues below {@code relTol·max|λ|} count as zero. */
    static double[] pinvSolve(double[][] h, double[] b, double relTol) {
        Eigen e = eigen(h);
        int n = b.length;
        double max = 0;
        for (double l : e.values()) {
            max = Math.max(max, Math.abs(l));
        }
        double[] x = new double[n];
        for (int k = 0; k < n; k++) {
            double l = e.values()[k];
            if (Math.abs(l) <= relTol * max || l == 0) {
                continue;
            }
            double proj = 0;
            for (int i = 0; i < n; i++) {
                proj += e.vectors()[i][k] * b[i];
            }
            for (int i = 0; i < n; i++) {
                x[i] += e.vectors()[i][k] * proj / l;
            }
        }
        return x;
    }

    static void requireFinite(double[][] h, String what) {
        for (double[] row : h) {
            for (double v : row) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException(what + " holds a non-finite value (" + v + ")");
                }
            }
        }
    }

    static void requireFinite(double[] x, String what) {
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i])) {
                throw new IllegalArgumentException(what + " of task " + i + " is " + x[i]);
            }
        }
    }
}
