package ae.models;

import ae.autodiff.GraphBuilder;
import ae.autodiff.Node;
import ae.autodiff.Parameter;
import java.util.List;

/** {@code weight * sum of squared weights} over every weight matrix being trained (biases are not decayed). */
public record WeightDecayPenalty(double weight) implements Penalty {
    public static final PartKind<WeightDecayPenalty> KIND = PartKind.of(WeightDecayPenalty.class, "weight-decay",
            "the sum of squared weights of every weight matrix",
            List.of(Setting.real("weight", 0.0, "--weight-decay", "weight of the squared-weight penalty on every"
                    + " weight matrix", WeightDecayPenalty::weight)),
            v -> new WeightDecayPenalty(v.real("weight")));

    /** Checks the weight; throws {@link IllegalArgumentException} if it is negative or not finite. */
    public WeightDecayPenalty {
        Penalty.requireWeight("weight-decay", weight);
    }

    @Override
    public PartKind<WeightDecayPenalty> kind() {
        return KIND;
    }

    @Override
    public Node term(PenaltySite site) {
        GraphBuilder b = site.builder();
        Node sum = null;
        for (Parameter w : site.weights()) {
            Node term = b.sumOfSquares(b.parameter(w));
            sum = sum == null ? term : b.add(sum, term);
        }
        if (sum == null) {
            throw new IllegalStateException("weight decay found no weight matrix to decay");
        }
        return sum;
    }
}
