# Generates FloatGemm.java, FloatGemmTall.java and DoubleGemm.java (ae.tensor/.../internal/gemm) from template.java,
# so the GEMMs stay one design. Edit the template or this script, then run: python3 scripts/gemmgen/gen.py
import sys, os
MR = 8; NV = int(os.environ.get('NV', 2))
# Rows per micro-tile (MR) and per row block (MC), per generated class. 8 divides the workloads' 128, 256 and 784.
# MR=12 (24 accumulators, less bandwidth per FMA) measured 3-9% faster at 1024^3 but slower on R1 and R2, whose
# partial last tiles it leaves a third empty; PanamaGemm uses FloatGemmTall only for tall products.
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'ae.tensor', 'src', 'main', 'java', 'ae', 'tensor', 'internal', 'gemm')
MC = int(os.environ.get('MC', 256)); NC = int(os.environ.get('NC', 4096))
TH = int(os.environ.get('THRESH', 4000000))

FLOAT = dict(prim='float', Box='Float', Vec='FloatVector', layout='JAVA_FLOAT_UNALIGNED', zero='0f', one='1f')
TYPES = [
    dict(FLOAT, Cls='FloatGemm', what='float32', MR=int(os.environ.get('MR', 8)), MC=MC, KC=int(os.environ.get('KC', 256))),
    dict(FLOAT, Cls='FloatGemmTall', what='float32, tall products,', MR=12, MC=240, KC=1024),
    dict(prim='double', Box='Double', Vec='DoubleVector', Cls='DoubleGemm', layout='JAVA_DOUBLE_UNALIGNED', zero='0',
         one='1', what='float64', MR=8, MC=MC, KC=1024),
]

def kernel(t, NV=NV, name='kernel', epilogue='both'):
    V = t['Vec']; p = t['prim']
    L = []
    if NV == 1:
        L.append(f"    /** {{@link #kernel}} for a panel whose valid columns fit one vector: the rest of the panel is not computed. */")
        L.append(f"    private static void {name}(int kc, {p}[] a, int aAt, {p}[] b, int bAt,")
    else:
        what = {'store': "writing C (beta == 0)", 'accumulate': "adding to beta * C"}.get(epilogue, "")
        L.append(f"    /** The micro-kernel for packed A{', ' + what if what else ''}: element (r, p) of the tile is {{@code a[aAt + p * MR + r]}}. */")
        L.append(f"    private static void {name}(int kc, {p}[] a, int aAt, {p}[] b, int bAt,")
    indent = " " * len(f"    private static void {name}(")
    L.append(f"{indent}MemorySegment c, long cAt, long cRowStep, {p} beta) {{")
    for r in range(MR):
        L.append("        " + f"{V} " + ", ".join(f"c{r}{v} = {V}.zero(S)" for v in range(NV)) + ";")
    L.append(f"        for (int p = 0; p < kc; p++) {{")
    L.append(f"            int bi = bAt + p * NR;")
    L.append(f"            int ai = aAt + p * MR;")
    for v in range(NV):
        off = f" + {v} * LANES" if v else ""
        L.append(f"            {V} b{v} = {V}.fromArray(S, b, bi{off});")
    for r in range(MR):
        decl = f"{V} x = " if r == 0 else "x = "
        idx = f"ai + {r}" if r else "ai"
        L.append(f"            {decl}{V}.broadcast(S, a[{idx}]);")
        for v in range(NV):
            L.append(f"            c{r}{v} = x.fma(b{v}, c{r}{v});")
    L.append(f"        }}")
    stores = []
    for r in range(MR):
        for v in range(NV):
            off = f" + {v} * VECTOR_BYTES" if v else ""
            row = f"cAt + {r} * cRowStep" if r else "cAt"
            stores.append(f"c{r}{v}.intoMemorySegment(c, {row}{off}, NATIVE);")
    updates = [f"{V} betaV = {V}.broadcast(S, beta);"]
    for r in range(MR):
        for v in range(NV):
            off = f" + {v} * VECTOR_BYTES" if v else ""
            row = f"cAt + {r} * cRowStep" if r else "cAt"
            # Written out, not a helper call: a helper that C2 declines to inline takes its vectors boxed.
            updates.append(f"{V}.fromMemorySegment(S, c, {row}{off}, NATIVE).fma(betaV, c{r}{v})"
                           f".intoMemorySegment(c, {row}{off}, NATIVE);")
    if epilogue == 'store':
        L.extend("        " + x for x in stores)
    elif epilogue == 'accumulate':
        L.extend("        " + x for x in updates)
    else:
        L.append(f"        if (beta == {t['zero']}) {{")
        L.extend("            " + x for x in stores)
        L.append(f"        }} else {{")
        L.extend("            " + x for x in updates)
        L.append(f"        }}")
    L.append(f"    }}")
    return "\n".join(L)

