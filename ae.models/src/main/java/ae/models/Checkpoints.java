package ae.models;

import ae.data.AtomicFiles;

import ae.autodiff.Parameter;
import ae.tensor.DType;
import ae.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Reads and writes the checkpoint format of docs/checkpoint-format.md: magic, version, a configuration block of
 * {@code key=value} lines, named little-endian tensors, and a CRC32C of everything before it.
 */
final class Checkpoints {
    static final byte[] MAGIC = {'A', 'E', 'C', 'K', 'P', 'T', '\r', '\n'};
    static final int VERSION = 2;
    /** The oldest version this reader still reads (by translating its configuration). */
    static final int OLDEST_VERSION = 1;
    private static final int MAX_CONFIG_BYTES = 1 << 20;
    private static final int MAX_TENSORS = 1 << 16;
    /** Most threads a checkpoint may ask for: more would start that many threads for a corrupt number. */
    static final int MAX_THREADS = 1024;
    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble LE_DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int DTYPE_F32 = 0;
    private static final int DTYPE_F64 = 1;

    private Checkpoints() {
    }

    // ---- writing

    static void save(FittedAutoencoder model, Path file) throws IOException {
        save(model, file, Long.MAX_VALUE);
    }

    /** Writes, failing with an IOException after {@code failAfterBytes} bytes: how tests interrupt a save. */
    static void save(FittedAutoencoder model, Path file, long failAfterBytes) throws IOException {
        byte[] configText = ConfigText.write(configuration(model)).getBytes(StandardCharsets.UTF_8);
        Map<String, Tensor> tensors = tensors(model);
        // Through AtomicFiles like every file ae writes: the umask decides its permissions, as for the others.
        AtomicFiles.writeChannel(file, channel -> {
            Sink out = new Sink(channel, failAfterBytes);
            out.bytes(MAGIC);
            out.int32(VERSION);
            out.int32(configText.length);
            out.bytes(configText);
            out.int32(tensors.size());
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                out.tensor(e.getKey(), e.getValue());
            }
            out.finish();
        });
    }

    static Map<String, String> configuration(FittedAutoencoder model) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("format", "ae checkpoint");
        ConfigText.putModel(c, model.config());
        ConfigText.putTraining(c, model.trainingConfig());
        TrainingState s = model.state;
        c.put("state.phase", Integer.toString(s.phase));
        c.put("state.epochs-done", Integer.toString(s.epochsDone));
        c.put("state.steps-done", Long.toString(s.stepsDone));
        c.put("state.optimizer-steps", Long.toString(s.optimizer == null ? -1 : s.optimizer.steps()));
        c.put("state.best-validation", Double.toString(s.bestValidation));
        c.put("state.best-epoch", Integer.toString(s.bestEpoch));
        c.put("state.epochs-since-best", Integer.toString(s.epochsSinceBest));
        c.put("state.has-best", Boolean.toString(s.best != null));
        c.put("state.stopped-early", Boolean.toString(s.stoppedEarly));
        c.put("history.outcome", model.history().outcome().stableName());
        c.put("history.epochs", Integer.toString(s.history.size()));
        for (int i = 0; i < s.history.size(); i++) {
            EpochReport r = s.history.get(i);
            c.put("history." + i, r.phase() + " " + r.epoch() + " " + r.trainLoss() + " " + r.validationLoss() + " "
                    + r.samplesPerSecond() + " " + r.seconds());
        }
        return c;
    }

    private static Map<String, Tensor> tensors(FittedAutoencoder model) {
        Map<String, Tensor> out = new LinkedHashMap<>(model.parameterTensors());
        if (model.state.optimizer != null) {
            out.putAll(model.state.optimizer.state());
        }
        if (model.state.best != null) {
            out.putAll(model.state.best.copies("best."));
        }
        return out;
    }

    /** Buffered little-endian output that keeps the running CRC32C and appends it at the end. */
    private static final class Sink {
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        private final MemorySegment bufferSegment = MemorySegment.ofBuffer(buffer);
        private final CRC32C crc = new CRC32C();
        private final long failAfterBytes;
        private long written;

        Sink(FileChannel channel, long failAfterBytes) {
            this.channel = channel;
            this.failAfterBytes = failAfterBytes;
        }

        void bytes(byte[] b) throws IOException {
            int at = 0;
            while (at < b.length) {
                room(1);
                int n = Math.min(buffer.remaining(), b.length - at);
                buffer.put(b, at, n);
                at += n;
            }
        }

        void int32(int v) throws IOException {
            room(4);
            buffer.putInt(v);
        }

        void tensor(String name, Tensor t) throws IOException {
            byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
            room(2);
            buffer.putShort((short) nameBytes.length);
            bytes(nameBytes);
            room(2);
            buffer.put((byte) (t.dtype() == DType.F32 ? DTYPE_F32 : DTYPE_F64));
            buffer.put((byte) t.rank());
            for (int axis = 0; axis < t.rank(); axis++) {
                int32(t.dim(axis));
            }
            if (!t.isContiguous()) {
                throw new IllegalStateException("tensor '" + name + "' is not contiguous");
            }
            boolean f32 = t.dtype() == DType.F32;
            int elementBytes = f32 ? Float.BYTES : Double.BYTES;
            long remaining = t.size();
            long from = t.offset();
            while (remaining > 0) {
                room(elementBytes);
                long n = Math.min(remaining, buffer.remaining() / elementBytes);
                MemorySegment.copy(t.segment(), f32 ? ValueLayout.JAVA_FLOAT_UNALIGNED : ValueLayout.JAVA_DOUBLE_UNALIGNED,
                        from * elementBytes, bufferSegment, f32 ? LE_FLOAT : LE_DOUBLE, buffer.position(), n);
                buffer.position(buffer.position() + (int) (n * elementBytes));
                from += n;
                remaining -= n;
            }
        }

        private void room(int bytes) throws IOException {
            if (buffer.remaining() < bytes) {
                flush();
            }
        }

        private void flush() throws IOException {
            buffer.flip();
            if (written + buffer.remaining() > failAfterBytes) {
                throw new IOException("checkpoint write interrupted after " + written + " bytes (simulated)");
            }
            crc.update(buffer.duplicate());
            written += buffer.remaining();
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            buffer.clear();
        }

        void finish() throws IOException {
            flush();
            buffer.putInt((int) crc.getValue());
            buffer.flip();
            if (written + buffer.remaining() > failAfterBytes) {
                throw new IOException("checkpoint write interrupted after " + written + " bytes (simulated)");
            }
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
    }

    // ---- reading

    private record Entry(String name, int dtype, int[] shape, long offset) {
        long elements() {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }
    }

    static FittedAutoencoder load(Path file, int threadsOverride, Catalog catalog) throws IOException {
        String source = file.toString();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
            long size = channel.size();
            long minimum = MAGIC.length + 4 + 4 + 4 + 4;
            if (size < minimum) {
                throw new CheckpointFormatException(source, "file is " + size + " bytes, shorter than the smallest"
                        + " checkpoint (" + minimum + ")");
            }
            MemorySegment file8 = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            for (int i = 0; i < MAGIC.length; i++) {
                if (file8.get(ValueLayout.JAVA_BYTE, i) != MAGIC[i]) {
                    throw new CheckpointFormatException(source, 0, "magic", "not an ae checkpoint");
                }
            }
            int version = file8.get(LE_INT, MAGIC.length);
            if (version < OLDEST_VERSION || version > VERSION) {
                throw new CheckpointFormatException(source, MAGIC.length, "version", "checkpoint format version "
                        + version + " is not supported; this ae reads versions " + OLDEST_VERSION + " to " + VERSION
                        + (version > VERSION ? " (the file was written by a newer ae: load it with that one)" : ""));
            }
            long body = size - 4;
            CRC32C crc = new CRC32C();
            crc.update(file8.asSlice(0, body).asByteBuffer());
            int stored = file8.get(LE_INT, body);
            if (stored != (int) crc.getValue()) {
                throw new CheckpointFormatException(source, body, "crc32c", String.format(Locale.ROOT,
                        "checksum mismatch: stored %08x, computed %08x; the file is corrupt or truncated", stored,
                        (int) crc.getValue()));
            }
            Reader in = new Reader(file8, body, source);
            in.position = MAGIC.length + 4;
            int configLength = in.int32("config length");
            if (configLength < 0 || configLength > MAX_CONFIG_BYTES || configLength > in.remaining()) {
                throw new CheckpointFormatException(source, in.position - 4, "config length", configLength
                        + " bytes do not fit the " + in.remaining() + " bytes left");
            }
            byte[] configBytes = new byte[configLength];
            MemorySegment.copy(file8, ValueLayout.JAVA_BYTE, in.position, configBytes, 0, configLength);
            in.position += configLength;
            Map<String, String> config = ConfigText.read(new String(configBytes, StandardCharsets.UTF_8), source);
            if (version == 1) {
                config = ConfigTextV1.toVersion2(config, source);
            }
            int count = in.int32("tensor count");
            if (count < 0 || count > MAX_TENSORS) {
                throw new CheckpointFormatException(source, in.position - 4, "tensor count", "implausible count "
                        + count);
            }
            Map<String, Entry> entries = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                Entry e = in.entry(i);
                if (entries.put(e.name(), e) != null) {
                    throw new CheckpointFormatException(source, e.offset(), "tensor '" + e.name() + "'", "appears twice");
                }
            }
            if (in.position != body) {
                throw new CheckpointFormatException(source, in.position, "end of tensors", (body - in.position)
                        + " unexpected bytes before the checksum");
            }
            return materialize(source, config, entries, file8, threadsOverride, catalog);
        }
    }

    private static FittedAutoencoder materialize(String source, Map<String, String> config, Map<String, Entry> entries,
                                                 MemorySegment file, int threadsOverride, Catalog catalog)
            throws IOException {
        ConfigText.Fields f = new ConfigText.Fields(config, source);
        ModelConfig modelConfig = ConfigText.model(f, catalog);
        TrainingConfig trainingConfig = ConfigText.training(f, catalog);
        if (threadsOverride > 0) {
            trainingConfig = trainingConfig.withThreads(threadsOverride);
        } else if (trainingConfig.threads() > MAX_THREADS) {
            throw f.error("training.threads", trainingConfig.threads() + " threads is more than the " + MAX_THREADS
                    + " a checkpoint may ask for; load it with an explicit thread count");
        }
        requireDeclaredTensors(source, modelConfig, entries);
        FittedAutoencoder model = new FittedAutoencoder(modelConfig, trainingConfig);
        try {
            Map<String, Entry> unused = new LinkedHashMap<>(entries);
            for (Parameter p : model.parameters()) {
                read(source, unused, p.name(), p.value(), file);
            }
            TrainingState s = model.state;
            s.phase = f.integer("state.phase");
            if (s.phase < 0 || s.phase >= model.phaseCount()) {
                throw new CheckpointFormatException(source, "state.phase " + s.phase + " is outside 0.."
                        + (model.phaseCount() - 1));
            }
            s.epochsDone = f.integer("state.epochs-done");
            s.stepsDone = f.longValue("state.steps-done");
            long optimizerSteps = f.longValue("state.optimizer-steps");
            if (optimizerSteps >= 0) {
                s.optimizer = new Optimizer(model.phaseOptimizer(s.phase, trainingConfig.optimizer()),
                        model.phaseParameters(s.phase), model.ops, modelConfig.name() + " (loaded)");
                s.optimizer.restoreSteps(optimizerSteps);
                for (Map.Entry<String, Tensor> e : s.optimizer.state().entrySet()) {
                    read(source, unused, e.getKey(), e.getValue(), file);
                }
            }
            s.bestValidation = f.real("state.best-validation");
            s.bestEpoch = f.integer("state.best-epoch");
            s.epochsSinceBest = f.integer("state.epochs-since-best");
            s.stoppedEarly = f.bool("state.stopped-early");
            if (f.bool("state.has-best")) {
                s.best = new Snapshot("best parameters of " + modelConfig.name(), model.parameterTensors());
                for (Map.Entry<String, Tensor> e : s.best.copies("best.").entrySet()) {
                    read(source, unused, e.getKey(), e.getValue(), file);
                }
            }
            if (!unused.isEmpty()) {
                throw new CheckpointFormatException(source, "tensors " + unused.keySet() + " belong to no part of"
                        + " model '" + modelConfig.name() + "'");
            }
            int epochs = f.integer("history.epochs");
            List<EpochReport> reports = new ArrayList<>();
            for (int i = 0; i < epochs; i++) {
                String[] parts = f.string("history." + i).split(" ");
                if (parts.length != 6) {
                    throw new CheckpointFormatException(source, "history." + i + " needs 6 fields, has " + parts.length);
                }
                try {
                    reports.add(new EpochReport(parts[0], Integer.parseInt(parts[1]), Double.parseDouble(parts[2]),
                            Double.parseDouble(parts[3]), Double.parseDouble(parts[4]), Double.parseDouble(parts[5])));
                } catch (NumberFormatException e) {
                    throw new CheckpointFormatException(source, "history." + i + ": " + e.getMessage());
                }
            }
            s.history.addAll(reports);
            TrainingHistory.Outcome outcome;
            try {
                outcome = TrainingHistory.Outcome.byStableName(f.string("history.outcome"));
            } catch (IllegalArgumentException e) {
                throw f.error("history.outcome", e.getMessage());
            }
            model.history = new TrainingHistory(reports, outcome, "loaded from " + source);
            return model;
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * Checks the parameters the configuration declares against the tensors present before the model is built, so
     * that a configuration claiming a huge model in a small file fails here instead of allocating that model.
     */
    private static void requireDeclaredTensors(String source, ModelConfig config, Map<String, Entry> entries)
            throws CheckpointFormatException {
        Map<String, int[]> declared;
        try {
            declared = ModelParameters.declaredShapes(config);
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(source, "model '" + config.name() + "': " + e.getMessage());
        }
        for (Map.Entry<String, int[]> d : declared.entrySet()) {
            Entry e = entries.get(d.getKey());
            if (e == null) {
                throw new CheckpointFormatException(source, "tensor '" + d.getKey() + "' is missing");
            }
            if (e.dtype() != DTYPE_F32 || !java.util.Arrays.equals(e.shape(), d.getValue())) {
                throw new CheckpointFormatException(source, e.offset(), "tensor '" + d.getKey() + "'", "is "
                        + (e.dtype() == DTYPE_F32 ? "float32 " : "float64 ") + ae.tensor.Shapes.format(e.shape())
                        + " but the configuration declares float32 " + ae.tensor.Shapes.format(d.getValue()));
            }
        }
    }

    private static void read(String source, Map<String, Entry> unused, String name, Tensor into, MemorySegment file)
            throws CheckpointFormatException {
        Entry e = unused.remove(name);
        if (e == null) {
            throw new CheckpointFormatException(source, "tensor '" + name + "' is missing");
        }
        boolean f32 = into.dtype() == DType.F32;
        if (e.dtype() != (f32 ? DTYPE_F32 : DTYPE_F64) || !java.util.Arrays.equals(e.shape(), into.shape())) {
            throw new CheckpointFormatException(source, e.offset(), "tensor '" + name + "'", "is "
                    + (e.dtype() == DTYPE_F32 ? "float32 " : "float64 ") + ae.tensor.Shapes.format(e.shape())
                    + " but the model needs " + into.dtype() + " " + ae.tensor.Shapes.format(into.shape()));
        }
        MemorySegment.copy(file, f32 ? LE_FLOAT : LE_DOUBLE, e.offset(), into.segment(),
                f32 ? ValueLayout.JAVA_FLOAT_UNALIGNED : ValueLayout.JAVA_DOUBLE_UNALIGNED,
                into.offset() * (f32 ? Float.BYTES : Double.BYTES), into.size());
    }

    /** Bounds-checked little-endian reads over the mapped file, up to the checksum. */
    private static final class Reader {
        private final MemorySegment file;
        private final long end;
        private final String source;
        long position;

        Reader(MemorySegment file, long end, String source) {
            this.file = file;
            this.end = end;
            this.source = source;
        }

        long remaining() {
            return end - position;
        }

        private void need(long bytes, String field) throws CheckpointFormatException {
            if (bytes > remaining()) {
                throw new CheckpointFormatException(source, position, field, "needs " + bytes + " bytes, "
                        + remaining() + " remain before the checksum");
            }
        }

        int int32(String field) throws CheckpointFormatException {
            need(4, field);
            int v = file.get(LE_INT, position);
            position += 4;
            return v;
        }

        Entry entry(int index) throws CheckpointFormatException {
            String field = "tensor #" + index;
            need(2, field + " name length");
            int nameLength = Short.toUnsignedInt(file.get(LE_SHORT, position));
            position += 2;
            need(nameLength, field + " name");
            byte[] nameBytes = new byte[nameLength];
            MemorySegment.copy(file, ValueLayout.JAVA_BYTE, position, nameBytes, 0, nameLength);
            position += nameLength;
            String name = new String(nameBytes, StandardCharsets.UTF_8);
            field = "tensor '" + name + "'";
            need(2, field + " dtype and rank");
            int dtype = file.get(ValueLayout.JAVA_BYTE, position);
            int rank = file.get(ValueLayout.JAVA_BYTE, position + 1);
            if (dtype != DTYPE_F32 && dtype != DTYPE_F64) {
                throw new CheckpointFormatException(source, position, field + " dtype", "unknown dtype code " + dtype);
            }
            if (rank < 1 || rank > 2) {
                throw new CheckpointFormatException(source, position + 1, field + " rank", "rank " + rank
                        + " is not 1 or 2");
            }
            position += 2;
            int[] shape = new int[rank];
            long elements = 1;
            for (int axis = 0; axis < rank; axis++) {
                shape[axis] = int32(field + " dimension " + axis);
                if (shape[axis] < 1) {
                    throw new CheckpointFormatException(source, position - 4, field + " dimension " + axis,
                            "dimension " + shape[axis] + " is not positive");
                }
                elements *= shape[axis];
                if (elements > remaining()) {
                    throw new CheckpointFormatException(source, position - 4, field + " shape", "holds more"
                            + " elements than the " + remaining() + " bytes left");
                }
            }
            long bytes = elements * (dtype == DTYPE_F32 ? Float.BYTES : Double.BYTES);
            need(bytes, field + " data");
            Entry e = new Entry(name, dtype, shape, position);
            position += bytes;
            return e;
        }
    }
}
