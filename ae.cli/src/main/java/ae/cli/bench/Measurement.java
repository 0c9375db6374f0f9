package ae.cli.bench;

/** The figures of one workload run: training samples per second, and heap bytes allocated per training step. */
record Measurement(double samplesPerSecond, double heapBytesPerStep) {
}
