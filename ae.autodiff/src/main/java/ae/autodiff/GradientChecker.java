package ae.autodiff;

import ae.tensor.DType;
import ae.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Compares the gradients of a graph's backward pass with central differences of its forward pass, in float64.
 *
 * <p>An analytic gradient a passes against the numeric n when {@code |a - n| <= atol + rtol * |n|}. Elementwise mode
 * perturbs every element of every parameter and differentiable input (two forwards per element); random-direction
 * mode compares directional derivatives along a few random unit directions per parameter, for parameter counts where
 * that is too slow. The graph's noise is held fixed ({@link Graph#forwardWithSameNoise()}) while checking, and every
 * perturbed value is restored.
 */
public final class GradientChecker {
    /** Default central-difference step, {@code (f(x + eps) - f(x - eps)) / 2 eps}, suited to float64. */
    public static final double DEFAULT_EPSILON = 1e-6;
    /** Default absolute tolerance on {@code |analytic - numeric|}. */
    public static final double DEFAULT_ABSOLUTE_TOLERANCE = 1e-5;
    /** Default relative tolerance, scaled by the magnitude of the numeric derivative. */
    public static final double DEFAULT_RELATIVE_TOLERANCE = 1e-3;

    private final double epsilon;
    private final double absoluteTolerance;
    private final double relativeTolerance;
    private final int directions;
    private final long directionSeed;

    private GradientChecker(double epsilon, double absoluteTolerance, double relativeTolerance, int directions,
                            long directionSeed) {
        if (!(epsilon > 0) || !(absoluteTolerance >= 0) || !(relativeTolerance >= 0)) {
            throw new IllegalArgumentException("epsilon must be > 0 and tolerances >= 0, got eps " + epsilon
                    + ", atol " + absoluteTolerance + ", rtol " + relativeTolerance);
        }
        this.epsilon = epsilon;
        this.absoluteTolerance = absoluteTolerance;
        this.relativeTolerance = relativeTolerance;
        this.directions = directions;
        this.directionSeed = directionSeed;
    }

    /** Elementwise, eps 1e-6, atol 1e-5, rtol 1e-3. */
    public static GradientChecker defaults() {
        return new GradientChecker(DEFAULT_EPSILON, DEFAULT_ABSOLUTE_TOLERANCE, DEFAULT_RELATIVE_TOLERANCE, 0, 0);
    }

    /** A checker like this one with central-difference step {@code eps}. */
    public GradientChecker epsilon(double eps) {
        return new GradientChecker(eps, absoluteTolerance, relativeTolerance, directions, directionSeed);
    }

    /**
     * A checker like this one that passes an analytic derivative a against the numeric n when
     * {@code |a - n| <= atol + rtol * |n|}.
     */
    public GradientChecker tolerances(double atol, double rtol) {
        return new GradientChecker(epsilon, atol, rtol, directions, directionSeed);
    }

    /** Checks {@code count} random unit directions per parameter (seeded) instead of every element. */
    public GradientChecker randomDirections(int count, long seed) {
        if (count < 1) {
            throw new IllegalArgumentException("need at least one direction, got " + count);
        }
        return new GradientChecker(epsilon, absoluteTolerance, relativeTolerance, count, seed);
    }

    /** The comparison of one parameter or input: its worst element (or direction). */
    public record Finding(String target, List<String> ops, String where, double analytic, double numeric,
                          double tolerance) {
        /** True if the analytic and numeric derivatives agree within the tolerance. */
        public boolean passed() {
            return Math.abs(analytic - numeric) <= tolerance;
        }

        /** {@code |a - n| / tolerance}: above 1 fails. */
        public double violation() {
            double d = Math.abs(analytic - numeric);
            return tolerance == 0 ? (d == 0 ? 0 : Double.POSITIVE_INFINITY) : d / tolerance;
        }

        /**
         * One line for a failure message: the parameter, the ops that read it, the worst element and both
         * derivatives.
         */
        public String describe() {
            return target + " (read by " + String.join(", ", ops) + "): worst " + where + ": analytic " + analytic
                    + " vs numeric " + numeric + " (|a - n| = " + Math.abs(analytic - numeric)
                    + (passed() ? " <= " : " > ")
                    + tolerance + ")";
        }
    }

    /** The outcome of a check: one finding per parameter and differentiable input. */
    public record Report(String graph, List<Finding> findings) {
        /** True if every finding passed. */
        public boolean passed() {
            for (Finding f : findings) {
                if (!f.passed()) {
                    return false;
                }
            }
            return true;
        }

        /** "gradient check of graph 'g' failed: parameter 'W' (read by linear[sigmoid] -> linear#3): worst ...". */
        public String message() {
            StringBuilder sb = new StringBuilder("gradient check of graph '" + graph + "' "
                    + (passed() ? "passed" : "failed") + ":");
            for (Finding f : findings) {
                if (!f.passed() || passed()) {
                    sb.append("\n  ").append(f.describe());
                }
            }
            return sb.toString();
        }
    }

