package ae.spark;

import java.io.Serializable;
import java.util.Locale;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.UserDefinedType;
import org.apache.spark.unsafe.Platform;

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
    private final DataType keyType;
    /** An ML vector's internal struct: type, size, indices, values. */
    private static final int VECTOR_FIELDS = 4;

    private VectorColumn(String name, int index, Kind kind, int dimension, int keyIndex, String keyName,
                         DataType keyType) {
        this.name = name;
        this.index = index;
        this.kind = kind;
        this.dimension = dimension;
        this.keyIndex = keyIndex;
        this.keyName = keyName;
        this.keyType = keyType;
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
        return new VectorColumn(column, index, kind, dimension, keyIndex, keyColumn,
                keyIndex < 0 ? null : schema.fields()[keyIndex].dataType());
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
     * Copies the vector of {@code row} into {@code out} from {@code offset}, reading Spark's internal layout (no
     * value is boxed); returns null, or what is wrong with the row (nothing is guaranteed about {@code out} then).
     */
    String read(InternalRow row, float[] out, int offset) {
        if (row.isNullAt(index)) {
            return "is null";
        }
        int length;
        if (kind == Kind.ML_VECTOR) {
            Vector v = vectorType().deserialize(row.getStruct(index, VECTOR_FIELDS));
            length = v.size();
            if (length != dimension) {
                return wrongLength(length);
            }
            for (int j = 0; j < length; j++) {
                out[offset + j] = (float) v.apply(j);
            }
        } else {
            ArrayData values = row.getArray(index);
            length = values.numElements();
            if (length != dimension) {
                return wrongLength(length);
            }
            for (int j = 0; j < length; j++) {
                if (values.isNullAt(j)) {
                    return "has null at index " + j;
                }
            }
            if (kind == Kind.FLOAT_ARRAY && values instanceof UnsafeArrayData unsafe) {
                // The values are one block of floats after the header.
                Platform.copyMemory(unsafe.getBaseObject(), unsafe.getBaseOffset()
                        + UnsafeArrayData.calculateHeaderPortionInBytes(length), out,
                        Platform.FLOAT_ARRAY_OFFSET + (long) offset * Float.BYTES, (long) length * Float.BYTES);
            } else if (kind == Kind.FLOAT_ARRAY) {
                for (int j = 0; j < length; j++) {
                    out[offset + j] = values.getFloat(j);
                }
            } else {
                for (int j = 0; j < length; j++) {
                    out[offset + j] = (float) values.getDouble(j);
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

    @SuppressWarnings("unchecked")
    static UserDefinedType<Vector> vectorType() {
        return (UserDefinedType<Vector>) SQLDataTypes.VectorType();
    }

    private String wrongLength(int length) {
        return "has " + length + " values, the model takes " + dimension;
    }

    /** A message naming the column and the row's key (or its partition and position) and the fault. */
    String describe(InternalRow row, long partition, long position, String fault) {
        String key = keyIndex < 0 ? String.format(Locale.ROOT, "row %d of partition %d", position, partition)
                : "row with " + keyName + " = " + (row.isNullAt(keyIndex) ? "null" : row.get(keyIndex, keyType));
        return "column '" + name + "' of " + key + " " + fault;
    }
}
