package ae.models;

import ae.autodiff.Node;
import java.util.List;

/** {@code weight * sum_j |h_j|} on the code: sparse codes by an L1 prior (best on a ReLU code, which can be 0). */
public record L1Penalty(double weight) implements Penalty {
    public static final PartKind<L1Penalty> KIND = PartKind.of(L1Penalty.class, "l1",
            "the L1 norm of the code, sum_j |h_j|: sparse codes",
            List.of(Setting.real("weight", 1e-3, "--l1", "weight of the L1 penalty on the code", L1Penalty::weight)),
            v -> new L1Penalty(v.real("weight")));

    /** Checks the weight; throws {@link IllegalArgumentException} if it is negative or not finite. */
    public L1Penalty {
        Penalty.requireWeight("l1", weight);
    }

    @Override
    public PartKind<L1Penalty> kind() {
        return KIND;
    }

    @Override
    public Node term(PenaltySite site) {
        return site.builder().l1(site.code());
    }
}
