/**
 * Reverse-mode automatic differentiation for autoencoders, define-then-run.
 *
 * <p><b>Parameters</b> live in a {@link ae.autodiff.ParameterStore} owned by the model, apart from any graph.
 * <b>Graphs</b> are recorded once per batch size with a {@link ae.autodiff.GraphBuilder} (values, gradients and
 * scratch preallocated) and replayed: {@link ae.autodiff.Graph#forward()}, {@link ae.autodiff.Graph#backward}, then an
 * optimizer updates {@link ae.autodiff.Parameter#value()} from {@link ae.autodiff.Parameter#grad()}. A steady-state
 * step allocates nothing off-heap and a few hundred bytes at most on the heap (one small generator per noisy
 * operation). The same building code gives a float32 graph for training and a float64 one for
 * {@link ae.autodiff.GradientChecker}.
 *
 * <pre>{@code
 * ParameterStore params = ParameterStore.open("r3", DType.F32);
 * Parameter w1 = params.create("W1", 256, 784), b1 = params.create("b1", 256);
 * Parameter w2 = params.create("W2", 784, 256), b2 = params.create("b2", 784);
 * // ... initialize values ...
 * GraphBuilder b = Graph.builder("r3 train", DType.F32).seed(42);
 * Node x = b.input("x", 128, 784);
 * Node h = b.linear(x, w1, b1, Activation.SIGMOID);
 * Node logits = b.linear(h, w2, b2, Activation.IDENTITY);
 * Node loss = b.add(b.binaryCrossEntropyWithLogits(logits, x), b.scale(b.contractivePenalty(h), 0.1));
 * try (Graph g = b.build()) {
 *     g.bind(x, batchBuffer);          // or write into x.value()
 *     for (...) {
 *         refill(batchBuffer);
 *         g.forward();
 *         g.backward(loss);            // overwrites every parameter's grad
 *         optimizer.step(params);      // reads p.grad(), updates p.value() in place
 *     }
 * }
 * }</pre>
 *
 * <p>Losses and penalties are 1 x 1 nodes, summed over features and averaged over the batch rows, so weighted sums
 * of them ({@code add}, {@code scale}) are the objectives. The contractive penalties are fused operations with
 * closed-form backward passes that feed the encoder layer's own backward: an R3 step costs no GEMM more than R1.
 */
package ae.autodiff;
