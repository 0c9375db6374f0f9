package ae.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.tensor.ComputePool;
import ae.tensor.DType;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ISTA and FISTA against a coordinate-descent reference on small problems in float64: the objective
 * {@code ||x - c - D h||^2 + lambda ||h||_1 + alpha ||h - p||^2} is strictly convex, so every method must reach the same
 * codes.
 */
class SparseCodeSolverTest {
    private static final int ROWS = 5;
    private static final int FEATURES = 12;
    private static final int ATOMS = 8;
    private static final double LAMBDA = 0.3;
    private static final double ALPHA = 0.5;

    /** A random problem: unit-norm atoms, inputs, offset and predictions. */
    private record Problem(double[][] d, double[][] x, double[] c, double[][] p) {
        static Problem random(long seed, double alpha) {
            SplittableRandom rng = new SplittableRandom(seed);
            double[][] d = new double[FEATURES][ATOMS];
            for (int j = 0; j < ATOMS; j++) {
                double norm = 0;
                for (int i = 0; i < FEATURES; i++) {
                    d[i][j] = rng.nextGaussian();
                    norm += d[i][j] * d[i][j];
                }
                for (int i = 0; i < FEATURES; i++) {
                    d[i][j] /= Math.sqrt(norm);
                }
            }
            double[][] x = new double[ROWS][FEATURES];
            for (double[] row : x) {
                for (int i = 0; i < FEATURES; i++) {
                    row[i] = rng.nextGaussian();
                }
            }
            double[] c = new double[FEATURES];
            for (int i = 0; i < FEATURES; i++) {
                c[i] = 0.1 * rng.nextGaussian();
            }
            double[][] p = new double[ROWS][ATOMS];
            for (double[] row : p) {
                for (int j = 0; j < ATOMS; j++) {
                    row[j] = alpha == 0 ? 0 : 0.5 * rng.nextGaussian();
                }
            }
            return new Problem(d, x, c, p);
        }

        /** Cyclic coordinate descent, exact minimization over one code value at a time, to convergence. */
        double[][] coordinateDescent(double lambda, double alpha) {
            double[][] gram = new double[ATOMS][ATOMS];
            for (int a = 0; a < ATOMS; a++) {
                for (int b = 0; b < ATOMS; b++) {
                    for (int i = 0; i < FEATURES; i++) {
                        gram[a][b] += d[i][a] * d[i][b];
                    }
                }
            }
            double[][] h = new double[ROWS][ATOMS];
            for (int r = 0; r < ROWS; r++) {
                double[] target = new double[ATOMS];
                for (int j = 0; j < ATOMS; j++) {
                    for (int i = 0; i < FEATURES; i++) {
                        target[j] += d[i][j] * (x[r][i] - c[i]);
                    }
                }
                for (int sweep = 0; sweep < 100_000; sweep++) {
                    double moved = 0;
                    for (int j = 0; j < ATOMS; j++) {
                        // a h_j^2 - 2 z h_j + lambda |h_j|, minimized by shrink(z, lambda / 2) / a.
                        double z = target[j] + alpha * p[r][j];
                        for (int i = 0; i < ATOMS; i++) {
                            if (i != j) {
                                z -= gram[j][i] * h[r][i];
                            }
                        }
                        double a = gram[j][j] + alpha;
                        double half = lambda / 2;
                        double v = (z > half ? z - half : z < -half ? z + half : 0) / a;
                        moved = Math.max(moved, Math.abs(v - h[r][j]));
                        h[r][j] = v;
                    }
                    if (moved < 1e-15) {
                        break;
                    }
                }
            }
            return h;
        }

        double objective(double[][] h, double lambda, double alpha) {
            double total = 0;
            for (int r = 0; r < ROWS; r++) {
                for (int i = 0; i < FEATURES; i++) {
                    double v = x[r][i] - c[i];
                    for (int j = 0; j < ATOMS; j++) {
                        v -= d[i][j] * h[r][j];
                    }
                    total += v * v;
                }
                for (int j = 0; j < ATOMS; j++) {
                    total += lambda * Math.abs(h[r][j]) + alpha * (h[r][j] - p[r][j]) * (h[r][j] - p[r][j]);
                }
            }
            return total / ROWS;
        }
    }