    /** Thrown by {@link #verify} when a gradient disagrees; the message names the op, parameter, element and values. */
    public static final class GradientMismatchException extends AssertionError {
        private static final long serialVersionUID = 1L;
        private final transient Report report;

        GradientMismatchException(Report report) {
            super(report.message());
            this.report = report;
        }

        /** The report of the failed check, each parameter's worst element. */
        public Report report() {
            return report;
        }
    }

    /** Checks and throws {@link GradientMismatchException} on any disagreement. */
    public Report verify(Graph graph, Node loss) {
        Report r = check(graph, loss);
        if (!r.passed()) {
            throw new GradientMismatchException(r);
        }
        return r;
    }

    /** Checks the gradients of {@code loss} with respect to every parameter and differentiable input of the graph. */
    public Report check(Graph graph, Node loss) {
        if (graph.dtype() != DType.F64) {
            throw new IllegalArgumentException("gradient checks need a float64 graph; '" + graph.name() + "' is "
                    + graph.dtype() + ". Build the same model over a float64 ParameterStore.");
        }
        List<Target> targets = new ArrayList<>();
        for (Parameter p : graph.parameters()) {
            targets.add(new Target("parameter '" + p.name() + "'", p.value(), p.grad(),
                    graph.consumers(graph.nodeOf(p))));
        }
        for (Node in : graph.differentiableInputs()) {
            targets.add(new Target("input '" + in.name() + "'", in.value(), in.grad(), graph.consumers(in)));
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("graph '" + graph.name()
                    + "' has no parameter or input with a gradient");
        }
        graph.forwardWithSameNoise();
        graph.backward(loss);
        List<double[]> analytic = new ArrayList<>();
        for (Target t : targets) {
            analytic.add(t.grad.toDoubleArray());
        }
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            findings.add(directions == 0
                    ? checkElements(graph, loss, t, analytic.get(i))
                    : checkDirections(graph, loss, t, analytic.get(i), directionSeed + 7919L * i));
        }
        graph.forwardWithSameNoise();
        return new Report(graph.name(), List.copyOf(findings));
    }

    private record Target(String name, Tensor value, Tensor grad, List<String> ops) {
    }

    private Finding checkElements(Graph graph, Node loss, Target t, double[] analytic) {
        Finding worst = null;
        for (int e = 0; e < analytic.length; e++) {
            double original = t.value.getFlat(e);
            t.value.setFlat(e, original + epsilon);
            double plus = evaluate(graph, loss);
            t.value.setFlat(e, original - epsilon);
            double minus = evaluate(graph, loss);
            t.value.setFlat(e, original);
            double numeric = (plus - minus) / (2 * epsilon);
            Finding f = new Finding(t.name, t.ops, "element " + index(t.value, e), analytic[e], numeric,
                    absoluteTolerance + relativeTolerance * Math.abs(numeric));
            if (worst == null || f.violation() > worst.violation() || Double.isNaN(f.violation())) {
                worst = f;
            }
        }
        return worst;
    }

    private Finding checkDirections(Graph graph, Node loss, Target t, double[] analytic, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] original = t.value.toDoubleArray();
        double[] direction = new double[original.length];
        double[] moved = new double[original.length];
        Finding worst = null;
        for (int d = 0; d < directions; d++) {
            double norm = 0;
            for (int e = 0; e < direction.length; e++) {
                direction[e] = random.nextDouble(-1, 1);
                norm += direction[e] * direction[e];
            }
            norm = Math.sqrt(norm);
            double dot = 0;
            for (int e = 0; e < direction.length; e++) {
                direction[e] /= norm;
                dot += direction[e] * analytic[e];
            }
            for (int e = 0; e < moved.length; e++) {
                moved[e] = original[e] + epsilon * direction[e];
            }
            t.value.copyFrom(moved);
            double plus = evaluate(graph, loss);
            for (int e = 0; e < moved.length; e++) {
                moved[e] = original[e] - epsilon * direction[e];
            }
            t.value.copyFrom(moved);
            double minus = evaluate(graph, loss);
            t.value.copyFrom(original);
            double numeric = (plus - minus) / (2 * epsilon);
            Finding f = new Finding(t.name, t.ops, "direction " + d + " of " + directions + " (seed " + seed + ")",
                    dot, numeric, absoluteTolerance + relativeTolerance * Math.abs(numeric));
            if (worst == null || f.violation() > worst.violation() || Double.isNaN(f.violation())) {
                worst = f;
            }
        }
        return worst;
    }

    private static double evaluate(Graph graph, Node loss) {
        graph.forwardWithSameNoise();
        return graph.scalar(loss);
    }

    private static String index(Tensor t, int flat) {
        if (t.rank() == 1) {
            return "[" + flat + "]";
        }
        return "[" + flat / t.dim(1) + ", " + flat % t.dim(1) + "]";
    }
}
