package ae.spark;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The column of a {@code Dataset<Row>} that holds the input vectors: {@code array<float>}, {@code array<double>} or a
 * Spark ML {@code Vector}; reads a row's vector into floats, or says why it cannot.
 */
final class VectorColumn implements Serializable {
    private static final long serialVersionUID = 1L;

    enum Kind { FLOAT_ARRAY, DOUBLE_ARRAY, ML_VECTOR }

    final String name;
    final int index;
    final Kind kind;
    final int dimension;
    /** The column naming a row in messages, or -1 to name it by its partition and position. */
    final int keyIndex;
    final String keyName;

    private VectorColumn(String name, int index, Kind kind, int dimension, int keyIndex, String keyName) {
        this.name = name;
        this.index = index;
        this.kind = kind;
        this.dimension = dimension;
        this.keyIndex = keyIndex;
        this.keyName = keyName;
    }

    static VectorColumn of(StructType schema, String column, int dimension, String keyColumn) {
        int index = fieldIndex(schema, column, "input column");
        DataType type = schema.fields()[index].dataType();
        Kind kind;
        if (type.equals(SQLDataTypes.VectorType())) {
            kind = Kind.ML_VECTOR;
        } else if (type instanceof ArrayType array && array.elementType().equals(DataTypes.FloatType)) {
            kind = Kind.FLOAT_ARRAY;
        } else if (type instanceof ArrayType array && array.elementType().equals(DataTypes.DoubleType)) {
            kind = Kind.DOUBLE_ARRAY;
        } else {
            throw new IllegalArgumentException("column '" + column + "' is " + type.simpleString()
                    + "; the input vectors must be array<float>, array<double> or a Spark ML vector");
        }
        int keyIndex = keyColumn == null ? -1 : fieldIndex(schema, keyColumn, "key column");
        return new VectorColumn(column, index, kind, dimension, keyIndex, keyColumn);
    }

    private static int fieldIndex(StructType schema, String column, String what) {
        for (int i = 0; i < schema.fields().length; i++) {
            if (schema.fields()[i].name().equals(column)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no " + what + " '" + column + "' in " + schema.simpleString());
    }

    /**
     * Copies the vector of {@code row} into {@code out} from {@code offset}; returns null, or what is wrong with
     * the row (nothing is guaranteed about {@code out} then).
     */
    String read(Row row, float[] out, int offset) {
        if (row.isNullAt(index)) {
            return "is null";
        }
        int length;
        switch (kind) {
            case ML_VECTOR -> {
                Vector v = row.getAs(index);
                length = v.size();
                if (length != dimension) {
                    return wrongLength(length);
                }
                for (int j = 0; j < length; j++) {
                    out[offset + j] = (float) v.apply(j);
                }
            }
            default -> {
                List<Object> values = row.getList(index);
                length = values.size();
                if (length != dimension) {
                    return wrongLength(length);
                }
                for (int j = 0; j < length; j++) {
                    Object value = values.get(j);
                    if (value == null) {
                        return "has null at index " + j;
                    }
                    out[offset + j] = ((Number) value).floatValue();
                }
            }
        }
        for (int j = 0; j < length; j++) {
            float value = out[offset + j];
            if (!Float.isFinite(value)) {
                return "has " + value + " at index " + j;
            }
        }
        return null;
    }

    private String wrongLength(int length) {
        return "has " + length + " values, the model takes " + dimension;
    }

    /** A message naming the column and the row's key (or its partition and position) and the fault. */
    String describe(Row row, long partition, long position, String fault) {
        String key = keyIndex < 0 ? String.format(Locale.ROOT, "row %d of partition %d", position, partition)
                : "row with " + keyName + " = " + row.get(keyIndex);
        return "column '" + name + "' of " + key + " " + fault;
    }
}
