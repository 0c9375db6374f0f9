package ae.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ae.data.Dataset;
import ae.tensor.Activation;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.util.List;
import org.junit.jupiter.api.Test;

class EncoderJacobianTest {
    private static final int D = 5;

    /** One sigmoid layer: J = diag(h (1 - h)) W exactly; the engine's Jacobian must equal it. */
    @Test
    void oneLayerJacobianIsTheClosedForm() {
        try (Dataset data = TestData.swissRoll(83, D, 1);
             FittedAutoencoder model = Autoencoder.of(Presets.contractive(D, 3, 0.1))
                     .fit(data, TestData.quick(1), TrainingListener.none());
             TensorScope scope = TensorScope.open("test")) {
            Tensor x = data.features();
            Tensor j = model.encoderJacobian(x, scope);
            Tensor h = model.encode(x, scope);
            Tensor w = model.parameter("encoder.0.weight").value();
            for (int i = 0; i < x.rows(); i++) {
                for (int c = 0; c < 3; c++) {
                    double slope = h.get(i, c) * (1 - h.get(i, c));
                    for (int p = 0; p < D; p++) {
                        assertEquals(slope * w.get(c, p), j.getFlat(((long) i * 3 + c) * D + p), 1e-6,
                                "row " + i + " unit " + c + " input " + p);
                    }
                }
            }
        }
    }

    /** A deep encoder (tanh, tanh): the Jacobian agrees with central differences of encode. */
    @Test
    void deepJacobianMatchesCentralDifferences() {
        ModelConfig config = Presets.mirrored("deep-tanh", D, new int[] {7, 4}, Activation.TANH, Activation.TANH,
                Activation.IDENTITY, Likelihood.squaredError(), List.of(), Corruption.none());
        try (Dataset data = TestData.swissRoll(45, D, 2);
             FittedAutoencoder model = Autoencoder.of(config).fit(data, TestData.quick(1), TrainingListener.none());
             TensorScope scope = TensorScope.open("test")) {
            Tensor x = data.features();
            Tensor j = model.encoderJacobian(x, scope);
            double h = 1e-2;
            for (int i = 0; i < x.rows(); i++) {
                for (int p = 0; p < D; p++) {
                    Tensor plus = scope.allocateFloat(1, D);
                    Tensor minus = scope.allocateFloat(1, D);
                    for (int q = 0; q < D; q++) {
                        plus.set(0, q, x.get(i, q) + (q == p ? h : 0));
                        minus.set(0, q, x.get(i, q) - (q == p ? h : 0));
                    }
                    Tensor up = model.encode(plus, scope);
                    Tensor down = model.encode(minus, scope);
                    for (int c = 0; c < 4; c++) {
                        double numeric = (up.get(0, c) - down.get(0, c)) / (2 * h);
                        assertEquals(numeric, j.getFlat(((long) i * 4 + c) * D + p), 2e-3 * (1 + Math.abs(numeric)),
                                "row " + i + " unit " + c + " input " + p);
                    }
                }
            }
            FittedAutoencoder.Tangents tangents = model.tangents(x, 2);
            assertEquals(x.rows(), tangents.directions().length);
            assertEquals(4, tangents.singularValues()[0].length);
            // Each direction v_t is a unit vector with |J v_t| = s_t: a right singular vector of J.
            for (int i = 0; i < x.rows(); i++) {
                for (int t = 0; t < 2; t++) {
                    double[] v = tangents.directions()[i][t];
                    double unit = 0;
                    double image = 0;
                    for (int c = 0; c < 4; c++) {
                        double jv = 0;
                        for (int p = 0; p < D; p++) {
                            jv += j.getFlat(((long) i * 4 + c) * D + p) * v[p];
                        }
                        image += jv * jv;
                    }
                    for (double e : v) {
                        unit += e * e;
                    }
                    assertEquals(1, unit, 1e-9);
                    assertEquals(tangents.singularValues()[i][t], Math.sqrt(image), 1e-5);
                }
            }
            assertThrows(IllegalArgumentException.class, () -> model.tangents(x, 5));
        }
    }
}
