package ae.autodiff;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import ae.tensor.Activation;
import ae.tensor.DType;
import ae.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** Every primitive against central differences in float64, on random shapes and values. */
class PrimitiveGradientTest {
    private static final int EXAMPLES = 12;

    /** Builds a loss from a fresh graph builder, its parameter store and a seeded random source. */
    @FunctionalInterface
    interface LossBuilder {
        Node build(GraphBuilder b, ParameterStore store, SplittableRandom random, int rows, int cols);
    }

    private static void checkGradients(String what, LossBuilder lossBuilder) {
        qt().withExamples(EXAMPLES).forAll(integers().between(1, 4), integers().between(1, 5), longs().all())
                .checkAssert((rows, cols, seed) -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    try (ParameterStore store = ParameterStore.open(what, DType.F64)) {
                        GraphBuilder b = Graph.builder(what, DType.F64).seed(seed);
                        Node loss = lossBuilder.build(b, store, random, rows, cols);
                        try (Graph g = b.build()) {
                            g.forward();
                            GradientChecker.Report report = GradientChecker.defaults().check(g, loss);
                            assertTrue(report.passed(), () -> what + " " + rows + "x" + cols + " seed " + seed + ": "
                                    + report.message());
                        }
                    }
                });
    }

    private static Node leaf(GraphBuilder b, ParameterStore store, SplittableRandom random, String name, int rows,
                             int cols, double low, double high) {
        return b.parameter(Fixtures.parameter(store, name, random, low, high, rows, cols));
    }

    private static void checkUnary(String what, double low, double high, BiFunction<GraphBuilder, Node, Node> op) {
        checkGradients(what, (b, store, random, rows, cols) -> {
            Node x = leaf(b, store, random, "x", rows, cols, low, high);
            return Fixtures.weightedSum(b, op.apply(b, x), random);
        });
    }

    @Test
    void linearWithEveryActivation() {
        for (Activation act : Activation.values()) {
            checkGradients("linear " + act, (b, store, random, rows, cols) -> {
                int out = 1 + random.nextInt(4);
                Node x = b.inputWithGradient("x", rows, cols);
                Fixtures.uniform(x.value(), random, -1, 1);
                Parameter w = Fixtures.parameter(store, "W", random, -1, 1, out, cols);
                Parameter bias = random.nextBoolean() ? Fixtures.parameter(store, "b", random, -0.5, 0.5, out) : null;
                return Fixtures.weightedSum(b, b.linear(x, w, bias, act), random);
            });
        }
    }

    @Test
    void tiedLinearUsesTheTransposedWeight() {
        for (Activation act : Activation.values()) {
            checkGradients("tiedLinear " + act, (b, store, random, rows, cols) -> {
                int out = 1 + random.nextInt(4);
                Node x = b.inputWithGradient("x", rows, cols);
                Fixtures.uniform(x.value(), random, -1, 1);
                Parameter w = Fixtures.parameter(store, "W", random, -1, 1, cols, out);
                Parameter bias = Fixtures.parameter(store, "c", random, -0.5, 0.5, out);
                return Fixtures.weightedSum(b, b.tiedLinear(x, w, bias, act), random);
            });
        }
    }

    @Test
    void encoderAndTiedDecoderShareOneWeight() {
        checkGradients("tied autoencoder", (b, store, random, rows, cols) -> {
            int hidden = 1 + random.nextInt(4);
            Node x = b.input("x", rows, cols);
            Fixtures.uniform(x.value(), random, 0, 1);
            Parameter w = Fixtures.parameter(store, "W", random, -1, 1, hidden, cols);
            Parameter bh = Fixtures.parameter(store, "bh", random, -0.5, 0.5, hidden);
            Parameter bx = Fixtures.parameter(store, "bx", random, -0.5, 0.5, cols);
            Node h = b.linear(x, w, bh, Activation.SIGMOID);
            Node logits = b.tiedLinear(h, w, bx, Activation.IDENTITY);
            return b.binaryCrossEntropyWithLogits(logits, x);
        });
    }

    @Test
    void activations() {
        for (Activation act : Activation.values()) {
            checkUnary("activation " + act, -2, 2, (b, x) -> b.activation(x, act));
        }
    }

    @Test
    void elementwiseArithmetic() {
        checkGradients("add", (b, store, random, rows, cols) -> Fixtures.weightedSum(b,
                b.add(leaf(b, store, random, "a", rows, cols, -1, 1), leaf(b, store, random, "b", rows, cols,
                        -1, 1)), random));
        checkGradients("subtract", (b, store, random, rows, cols) -> Fixtures.weightedSum(b,
                b.subtract(leaf(b, store, random, "a", rows, cols, -1, 1), leaf(b, store, random, "b", rows,
                        cols, -1, 1)), random));
        checkGradients("multiply", (b, store, random, rows, cols) -> Fixtures.weightedSum(b,
                b.multiply(leaf(b, store, random, "a", rows, cols, -1, 1), leaf(b, store, random, "b", rows,
                        cols, -1, 1)), random));
        checkGradients("multiply by itself", (b, store, random, rows, cols) -> {
            Node a = leaf(b, store, random, "a", rows, cols, -1, 1);
            return Fixtures.weightedSum(b, b.multiply(a, a), random);
        });
        checkUnary("scale", -1, 1, (b, x) -> b.scale(x, -2.5));
    }

    @Test
    void reductions() {
        checkUnary("sum", -1, 1, (b, x) -> b.scale(b.sum(x), 1.7));
        checkUnary("mean", -1, 1, (b, x) -> b.scale(b.mean(x), -0.6));
        checkUnary("sumOfSquares", -1, 1, (b, x) -> b.scale(b.sumOfSquares(x), 0.3));
    }

    @Test
    void binaryCrossEntropyWithLogitsToLogitsAndTargets() {
        checkGradients("bce", (b, store, random, rows, cols) -> b.binaryCrossEntropyWithLogits(
                leaf(b, store, random, "z", rows, cols, -6, 6), leaf(b, store, random, "t", rows, cols, 0, 1)));
    }

    @Test
    void squaredErrorAndL1() {
        checkGradients("squaredError", (b, store, random, rows, cols) -> b.squaredError(
                leaf(b, store, random, "p", rows, cols, -1, 1), leaf(b, store, random, "t", rows, cols, -1, 1)));
        checkGradients("l1", (b, store, random, rows, cols) -> {
            Parameter h = store.create("h", rows, cols);
            Fixtures.awayFromZero(h.value(), random, 0.01, 1);
            return b.l1(b.parameter(h));
        });
    }

    @Test
    void klSparsity() {
        checkGradients("klSparsity", (b, store, random, rows, cols) ->
                b.klSparsity(leaf(b, store, random, "h", rows, cols, 0.02, 0.98), random.nextDouble(0.01, 0.5)));
    }

    @Test
    void gaussianKl() {
        checkGradients("gaussianKl", (b, store, random, rows, cols) -> b.gaussianKl(
                leaf(b, store, random, "mu", rows, cols, -2, 2), leaf(b, store, random, "logvar", rows, cols, -2, 2)));
    }

    @Test
    void reparameterizedSample() {
        checkGradients("reparameterize", (b, store, random, rows, cols) -> Fixtures.weightedSum(b, b.reparameterize(
                leaf(b, store, random, "mu", rows, cols, -2, 2), leaf(b, store, random, "logvar", rows, cols, -2, 2)),
                random));
    }

    @Test
    void corruptionsPassGradientOnlyWhereTheyKeepTheInput() {
        checkUnary("maskingNoise", -1, 1, (b, x) -> b.maskingNoise(x, 0.4));
        checkUnary("gaussianNoise", -1, 1, (b, x) -> b.gaussianNoise(x, 0.3));
        checkUnary("saltAndPepperNoise", -1, 1, (b, x) -> b.saltAndPepperNoise(x, 0.5));
        checkGradients("exampleNoise", (b, store, random, rows, cols) -> {
            Node key = b.input("key", rows, 3);
            Fixtures.uniform(key.value(), random, 0, 1);
            return Fixtures.weightedSum(b, b.exampleNoise(leaf(b, store, random, "x", rows, cols, -1, 1), key,
                    step -> 0.3), random);
        });
    }

    @Test
    void concatSliceAndSplit() {
        for (int axis = 0; axis <= 1; axis++) {
            int a = axis;
            checkGradients("concat axis " + a, (b, store, random, rows, cols) -> {
                Node first = leaf(b, store, random, "first", rows, cols, -1, 1);
                Node second = a == 0 ? leaf(b, store, random, "second", 2, cols, -1, 1)
                        : leaf(b, store, random, "second", rows, 2, -1, 1);
                return Fixtures.weightedSum(b, b.concat(a, first, second, first), random);
            });
            checkGradients("split axis " + a, (b, store, random, rows, cols) -> {
                Node x = leaf(b, store, random, "x", rows + 1, cols + 1, -1, 1);
                int extent = a == 0 ? rows + 1 : cols + 1;
                int cut = 1 + random.nextInt(extent);
                List<Node> parts = cut == extent ? List.of(b.slice(x, a, 0, extent)) : b.split(x, a, cut, extent - cut);
                Node loss = Fixtures.weightedSum(b, parts.get(0), random);
                return parts.size() == 1 ? loss : b.add(loss, b.scale(Fixtures.weightedSum(b, parts.get(1),
                        random), 3));
            });
        }
    }

    @Test
    void callerDefinedPrimitive() {
        Primitive cube = new Primitive() {
            @Override
            public String name() {
                return "cube";
            }

            @Override
            public void forward(Tensor[] inputs, Tensor output) {
                for (long i = 0; i < output.size(); i++) {
                    output.setFlat(i, Math.pow(inputs[0].getFlat(i), 3));
                }
            }

            @Override
            public void backward(Tensor[] inputs, Tensor output, Tensor outputGradient, Tensor[] inputGradients) {
                for (long i = 0; i < output.size(); i++) {
                    double x = inputs[0].getFlat(i);
                    inputGradients[0].setFlat(i, inputGradients[0].getFlat(i) + 3 * x * x * outputGradient.getFlat(i));
                }
            }
        };
        checkUnary("cube", -1, 1, (b, x) -> b.apply(cube, x.rows(), x.cols(), x));
    }
}
