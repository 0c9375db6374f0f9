package ae.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.models.ContractivePenalty;
import ae.models.HigherOrderContractivePenalty;
import ae.models.ModelConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class TangentBenchTest {
    private static TangentBench.Settings settings(double hessian, double noise, boolean atCleanPoints) {
        return new TangentBench.Settings(100, 20, 2, 8, 3, false, hessian, 0.7, noise, 3, atCleanPoints, 5, 1);
    }

    /** The higher-order term joins the contractive model only; the plain model keeps no penalty at all. */
    @Test
    void theHigherOrderTermIsAddedToTheContractiveModelOnly() {
        TangentBench.Settings withHessian = settings(10, 0.05, false);
        ModelConfig contractive = TangentBench.model(3, withHessian, true);
        assertEquals(List.of(new ContractivePenalty(3), new HigherOrderContractivePenalty(10, 0.7,
                TangentBench.HESSIAN_SAMPLES)), contractive.penalties());
        assertTrue(TangentBench.model(3, withHessian, false).penalties().isEmpty());
        assertEquals(List.of(new ContractivePenalty(3)), TangentBench.model(3, settings(0, 0.05, false), true)
                .penalties());
    }

    /**
     * Without noise the held-out points are their clean points, so both ways of measuring agree exactly; with noise
     * they are other points and the angles differ.
     */
    @Test
    void cleanPointsAreTheNoisyPointsWithoutTheNoise() {
        TangentBench.Row noisy = TangentBench.measure("sphere", 0, false, settings(0, 0, false));
        TangentBench.Row clean = TangentBench.measure("sphere", 0, false, settings(0, 0, true));
        assertEquals(noisy, clean);
        TangentBench.Row noisyWithNoise = TangentBench.measure("sphere", 0, false, settings(0, 0.1, false));
        TangentBench.Row cleanWithNoise = TangentBench.measure("sphere", 0, false, settings(0, 0.1, true));
        assertNotEquals(noisyWithNoise.medianDegrees(), cleanWithNoise.medianDegrees());
    }

    /** The command's defaults are the settings' defaults, so the documented table is what a bare run measures. */
    @Test
    void theCommandsDefaultsAreTheBenchsDefaults() {
        TangentBench.Settings defaults = TangentBench.Settings.defaults();
        assertEquals(defaults.epochs(), Integer.parseInt(TangentBenchCommand.EPOCHS.defaultValue()));
        assertEquals(defaults.hidden(), Integer.parseInt(TangentBenchCommand.HIDDEN.defaultValue()));
        assertEquals(defaults.contractive(), Double.parseDouble(TangentBenchCommand.CONTRACTIVE.defaultValue()));
        assertEquals(defaults.hessian(), Double.parseDouble(TangentBenchCommand.HESSIAN.defaultValue()));
        assertEquals(defaults.hessianSigma(), Double.parseDouble(TangentBenchCommand.HESSIAN_SIGMA.defaultValue()));
        assertEquals(defaults.scale(), Double.parseDouble(TangentBenchCommand.SCALE.defaultValue()));
        assertEquals(defaults.atCleanPoints(), TangentBenchCommand.AT.defaultValue().equals("clean"));
    }
}
