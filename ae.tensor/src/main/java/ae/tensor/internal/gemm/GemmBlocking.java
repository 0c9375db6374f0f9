package ae.tensor.internal.gemm;

/**
 * The float32 GEMMs' blocking, for {@link ae.tensor.KernelShapes}: which extents decide a branch of
 * {@link FloatGemm} and {@link FloatGemmTall}. Kept beside them so that a change of a block size changes both.
 */
public final class GemmBlocking {
    /** Rows of a register tile of {@link FloatGemm}. */
    public static final int ROWS_PER_TILE = FloatGemm.MR;
    /** Rows of a register tile of {@link FloatGemmTall}. */
    public static final int TALL_ROWS_PER_TILE = FloatGemmTall.MR;
    /** Rows of op(A) packed and grouped per register tile in both GEMMs. */
    public static final int SUB_TILE = FloatGemm.SUB;
    /** Rows and columns of the larger register transposes of a transposed B, in both GEMMs. */
    public static final int TRANSPOSE_BLOCK = FloatGemm.TB;
    /** {@link FloatGemm}'s depth of a k block. */
    public static final int DEPTH_BLOCK = FloatGemm.KC;
    /** {@link FloatGemmTall}'s depth of a k block. */
    public static final int TALL_DEPTH_BLOCK = FloatGemmTall.KC;
    /** {@link FloatGemm}'s rows of a row block: above it, B is packed once per block instead of per panel. */
    public static final int ROW_BLOCK = FloatGemm.MC;
    /** {@link FloatGemmTall}'s rows of a row block. */
    public static final int TALL_ROW_BLOCK = FloatGemmTall.MC;
    /** Columns of a column block in both GEMMs. */
    public static final int COLUMN_BLOCK = FloatGemm.NC;
    /** From this many rows of C on, {@link FloatGemmTall} computes the product. */
    public static final int TALL_ROWS = PanamaGemm.TALL_ROWS;

    private GemmBlocking() {
    }
}
