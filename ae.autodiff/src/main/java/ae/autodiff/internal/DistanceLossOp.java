package ae.autodiff.internal;

import ae.autodiff.Node;
import java.lang.foreign.MemorySegment;

/**
 * Squared error {@code sum (p - t)^2} or absolute value {@code sum |x|} (the L1 penalty; no target), summed over
 * columns and averaged over rows. The subgradient of |x| at 0 is taken as 0.
 */
public final class DistanceLossOp extends Op {
    /** Which distance. */
    public enum Kind { SQUARED_ERROR, ABSOLUTE_VALUE }

    private final Kind kind;
    private final Node prediction;
    private final Node target;

    public DistanceLossOp(Kind kind, Node prediction, Node target, Node output) {
        super(kind == Kind.SQUARED_ERROR ? "meanSquaredError" : "l1", output,
                target == null ? new Node[] {prediction} : new Node[] {prediction, target});
        this.kind = kind;
        this.prediction = prediction;
        this.target = target;
    }

    private double difference(MemorySegment ps, long po, MemorySegment ts, long to, boolean f32, long i) {
        double p = Elements.get(ps, f32, po + i);
        return target == null ? p : p - Elements.get(ts, f32, to + i);
    }

    @Override
    public void forward() {
        MemorySegment ps = prediction.value().segment();
        MemorySegment ts = target == null ? null : target.value().segment();
        boolean f32 = Elements.isF32(prediction.value());
        long po = prediction.value().offset();
        long to = target == null ? 0 : target.value().offset();
        long n = prediction.value().size();
        double acc = 0;
        for (long i = 0; i < n; i++) {
            double d = difference(ps, po, ts, to, f32, i);
            acc += kind == Kind.SQUARED_ERROR ? d * d : Math.abs(d);
        }
        Elements.setScalar(output.value(), acc / prediction.rows());
    }

    @Override
    public void backward() {
        double g = Elements.scalar(output.grad()) / prediction.rows();
        MemorySegment ps = prediction.value().segment();
        MemorySegment ts = target == null ? null : target.value().segment();
        boolean f32 = Elements.isF32(prediction.value());
        long po = prediction.value().offset();
        long to = target == null ? 0 : target.value().offset();
        long n = prediction.value().size();
        MemorySegment dp = prediction.gradOrNull() == null ? null : prediction.grad().segment();
        long dpo = dp == null ? 0 : prediction.grad().offset();
        MemorySegment dt = target == null || target.gradOrNull() == null ? null : target.grad().segment();
        long dto = dt == null ? 0 : target.grad().offset();
        for (long i = 0; i < n; i++) {
            double d = difference(ps, po, ts, to, f32, i);
            double slope = kind == Kind.SQUARED_ERROR ? 2 * d : Math.signum(d);
            if (dp != null) {
                Elements.add(dp, f32, dpo + i, g * slope);
            }
            if (dt != null) {
                Elements.add(dt, f32, dto + i, -g * slope);
            }
        }
    }
}
