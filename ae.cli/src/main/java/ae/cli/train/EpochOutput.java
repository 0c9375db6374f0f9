package ae.cli.train;

import ae.cli.json.Json;
import ae.data.Dataset;
import ae.models.EpochReport;
import ae.models.FittedAutoencoder;
import ae.models.TrainingListener;
import ae.models.TrainingProcedure;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code ae train} and {@code ae demo} show while training: one line per epoch (plain text, or a JSON object
 * with {@code --json}) on the output stream and, on a terminal, a live progress bar on the error stream that the
 * epoch lines replace. Also measures the test loss after every end-to-end epoch when there is test data.
 */
final class EpochOutput implements TrainingListener {
    /** How often, at most, the progress bar is redrawn. */
    private static final long BAR_INTERVAL_NANOS = 100_000_000L;
    private static final int BAR_WIDTH = 24;

    enum Mode { PLAIN, JSON }

    private final Dataset test;
    private final Mode mode;
    private final boolean bar;
    private final PrintStream out;
    private final PrintStream err;
    private final int batchSize;
    private final List<TrainingProcedure.PhasePlan> phases;
    private final int totalEpochs;
    private double[] testLosses = new double[0];
    private long stepsDone;
    private long previousStepNanos;
    /** Smoothed seconds per step, from the gaps between steps of one epoch (validation pauses left out). */
    private double secondsPerStep = Double.NaN;
    private long lastBarNanos;
    private int barLength;

    /**
     * @param phases the training procedure's phases with their epochs
     * @param bar whether to draw the progress bar (the error stream is a terminal)
     */
    EpochOutput(Dataset test, Mode mode, boolean bar, PrintStream out, PrintStream err, int batchSize,
                List<TrainingProcedure.PhasePlan> phases) {
        this.test = test;
        this.mode = mode;
        this.bar = bar;
        this.out = out;
        this.err = err;
        this.batchSize = batchSize;
        this.phases = List.copyOf(phases);
        this.totalEpochs = phases.stream().mapToInt(TrainingProcedure.PhasePlan::epochs).sum();
    }

    /** The test loss after each end-to-end epoch, or null without test data. */
    double[] testLosses() {
        return test == null ? null : testLosses.clone();
    }

    @Override
    public void onStep(String phase, int epoch, int step, int stepsPerEpoch, double loss) {
        long now = System.nanoTime();
        stepsDone++;
        if (step > 1) {
            double gap = (now - previousStepNanos) / 1e9;
            secondsPerStep = Double.isNaN(secondsPerStep) ? gap : 0.9 * secondsPerStep + 0.1 * gap;
        }
        previousStepNanos = now;
        if (!bar || (now - lastBarNanos < BAR_INTERVAL_NANOS && step != stepsPerEpoch)) {
            return;
        }
        lastBarNanos = now;
        long totalSteps = (long) totalEpochs * stepsPerEpoch;
        TrainingProcedure.PhasePlan plan = plan(phase);
        int filled = (int) Math.round(BAR_WIDTH * (double) step / stepsPerEpoch);
        boolean timed = !Double.isNaN(secondsPerStep) && secondsPerStep > 0;
        String speed = timed ? String.format(Locale.ROOT, "%,.0f samples/s", batchSize / secondsPerStep) : "";
        String eta = timed ? duration((totalSteps - stepsDone) * secondsPerStep) : "?";
        String line = String.format(Locale.ROOT, "%s %d/%d [%s%s] step %d/%d  loss %.4g  %s  ETA %s",
                plan.endToEnd() ? "epoch" : phase + " epoch", epoch, plan.epochs(), "#".repeat(filled),
                ".".repeat(BAR_WIDTH - filled), step, stepsPerEpoch, loss, speed, eta);
        err.print("\r" + line + " ".repeat(Math.max(0, barLength - line.length())));
        err.flush();
        barLength = line.length();
    }

    @Override
    public void onEpoch(EpochReport report, FittedAutoencoder model) {
        TrainingProcedure.PhasePlan plan = plan(report.phase());
        boolean endToEnd = plan.endToEnd();
        double testLoss = Double.NaN;
        if (endToEnd && test != null) {
            testLoss = model.meanLoss(test);
            testLosses = Arrays.copyOf(testLosses, testLosses.length + 1);
            testLosses[testLosses.length - 1] = testLoss;
        }
        clearBar();
        if (mode == Mode.JSON) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("phase", report.phase());
            line.put("epoch", report.epoch());
            line.put("train_loss", report.trainLoss());
            line.put("val_loss", report.validationLoss());
            if (test != null) {
                line.put("test_loss", testLoss);
            }
            line.put("samples_per_s", report.samplesPerSecond());
            line.put("seconds", report.seconds());
            out.println(Json.write(line));
        } else {
            StringBuilder line = new StringBuilder();
            line.append(endToEnd ? "epoch" : report.phase() + " epoch");
            int of = plan.epochs();
            line.append(String.format(Locale.ROOT, " %" + Integer.toString(of).length() + "d/%d", report.epoch(), of));
            line.append(String.format(Locale.ROOT, "  train_loss %.4f", report.trainLoss()));
            if (!Double.isNaN(report.validationLoss())) {
                line.append(String.format(Locale.ROOT, "  val_loss %.4f", report.validationLoss()));
            }
            if (!Double.isNaN(testLoss)) {
                line.append(String.format(Locale.ROOT, "  test_loss %.4f", testLoss));
            }
            line.append(String.format(Locale.ROOT, "  %,.0f samples/s  %.1f s", report.samplesPerSecond(),
                    report.seconds()));
            out.println(line);
        }
        out.flush();
    }

    private TrainingProcedure.PhasePlan plan(String phase) {
        for (TrainingProcedure.PhasePlan p : phases) {
            if (p.name().equals(phase)) {
                return p;
            }
        }
        throw new IllegalStateException("training reported a phase '" + phase + "' its procedure did not plan");
    }

    /** Removes the progress bar, so that the next line starts clean. */
    void clearBar() {
        if (barLength > 0) {
            err.print("\r" + " ".repeat(barLength) + "\r");
            err.flush();
            barLength = 0;
        }
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