    /** The problem's tensors in a scope and a solver set to its dictionary. */
    private static final class Fixture implements AutoCloseable {
        final TensorScope scope = TensorScope.open("solver test");
        final ComputePool pool = ComputePool.create(1);
        final SparseCodeSolver solver = new SparseCodeSolver(ROWS, FEATURES, ATOMS, DType.F64, pool);
        final Tensor d;
        final Tensor x;
        final Tensor c;
        final Tensor p;
        final Tensor codes;

        Fixture(Problem problem) {
            d = matrix(problem.d());
            x = matrix(problem.x());
            c = scope.fromArray(problem.c().clone(), FEATURES);
            p = matrix(problem.p());
            codes = scope.allocateDouble(ROWS, ATOMS);
            solver.setDictionary(d, c);
        }

        private Tensor matrix(double[][] values) {
            Tensor t = scope.allocateDouble(values.length, values[0].length);
            for (int i = 0; i < values.length; i++) {
                for (int j = 0; j < values[0].length; j++) {
                    t.set(i, j, values[i][j]);
                }
            }
            return t;
        }

        double[][] solve(SparseCodeSolver.Method method, SparseCodeSolver.StepRule rule, int iterations,
                         double lambda, double alpha) {
            codes.copyFrom(p);
            solver.solve(x, p, lambda, alpha, method, rule, iterations, 0, codes);
            double[][] out = new double[ROWS][ATOMS];
            for (int i = 0; i < ROWS; i++) {
                for (int j = 0; j < ATOMS; j++) {
                    out[i][j] = codes.get(i, j);
                }
            }
            return out;
        }

        @Override
        public void close() {
            solver.close();
            pool.close();
            scope.close();
        }
    }

    private static double maxDifference(double[][] a, double[][] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return max;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void fistaMatchesCoordinateDescentToOneInAMillion(long seed) {
        Problem problem = Problem.random(seed, ALPHA);
        double[][] reference = problem.coordinateDescent(LAMBDA, ALPHA);
        try (Fixture f = new Fixture(problem)) {
            for (SparseCodeSolver.StepRule rule : SparseCodeSolver.StepRule.values()) {
                double[][] fista = f.solve(SparseCodeSolver.Method.FISTA, rule, 3000, LAMBDA, ALPHA);
                assertTrue(maxDifference(fista, reference) < 1e-6, rule + ": FISTA's codes differ from coordinate"
                        + " descent's by " + maxDifference(fista, reference));
            }
            double[][] ista = f.solve(SparseCodeSolver.Method.ISTA, SparseCodeSolver.StepRule.LIPSCHITZ, 20_000,
                    LAMBDA, ALPHA);
            assertTrue(maxDifference(ista, reference) < 1e-6, "ISTA differs by " + maxDifference(ista, reference));
        }
    }

    /** Without the prediction term (alpha = 0) the problem is the lasso; still one minimizer here (k < n). */
    @Test
    void fistaMatchesCoordinateDescentOnTheLasso() {
        Problem problem = Problem.random(11, 0);
        double[][] reference = problem.coordinateDescent(LAMBDA, 0);
        try (Fixture f = new Fixture(problem)) {
            double[][] fista = f.solve(SparseCodeSolver.Method.FISTA, SparseCodeSolver.StepRule.LIPSCHITZ, 5000,
                    LAMBDA, 0);
            assertTrue(maxDifference(fista, reference) < 1e-6, "differs by " + maxDifference(fista, reference));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {5, 6, 7})
    void fistaReachesTheObjectiveOfAnIstaRunTwentyTimesLonger(long seed) {
        Problem problem = Problem.random(seed, 0.05);
        try (Fixture f = new Fixture(problem)) {
            double[][] ista = f.solve(SparseCodeSolver.Method.ISTA, SparseCodeSolver.StepRule.LIPSCHITZ, 10_000,
                    LAMBDA, 0.05);
            double[][] fista = f.solve(SparseCodeSolver.Method.FISTA, SparseCodeSolver.StepRule.LIPSCHITZ, 500,
                    LAMBDA, 0.05);
            double[][] shortIsta = f.solve(SparseCodeSolver.Method.ISTA, SparseCodeSolver.StepRule.LIPSCHITZ, 50,
                    LAMBDA, 0.05);
            double[][] shortFista = f.solve(SparseCodeSolver.Method.FISTA, SparseCodeSolver.StepRule.LIPSCHITZ, 50,
                    LAMBDA, 0.05);
            double istaObjective = problem.objective(ista, LAMBDA, 0.05);
            double fistaObjective = problem.objective(fista, LAMBDA, 0.05);
            assertTrue(fistaObjective <= istaObjective * (1 + 1e-12), "FISTA after 500 iterations: "
                    + fistaObjective + ", ISTA after 10,000: " + istaObjective);
            assertTrue(problem.objective(shortIsta, LAMBDA, 0.05) > problem.objective(shortFista, LAMBDA, 0.05),
                    "after 50 iterations FISTA is ahead of ISTA");
            assertEquals(fistaObjective, f.solver.objective(f.x, f.c, f.p, tensorOf(f, fista), LAMBDA, 0.05), 1e-9,
                    "the solver's objective is the problem's");
        }
    }

    private static Tensor tensorOf(Fixture f, double[][] values) {
        Tensor t = f.scope.allocateDouble(ROWS, ATOMS);
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < ATOMS; j++) {
                t.set(i, j, values[i][j]);
            }
        }
        return t;
    }

