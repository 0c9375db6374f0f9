package ae.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * A result column collected to the driver as one block of primitive values per partition, in partition order (the
 * input's order, since the results keep their partitions' rows in order): no sort, no boxed value.
 */
final class NpyResults {
    private NpyResults() {
    }

    /** One partition's results: {@code rows} vectors of {@code width}, scores, or bit codes of {@code width} bytes. */
    record Part(int rows, int width, float[] vectors, double[] scores, byte[] bits) implements Serializable {
    }

    private enum Kind { FLOATS, ML_VECTOR, SCORE, BITS }

    static List<Part> collect(Dataset<Row> output, String column) {
        DataType type = output.schema().apply(column).dataType();
        Kind kind = type.equals(SQLDataTypes.VectorType()) ? Kind.ML_VECTOR
                : type.equals(DataTypes.DoubleType) ? Kind.SCORE
                : type.equals(DataTypes.BinaryType) ? Kind.BITS : Kind.FLOATS;
        return InternalFrames.rows(output.select(column)).mapPartitions(rows -> part(rows, kind)).collect();
    }

    private static Iterator<Part> part(Iterator<InternalRow> rows, Kind kind) {
        int n = 0;
        int width = 0;
        float[] vectors = new float[0];
        double[] scores = new double[0];
        byte[] bits = new byte[0];
        while (rows.hasNext()) {
            InternalRow row = rows.next();
            switch (kind) {
                case SCORE -> {
                    if (n == scores.length) {
                        scores = Arrays.copyOf(scores, Math.max(1024, 2 * n));
                    }
                    scores[n] = row.getDouble(0);
                }
                case BITS -> {
                    byte[] code = row.getBinary(0);
                    width = code.length;
                    if ((n + 1) * width > bits.length) {
                        bits = Arrays.copyOf(bits, Math.max(1024 * width, 2 * n * width));
                    }
                    System.arraycopy(code, 0, bits, n * width, width);
                }
                default -> {
                    float[] vector = kind == Kind.FLOATS ? row.getArray(0).toFloatArray() : asFloats(row);
                    width = vector.length;
                    if ((n + 1) * width > vectors.length) {
                        vectors = Arrays.copyOf(vectors, Math.max(1024 * width, 2 * n * width));
                    }
                    System.arraycopy(vector, 0, vectors, n * width, width);
                }
            }
            n++;
        }
        boolean vector = kind == Kind.FLOATS || kind == Kind.ML_VECTOR;
        return List.of(new Part(n, width, Arrays.copyOf(vectors, vector ? n * width : 0),
                Arrays.copyOf(scores, kind == Kind.SCORE ? n : 0),
                Arrays.copyOf(bits, kind == Kind.BITS ? n * width : 0))).iterator();
    }

    private static float[] asFloats(InternalRow row) {
        Vector v = VectorColumn.vectorType().deserialize(row.getStruct(0, 4));
        float[] out = new float[v.size()];
        for (int j = 0; j < out.length; j++) {
            out[j] = (float) v.apply(j);
        }
        return out;
    }
}
