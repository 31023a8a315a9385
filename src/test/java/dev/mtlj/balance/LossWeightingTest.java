package dev.mtlj.balance;

import static dev.mtlj.balance.Examples.close;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtlj.UserInputException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Loss-weighting methods on hand-checkable inputs (docs/methods.md#loss-weightings). */
class LossWeightingTest {
    private static final double[] L = {2, 0.5};

    private static LossInput losses(long step, double... l) {
        return LossInput.ofLosses(step, 0, l);
    }

    /** UW, κ = ½, s = 0: w = (0.5, 0.5). Adam's first step moves each s by lr·sign(grad); grad = (−0.5, 0.25). */
    @Test
    void uncertaintyWeighting() {
        UncertaintyWeighting uw = new UncertaintyWeighting(new double[] {0.5, 0.5}, 0.1, 0);
        close(uw.weigh(losses(0, L)).values(), 1e-12, 0.5, 0.5);
        // Adam step = lr·|g|/(|g| + 1e-8): 0.1·0.5/(0.5 + 1e-8) and 0.1·0.25/(0.25 + 1e-8)
        close(uw.logVariances(), 1e-12, 0.1 * 0.5 / (0.5 + 1e-8), -0.1 * 0.25 / (0.25 + 1e-8));
        // next weights 0.5·e^{−0.1} = 0.452419, 0.5·e^{0.1} = 0.552585; σ = e^{s/2}
        Weights b = uw.weigh(losses(1, L));
        close(b.values(), 1e-6, 0.452419, 0.552585);
        close((double[]) b.extras().get("sigma"), 1e-6, Math.exp(0.05), Math.exp(-0.05));
    }

    /** DWA: L̄(e−2) = (2, 0.5), L̄(e−1) = (1, 0.5) → w = (0.875647, 1.124353); ones before two epochs. */
    @Test
    void dwa() {
        Dwa dwa = new Dwa(2, 2.0);
        close(dwa.weigh(LossInput.ofLosses(0, 0, L)).values(), 0, 1, 1);
        dwa.startFrom(new double[][] {{2, 0.5}, {1, 0.5}});
        close(dwa.weights(), 1e-6, 0.875647, 1.124353);
        // through epochs: epoch means (2, 0.5) then (1, 0.5) give the same weights in epoch 2
        Dwa live = new Dwa(2, 2.0);
        live.weigh(LossInput.ofLosses(0, 0, new double[] {2, 0.5}));
        live.weigh(LossInput.ofLosses(1, 1, new double[] {1, 0.5}));
        close(live.weigh(LossInput.ofLosses(2, 2, L)).values(), 1e-6, 0.875647, 1.124353);
    }

    /** RLW: softmax(0.5, −0.5)·T = (1.462117, 0.537883); draws repeat for the same (seed, step). */
    @Test
    void rlw() {
        close(Rlw.softmaxTimesT(new double[] {0.5, -0.5}), 1e-6, 1.462117, 0.537883);
        Rlw a = new Rlw(3, 9);
        double[] w = a.weigh(losses(5)).values();
        assertThat(Mat.sum(w)).isCloseTo(3, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(new Rlw(3, 9).weigh(losses(5)).values()).containsExactly(w);
        assertThat(a.weigh(losses(6)).values()).isNotEqualTo(w);
    }

    /** GLS: ΠL = 1 → w = (1/(2·2), 1/(2·0.5)) = (0.25, 1). */
    @Test
    void gls() {
        close(new Gls().weigh(losses(0, L)).values(), 1e-12, 0.25, 1);
    }

    /** IMTL-L: w = e^s = (1, 1) at s = 0; grad (1, −0.5) → Adam moves s to (−lr, +lr). */
    @Test
    void imtlL() {
        ImtlL m = new ImtlL(2, 0.1);
        close(m.weigh(losses(0, L)).values(), 1e-12, 1, 1);
        close(m.weigh(losses(1, L)).values(), 1e-6, Math.exp(-0.1), Math.exp(0.1));
    }

    /**
     * GradNorm (paper version): n = (3, 1), L = (2, 0.5), L(0) = (4, 0.5), w = (1, 1), α = 1.5, SGD lr 0.1.
     * The network step uses w = (1, 1); L_grad = 3.990539; ∂/∂w = (+3, −1) → (0.7, 1.1) → ×2/1.8 = (0.777778, 1.222222).
     */
    @Test
    void gradNormPaperExample() {
        GradNorm g = new GradNorm(2, 1.5, 0.1, GradNorm.Optimizer.SGD);
        g.startFrom(new double[][] {{4, 0.5}});
        Weights b = g.weigh(new LossInput(0, 0, L, new double[] {3, 1}, null));
        close(b.values(), 0, 1, 1);
        assertThat((double) b.extras().get("l_grad")).isCloseTo(3.990539, org.assertj.core.api.Assertions.within(1e-6));
        close((double[]) b.extras().get("targets"), 1e-6, 1.088662, 3.079201);
        close(g.weights(), 1e-6, 0.777778, 1.222222);
    }

    /**
     * FAMO, example A: z = (0.5, 0.5), c = 0.8, native w = (0.2, 0.8) → canonical (0.4, 1.6). After the step
     * L⁺ = (1.8, 0.49): u = (0.0212894, −0.0212894); Adam's first step → ξ ≈ (−0.025, 0.025).
     */
    @Test
    void famo() {
        Famo f = new Famo(2, 0.025, 0, 0);
        // D = L + 1e-8: w_i = T·(z_i/D_i)/Σ_j(z_j/D_j)
        double a = 0.5 / (2 + 1e-8);
        double b = 0.5 / (0.5 + 1e-8);
        close(f.weigh(losses(0, L)).values(), 1e-12, 2 * a / (a + b), 2 * b / (a + b));
        f.afterStep(new double[] {1.8, 0.49});
        close(f.logits(), 1e-9, -0.0249999883, 0.0249999883);
    }

    /**
     * STCH with W = 1: epochs 0 and 1 give w = 1/L; epoch 1's losses (2, 0.5) and (4, 1.5) average to the nadir
     * z = (3, 1). Epoch 2 with L = (1.5, 0.5): ℓ = log(L/z) = (log 0.5, log 0.5), softmax = (½, ½),
     * w = T·softmax/L = (2·0.5/1.5, 2·0.5/0.5) = (0.666667, 2).
     */
    @Test
    void stch() {
        Stch s = new Stch(2, 1, 1.0);
        close(s.weigh(LossInput.ofLosses(0, 0, L)).values(), 1e-12, 0.5, 2);
        s.weigh(LossInput.ofLosses(1, 1, new double[] {2, 0.5}));
        s.weigh(LossInput.ofLosses(2, 1, new double[] {4, 1.5}));
        close(s.weigh(LossInput.ofLosses(3, 2, new double[] {1.5, 0.5})).values(), 1e-12, 2 / 3.0, 2);
    }

    @Test
    void registryValidatesNamesAndParameters() {
        BalancerContext ctx = BalancerContext.of(2, 1);
        assertThat(Balancers.create("gradnorm", Map.of("alpha", 0.12), ctx).name())
                .isEqualTo("gradnorm");
        assertThatThrownBy(() -> Balancers.create("gradnrom", Map.of(), ctx))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining(
                        "balancer.type 'gradnrom' is not known; did you mean 'gradnorm'?; allowed: ew, fixed, uw");
        assertThatThrownBy(() -> Balancers.create("gradnorm", Map.of("alfa", 1), ctx))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("balancer.alfa is not a parameter of 'gradnorm'; allowed: alpha, lr, optimizer");
        assertThatThrownBy(() -> Balancers.create("cagrad", Map.of("c", -1), ctx))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("balancer.c of 'cagrad' must be a number in [0.0");
        assertThatThrownBy(() -> Balancers.create("fixed", Map.of("weights", Map.of("t1", 1)), ctx))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("balancer.weights.t2 must be a number");
        assertThat(Balancers.names())
                .containsAll(List.of(
                        "ew",
                        "uw",
                        "dwa",
                        "rlw",
                        "gls",
                        "gradnorm",
                        "famo",
                        "mgda",
                        "pcgrad",
                        "cagrad",
                        "imtl-g",
                        "nash-mtl",
                        "aligned-mtl",
                        "upgrad",
                        "dualproj",
                        "config",
                        "fairgrad"));
    }
}
