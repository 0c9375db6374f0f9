package ae.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * OpenBLAS as JavaCPP ships it, the comparison point for our GEMM.
 *
 * <p>{@code cblas_sgemm} goes through JavaCPP's binding. The thread-count and core-name functions are not bound by
 * the JavaCPP preset, so they are called with the FFM linker on the same loaded library.
 */
final class OpenBlas {
    /** Set by the environment, these make OpenBLAS pick an older kernel or wrong blocking for this CPU. */
    static final String[] OVERRIDING_VARIABLES = {"OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"};

    private static final MethodHandle SET_NUM_THREADS;
    private static final MethodHandle GET_NUM_THREADS;
    private static final MethodHandle GET_CORENAME;
    private static final MethodHandle GET_CONFIG;

    static {
        Loader.load(openblas_nolapack.class);
        // The JNI library links libopenblas, so looking symbols up through the class loader's libraries finds
        // the very copy the cblas_sgemm binding calls.
        SymbolLookup loaded = SymbolLookup.loaderLookup();
        Linker linker = Linker.nativeLinker();
        SET_NUM_THREADS = linker.downcallHandle(symbol(loaded, "openblas_set_num_threads"),
                FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
        GET_NUM_THREADS = linker.downcallHandle(symbol(loaded, "openblas_get_num_threads"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT));
        GET_CORENAME = linker.downcallHandle(symbol(loaded, "openblas_get_corename"),
                FunctionDescriptor.of(ValueLayout.ADDRESS));
        GET_CONFIG = linker.downcallHandle(symbol(loaded, "openblas_get_config"),
                FunctionDescriptor.of(ValueLayout.ADDRESS));
    }

    private OpenBlas() {
    }

    private static MemorySegment symbol(SymbolLookup lookup, String name) {
        return lookup.find(name).orElseThrow(() -> new IllegalStateException(
                "OpenBLAS symbol " + name + " not found in the libraries JavaCPP loaded"));
    }

    static void setThreads(int threads) {
        try {
            SET_NUM_THREADS.invokeExact(threads);
            int actual = (int) GET_NUM_THREADS.invokeExact();
            if (actual != threads) {
                throw new IllegalStateException("asked OpenBLAS for " + threads + " threads, it runs " + actual);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** The kernel family OpenBLAS chose at load time, e.g. "SkylakeX" or "Cooperlake". */
    static String coreName() {
        return cString(GET_CORENAME);
    }

    /** The build configuration, e.g. "OpenBLAS 0.3.31 DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=128". */
    static String config() {
        return cString(GET_CONFIG);
    }

    private static String cString(MethodHandle function) {
        try {
            MemorySegment text = (MemorySegment) function.invokeExact();
            return text.reinterpret(4096).getString(0);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** Which libopenblas file this process mapped: JavaCPP's bundled copy, not a system one. */
    static String mappedLibrary() {
        try {
            return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                    .filter(line -> line.contains("libopenblas"))
                    .map(line -> line.substring(line.indexOf('/')))
                    .findFirst().orElse("(not found in /proc/self/maps)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Row-major {@code C = op(A) * op(B)} on float32 matrices already in native memory. */
    static void sgemm(GemmShape shape, FloatPointer a, FloatPointer b, FloatPointer c) {
        openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor,
                shape.transA() ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                shape.transB() ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                shape.m(), shape.n(), shape.k(), 1f, a, shape.aCols(), b, shape.bCols(), 0f, c, shape.n());
    }

    /** A JavaCPP pointer to the memory of {@code segment}; it does not own that memory and never frees it. */
    static FloatPointer view(MemorySegment segment) {
        return new SegmentView(segment);
    }

    private static final class SegmentView extends FloatPointer {
        SegmentView(MemorySegment segment) {
            address = segment.address();
            capacity = segment.byteSize() / Float.BYTES;
            limit = capacity;
        }
    }
}
