package ae.examples.customop;

import ae.autodiff.GraphBuilder;
import ae.autodiff.Node;
import ae.models.PartKind;
import ae.models.Penalty;
import ae.models.PenaltySite;
import ae.models.Setting;
import java.util.List;

/**
 * {@code weight * sum_j log(1 + h_j^2)}: a Student-t prior on the code (Deep Learning, 14.2.1), a sparsity penalty
 * that, unlike L1, flattens out for large units. A new part is one record: its {@code KIND} (stable name, help,
 * settings, factory) and the term it builds at its site.
 *
 * @param weight the factor of the term in the objective, at least 0
 */
public record StudentTPenalty(double weight) implements Penalty {
    /** The part kind {@code student-t}; add it to a {@code Catalog} to load checkpoints that use it. */
    public static final PartKind<StudentTPenalty> KIND = PartKind.of(StudentTPenalty.class, "student-t",
            "a Student-t prior on the code, sum_j log(1 + h_j^2)",
            List.of(Setting.real("weight", 1e-3, null, "weight of the Student-t penalty", StudentTPenalty::weight)),
            v -> new StudentTPenalty(v.real("weight")));

    /** Checks the weight; throws {@link IllegalArgumentException} if it is negative or not finite. */
    public StudentTPenalty {
        Penalty.requireWeight("student-t", weight);
    }

    @Override
    public PartKind<StudentTPenalty> kind() {
        return KIND;
    }

    @Override
    public Node term(PenaltySite site) {
        GraphBuilder b = site.builder();
        Node h = site.code();
        Node perUnit = b.apply(LogOnePlusSquare.INSTANCE, h.rows(), h.cols(), h);
        return b.scale(b.sum(perUnit), 1.0 / h.rows());   // averaged over the batch, like the loss
    }
}