def transpose(t, lanes, forA=False):
    # forA: False for B, else the row within its tile at which the block of A starts.
    isA = forA is not False
    V = t['Vec']; p = t['prim']
    import math
    rounds = int(math.log2(lanes))
    L = []
    L.append(f"    /**")
    if isA:
        L.append(f"     * Transposes the {lanes} x {lanes} block of A at {{@code src}} (rows {{@code rowStep}} bytes apart) into packed")
        L.append(f"     * tiles: transposed row t holds element t of every row, and its lanes go to the MR-wide groups of the")
        L.append(f"     * tiles these rows belong to. For blocks whose first row is row {forA} of its tile, so that the first")
        L.append(f"     * {min(lanes, MR - forA)} lanes go to that tile (from {{@code dst}}) and the rest to the next one.")
        L.append(f"     * Interleaving rounds as in {{@link #transposeBlock}}.")
        L.append(f"     */")
        L.append(f"    private static void transposeRowsOfA{forA}(MemorySegment a, long src, long rowStep, {p}[] packed,")
        L.append(f"                                         int dst, int kc) {{")
    if not isA:
        L.append(f"     * Transposes the {lanes} x {lanes} block of alpha * B at {{@code src}} (rows {{@code rowStep}} bytes apart) into")
        L.append(f"     * {lanes} consecutive rows of a packed panel at {{@code dst}}. Each round pairs row i with row i + {lanes // 2} and")
        L.append(f"     * interleaves them, which moves one bit of the row index into the column index; after {rounds} rounds rows")
        L.append(f"     * and columns have traded places.")
        L.append(f"     */")
        L.append(f"    private static void transposeBlock(MemorySegment b, long src, long rowStep, {p} scale, {p}[] packed,")
        L.append(f"                                       int dst) {{")
        L.append(f"        {V} alpha = {V}.broadcast(S, scale);")
    seg = "a" if isA else "b"
    scale = "" if isA else ".mul(alpha)"
    for i in range(lanes):
        at = f"src + {i} * rowStep" if i else "src"
        L.append(f"        {V} r{i} = {V}.fromMemorySegment(S, {seg}, {at}, NATIVE){scale};")
    names = [f"r{i}" for i in range(lanes)]
    for rnd in range(rounds):
        pre = "s" if rnd % 2 == 0 else "r"
        new = []
        for i in range(lanes // 2):
            a, b2 = names[i], names[i + lanes // 2]
            decl = f"{V} " if rnd == 0 or pre == "s" and rnd == 0 else ""
            new += [f"{pre}{2*i}", f"{pre}{2*i+1}"]
            d = f"{V} " if (rnd == 0) else ""
            L.append(f"        {d}{pre}{2*i} = ZIP_LOW.selectFrom({a}, {b2});")
            L.append(f"        {d}{pre}{2*i+1} = ZIP_HIGH.selectFrom({a}, {b2});")
        names = new
    for i in range(lanes):
        if not isA:
            L.append(f"        {names[i]}.intoArray(packed, dst + {i} * NR);" if i else f"        {names[i]}.intoArray(packed, dst);")
        else:
            first = min(lanes, MR - forA)
            off = f"dst + {i} * MR" if i else "dst"
            if first == lanes:
                L.append(f"        {names[i]}.intoArray(packed, {off});")
            else:
                # Lanes from `first` on are rows of the next tile: lane l lands at dst2 + l with
                # dst2 = dst + MR * kc - (row within tile) - first, i.e. dst + MR * kc - MR.
                L.append(f"        {names[i]}.intoArray(packed, {off}, FIRST_{first});")
                L.append(f"        {names[i]}.intoArray(packed, {off} + MR * kc - MR, SECOND_{first});")

    L.append(f"    }}")
    return "\n".join(L)

TEMPLATE = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'template.java')).read()
import math
for t in TYPES:
    MR = t['MR']
    s = TEMPLATE
    tl = 16 if t['prim'] == 'float' else 8
    # Where a block of tl rows starts within its tile: multiples of gcd(tl, MR).
    starts = sorted({(b * tl) % MR for b in range(MR)})
    splits = sorted({min(tl, MR - r) for r in starts if min(tl, MR - r) < tl})
    transposes = [transpose(t, tl)] + [transpose(t, tl, r) for r in starts]
    s = s.replace('$TRANSPOSE$', '\n\n'.join(transposes)).replace('$TL$', str(tl))
    masks = ''
    for first in splits:
        masks += f'''    /** Lanes of a transposed row of A that belong to the first of the two tiles it spans: {first} of them. */
    private static final VectorMask<$Box$> FIRST_{first} = S.indexInRange(0, {first});
    /** The lanes that belong to the next tile. */
    private static final VectorMask<$Box$> SECOND_{first} = FIRST_{first}.not();
'''
    s = s.replace('$TILE_MASKS$', masks)
    if len(starts) == 1:
        # Every block starts a tile: one transpose, no dispatch.
        s = s.replace('$TRANSPOSE_A_DISPATCH$', '                transposeRowsOfA0(a, src + p * BYTES, rowStep, packed, dst, kc);')
        s = s.replace('                // One transpose per row offset within the tile, each with its masks as constants: a mask\n                // chosen at run time would be boxed by C2.\n', '')
    else:
        dispatch_cases = "\n".join(f"                    case {r} -> transposeRowsOfA{r}(a, src + p * BYTES, rowStep, packed, dst, kc);" for r in starts)
        s = s.replace('$TRANSPOSE_A_DISPATCH$', f'''                switch (within) {{
{dispatch_cases}
                    default -> throw new AssertionError(within);
                }}''')
    s = s.replace('$PACK_GRANULE$', str(tl * MR // math.gcd(tl, MR)))
    p = t['prim']
    # Two whole kernels rather than one with both epilogues: the combined method grew past what C1's tier 3 can
    # compile ("out of virtual registers"), so it never reached C2 and ran on the Vector API's boxing fallback.
    dispatch = f'''    /** The micro-kernel for packed A: element (r, p) of the tile is {{@code a[aAt + p * MR + r]}}. */
    private static void kernel(int kc, {p}[] a, int aAt, {p}[] b, int bAt,
                               MemorySegment c, long cAt, long cRowStep, {p} beta) {{
        if (beta == {t['zero']}) {{
            kernelStore(kc, a, aAt, b, bAt, c, cAt, cRowStep, beta);
        }} else {{
            kernelAccumulate(kc, a, aAt, b, bAt, c, cAt, cRowStep, beta);
        }}
    }}'''
    s = s.replace('$KERNEL_PACKED$', dispatch + '\n\n' + kernel(t, NV, 'kernelStore', 'store') + '\n\n'
                  + kernel(t, NV, 'kernelAccumulate', 'accumulate') + '\n\n'
                  + kernel(t, 1, 'kernelOneVector'))
    for key, val in dict(Vec=t['Vec'], Box=t['Box'], prim=t['prim'], Cls=t['Cls'], layout=t['layout'], zero=t['zero'],
                         one=t['one'], what=t['what'], MR=str(MR), NV=str(NV), KC=str(t['KC']), MC=str(t['MC']), NC=str(NC),
                         THRESH=str(TH)).items():
        s = s.replace('$' + key + '$', val)
    assert '$' not in s, [l for l in s.split('\n') if '$' in l][:3]
    open(os.path.join(OUT, t['Cls'] + '.java'), 'w').write(s)
