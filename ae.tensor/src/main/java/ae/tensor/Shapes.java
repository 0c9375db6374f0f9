package ae.tensor;

import java.util.Arrays;

/** Shape arithmetic and the error messages that name shapes. */
public final class Shapes {
    private Shapes() {
    }

    static int[] checkedCopy(int[] shape) {
        if (shape == null || shape.length == 0) {
            throw new IllegalArgumentException("a tensor needs at least one dimension, got " + Arrays.toString(shape));
        }
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
        }
        return shape.clone();
    }

    static long elementCount(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n = Math.multiplyExact(n, (long) d);
        }
        return n;
    }

    static long[] rowMajorStrides(int[] shape) {
        long[] strides = new long[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= Math.max(shape[i], 1);
        }
        return strides;
    }

    /** "[128, 784]": the form every shape error message uses. */
    public static String format(int... shape) {
        return Arrays.toString(shape);
    }

    /** Throws unless {@code actual} equals {@code expected}, naming {@code what} and both shapes. */
    public static void requireShape(String what, Tensor actual, int... expected) {
        if (!Arrays.equals(actual.shape(), expected)) {
            throw new IllegalArgumentException(what + " has shape " + format(actual.shape())
                    + " but " + format(expected) + " is required");
        }
    }

    /** Throws unless the two tensors have the same shape, naming both. */
    public static void requireSameShape(String whatA, Tensor a, String whatB, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(whatA + " " + format(a.shape()) + " and " + whatB + " "
                    + format(b.shape()) + " must have the same shape");
        }
    }

    /** Throws unless the two tensors have the same element type. */
    public static void requireSameDType(String whatA, Tensor a, String whatB, Tensor b) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(whatA + " is " + a.dtype() + " but " + whatB + " is " + b.dtype());
        }
    }
}
