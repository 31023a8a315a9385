package dev.mtlj.rowwise;

import dev.mtlj.balance.LossBalancers;
import java.util.Set;

/**
 * Registers the row-wise methods in the {@link LossBalancers} registry (loaded by it, so every name is known
 * wherever balancers are created): {@code graddrop}, {@code db-mtl}, {@code moco}, {@code excess-mtl}.
 */
public final class RowAggregators {
    static {
        LossBalancers.register("graddrop", Set.of("leak"), (p, c) -> new GradDrop(p.number("leak", 0, 0, 1)));
        LossBalancers.register("db-mtl", Set.of("beta", "sigma"), (p, c) -> new DbMtl(p.number("beta", 0.9, 0, 1),
                p.number("sigma", 0, 0, 10)));
        LossBalancers.register("moco", Set.of("beta", "gamma", "rho"), (p, c) -> new MoCo(p.number("beta", 0.5, 0, 1),
                p.number("gamma", 0.1, 0, 1e6), p.number("rho", 0, 0, 1e6)));
        LossBalancers.register("excess-mtl", Set.of("eta"), (p, c) -> new ExcessMtl(p.number("eta", 0.01, 0, 1e3)));
    }

    private RowAggregators() {}
}