    @Test
    void theObjectiveNeverRisesAlongIsta() {
        Problem problem = Problem.random(9, ALPHA);
        try (Fixture f = new Fixture(problem)) {
            double last = Double.POSITIVE_INFINITY;
            for (int iterations = 0; iterations <= 40; iterations++) {
                double value = problem.objective(f.solve(SparseCodeSolver.Method.ISTA,
                        SparseCodeSolver.StepRule.LIPSCHITZ, iterations, LAMBDA, ALPHA), LAMBDA, ALPHA);
                assertTrue(value <= last + 1e-12, "iteration " + iterations + ": " + value + " > " + last);
                last = value;
            }
        }
    }

    @Test
    void backtrackingGrowsTheStepConstantFromItsStart() {
        try (Fixture f = new Fixture(Problem.random(3, ALPHA))) {
            f.solver.setInitialStepConstant(0.1);
            f.solve(SparseCodeSolver.Method.FISTA, SparseCodeSolver.StepRule.BACKTRACKING, 50, LAMBDA, ALPHA);
            assertTrue(f.solver.lastStepConstant() > 0.1, "L grew from 0.1 to " + f.solver.lastStepConstant());
            assertTrue(f.solver.lastStepConstant() <= SparseCodeSolver.BACKTRACKING_FACTOR
                    * f.solver.lipschitzConstant(ALPHA), "L stops within a factor of the Lipschitz constant");
        }
    }

    @Test
    void aToleranceStopsEarly() {
        try (Fixture f = new Fixture(Problem.random(4, ALPHA))) {
            f.codes.copyFrom(f.p);
            int ran = f.solver.solve(f.x, f.p, LAMBDA, ALPHA, SparseCodeSolver.Method.FISTA,
                    SparseCodeSolver.StepRule.LIPSCHITZ, 100_000, 1e-10, f.codes);
            assertTrue(ran < 100_000, "stopped after " + ran);
        }
    }

    /** More iterations cost no more heap: the loop allocates nothing. */
    @Test
    void iterationsAllocateNothing() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Fixture f = new Fixture(Problem.random(5, ALPHA))) {
            for (int warm = 0; warm < 3; warm++) {
                f.solver.solve(f.x, f.p, LAMBDA, ALPHA, SparseCodeSolver.Method.FISTA,
                        SparseCodeSolver.StepRule.BACKTRACKING, 2000, 0, f.codes);
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            f.solver.solve(f.x, f.p, LAMBDA, ALPHA, SparseCodeSolver.Method.FISTA,
                    SparseCodeSolver.StepRule.LIPSCHITZ, 10, 0, f.codes);
            long few = threads.getCurrentThreadAllocatedBytes() - before;
            before = threads.getCurrentThreadAllocatedBytes();
            f.solver.solve(f.x, f.p, LAMBDA, ALPHA, SparseCodeSolver.Method.FISTA,
                    SparseCodeSolver.StepRule.BACKTRACKING, 5000, 0, f.codes);
            long many = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(many - few < 1024, "5,000 iterations allocated " + many + " bytes, 10 allocated " + few);
        }
    }

    @Test
    void refusesAProblemOfTheWrongShape() {
        try (Fixture f = new Fixture(Problem.random(1, ALPHA))) {
            Tensor wrong = f.scope.allocateDouble(ROWS, ATOMS + 1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.solver.solve(f.x, f.p,
                    LAMBDA, ALPHA, SparseCodeSolver.Method.FISTA, SparseCodeSolver.StepRule.LIPSCHITZ, 1, 0, wrong));
            assertTrue(e.getMessage().contains("codes"), e.getMessage());
        }
    }
}
