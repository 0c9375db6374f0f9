package ae.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;

/**
 * DataFrames read and made as Spark's internal rows: values stay in Spark's binary layout (a float array is one
 * block of floats), where the {@code Row} API boxes every element of an array column.
 */
final class InternalFrames {
    private InternalFrames() {
    }

    /** The rows of {@code data} as Spark computes them; a row may be reused for the next: copy any row kept. */
    static JavaRDD<InternalRow> rows(Dataset<Row> data) {
        return data.queryExecution().toRdd().toJavaRDD();
    }

    /** A DataFrame of internal rows laid out as {@code schema} says. */
    static Dataset<Row> of(SparkSession spark, JavaRDD<InternalRow> rows, StructType schema) {
        return ((org.apache.spark.sql.classic.SparkSession) spark).internalCreateDataFrame(rows.rdd(), schema, false);
    }
}
