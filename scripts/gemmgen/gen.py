# Generates FloatGemm.java, FloatGemmTall.java and DoubleGemm.java (ae.tensor/.../internal/gemm) from template.java,
# so the GEMMs stay one design. Edit the template or this script, then run: python3 scripts/gemmgen/gen.py
# GemmGeneratorTest regenerates into a temporary folder and fails if the committed files differ from the output.
#
# Every setting is in TYPES below; nothing is read from the environment. To try another blocking, pass it on the
# command line, e.g. --set FloatGemm.KC=512 --out /tmp/gemm, and measure before changing the table.
import argparse, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, '..', '..', 'ae.tensor', 'src', 'main', 'java', 'ae', 'tensor', 'internal', 'gemm')

FLOAT = dict(prim='float', Box='Float', Vec='FloatVector', layout='JAVA_FLOAT_UNALIGNED', zero='0f', one='1f',
             Q='SPECIES_128', T='SPECIES_256', TB=8, bytes=4)
DOUBLE = dict(prim='double', Box='Double', Vec='DoubleVector', layout='JAVA_DOUBLE_UNALIGNED', zero='0', one='1',
              Q='SPECIES_256', T='SPECIES_256', TB=4, bytes=8)
# Per class: MR rows per micro-tile (a multiple of the sub-tile height, 4), NV vectors per micro-tile row, KC the
# longest k block, MC the tallest row block (a multiple of MR), NC the widest column block, THRESH the multiply-adds
# below which one thread does everything; KC_WHY and MC_WHY end the class's comments on KC and MC.
# MR 8 divides the workloads' 128, 256 and 784 rows. MR=12 (24 accumulators, less bandwidth per FMA) measured 3-9%
# faster at 1024^3 but slower on R1 and R2, whose partial last tiles it leaves a third empty; PanamaGemm uses
# FloatGemmTall only for tall products.
# FloatGemm's THRESH is 1,000,000: at 4,000,000 the code layers' products (R2's 128 x 64 x 256, 2.1 million, R6's
# 128 x 20 x 400, 1.02 million) ran on one thread while the other core waited; such a product takes some 20-40 us,
# half of it is saved by the split, and the fork and join of a spinning worker costs a few us.
TYPES = [
    dict(FLOAT, Cls='FloatGemm', what='float32', MR=8, NV=2, KC=256, MC=256, NC=4096, THRESH=1000000,
         KC_WHY='At 256, a panel of B, KC x NR, stays in L1 while the A tiles stream past it, and C is read back once '
                'per k block: that measured faster than one long k block both for the workloads\' C, within L2, and '
                'at 1024^3.',
         MC_WHY='its copy of A, MC x KC, is {a_kib} KiB, well within L2.'),
    dict(FLOAT, Cls='FloatGemmTall', what='float32, tall products,', MR=12, NV=2, KC=1024, MC=120, NC=4096,
         THRESH=4000000,
         KC_WHY='At 1024^3 one k block writes C once and never reads it back; C, 4 MiB, is past L2, and a second '
                'pass over it cost more than the panel of B, KC x NR (128 KiB), being read from L2 rather than L1 '
                'saves. On a Zen 4 core (32 KiB L1, 1 MiB L2) KC 1024 ran 1.10x OpenBLAS where 512 ran 1.06x and '
                '256 0.98x (CPU time per product, alternating calls in one JVM, docs/workloads.md); on the Zen 5 '
                'core this was first tuned on (48 KiB L1, 1 MiB L2), 512 had measured 0.95-0.99x and 1024 no '
                'better. Walking the tiles of A outermost was slower there.',
         MC_WHY='its copy of A, MC x KC, is {a_kib} KiB, in L2 beside the panel of B being walked; with KC 1024, 60, '
                '96, 180 and 240 measured the same as 120 within the noise.'),
    dict(DOUBLE, Cls='DoubleGemm', what='float64', MR=8, NV=2, KC=1024, MC=256, NC=4096, THRESH=4000000,
         KC_WHY='float64 serves gradient checks and tests, where speed matters little, so its blocking is the old '
                'float32 one, not tuned: one long k block, so that C is written once.',
         MC_WHY='its copy of A, MC x KC, is {a_kib} KiB (not tuned, see KC).'),
]
SETTINGS = ('MR', 'NV', 'KC', 'MC', 'NC', 'THRESH')

def kernel(t, NV, name='kernel', epilogue='both'):
    V = t['Vec']; p = t['prim']; MR = t['MR']
    L = []
    if NV == 1:
        L.append(f"    /** {{@link #kernel}} for a panel whose valid columns fit one vector: the rest of the panel is not computed. */")
        L.append(f"    private static void {name}(int kc, {p}[] a, int aAt, {p}[] b, int bAt,")
    else:
        what = {'store': "writing C (beta == 0)", 'accumulate': "adding to beta * C"}.get(epilogue, "")
        L.append(f"    /**")
        L.append(f"     * The micro-kernel for packed A{', ' + what if what else ''}: element (r, p) of the tile is")
        L.append(f"     * {{@code a[aAt + r / SUB * SUB * KC + p * SUB + r % SUB]}}.")
        L.append(f"     */")
        L.append(f"    private static void {name}(int kc, {p}[] a, int aAt, {p}[] b, int bAt,")
    indent = " " * len(f"    private static void {name}(")
    L.append(f"{indent}MemorySegment c, long cAt, long cRowStep, {p} beta) {{")
    for r in range(MR):
        L.append("        " + f"{V} " + ", ".join(f"c{r}{v} = {V}.zero(S)" for v in range(NV)) + ";")
    L.append(f"        for (int p = 0; p < kc; p++) {{")
    L.append(f"            int bi = bAt + p * NR;")
    L.append(f"            int ai = aAt + p * SUB;")
    for v in range(NV):
        off = f" + {v} * LANES" if v else ""
        L.append(f"            {V} b{v} = {V}.fromArray(S, b, bi{off});")
    for r in range(MR):
        decl = f"{V} x = " if r == 0 else "x = "
        idx = "ai" + (f" + {r // 4} * SUB * KC" if r >= 4 else "") + (f" + {r % 4}" if r % 4 else "")
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

def transpose(t, forA):
    # Four stored rows, transposed by two rounds of interleaving vector i with vector i + 2. Each round rotates the
    # bits of (row, lane) left by one, so afterwards vector j holds elements j*L/4 .. (j+1)*L/4 - 1 of every row
    # (L lanes), lane = 4 * (element - j*L/4) + row: whole vectors of a sub-tile of A for any L, and for L = 4
    # (B, on the four-lane species Q) element j of the four columns of op(B), one row of a B panel. Methods this
    # small compile at C1's tier 3; see the class comment of the template.
    V = t['Vec']; p = t['prim']
    L = []
    L.append(f"    /**")
    if forA:
        L.append(f"     * Transposes 4 rows x LANES columns of A at {{@code src}} (rows {{@code rowStep}} bytes apart) into a sub-tile")
        L.append(f"     * at {{@code dst}}, the packed place of the first row's first element: element (r, p) goes to")
        L.append(f"     * {{@code dst + p * SUB + r}}. Two rounds of interleaving (derived at {{@code transpose}} in gen.py).")
        L.append(f"     */")
        L.append(f"    private static void transposeRowsOfA(MemorySegment a, long src, long rowStep, {p}[] packed, int dst) {{")
        sp, zl, zh, seg, scale = "S", "ZIP_LOW", "ZIP_HIGH", "a", ""
    else:
        L.append(f"     * Transposes 4 stored rows x 4 columns of alpha * B at {{@code src}} (rows {{@code rowStep}} bytes apart), which")
        L.append(f"     * are 4 columns of op(B), into a packed panel at {{@code dst}}: element (p, j) of op(B) goes to")
        L.append(f"     * {{@code dst + p * NR + j}}. Two rounds of interleaving (derived at {{@code transpose}} in gen.py).")
        L.append(f"     */")
        L.append(f"    private static void transposeColumnsOfB(MemorySegment b, long src, long rowStep, {p} scale, {p}[] packed,")
        L.append(f"                                           int dst) {{")
        L.append(f"        {V} alpha = {V}.broadcast(Q, scale);")
        sp, zl, zh, seg, scale = "Q", "ZIP4_LOW", "ZIP4_HIGH", "b", ".mul(alpha)"
    for i in range(4):
        at = f"src + {i} * rowStep" if i else "src"
        L.append(f"        {V} r{i} = {V}.fromMemorySegment({sp}, {seg}, {at}, NATIVE){scale};")
    L.append(f"        {V} s0 = {zl}.selectFrom(r0, r2);")
    L.append(f"        {V} s1 = {zh}.selectFrom(r0, r2);")
    L.append(f"        {V} s2 = {zl}.selectFrom(r1, r3);")
    L.append(f"        {V} s3 = {zh}.selectFrom(r1, r3);")
    L.append(f"        r0 = {zl}.selectFrom(s0, s2);")
    L.append(f"        r1 = {zh}.selectFrom(s0, s2);")
    L.append(f"        r2 = {zl}.selectFrom(s1, s3);")
    L.append(f"        r3 = {zh}.selectFrom(s1, s3);")
    step = "LANES" if forA else "NR"
    for j in range(4):
        off = "dst" + (f" + {j} * {step}" if j else "")
        L.append(f"        r{j}.intoArray(packed, {off});")
    L.append(f"    }}")
    return "\n".join(L)

def transpose_block_of_b(t):
    # TB stored rows x TB columns of B (TB a power of two: 8 float32 or 4 float64 lanes of 256 bits), which are TB
    # columns of op(B), transposed by log2(TB) rounds of interleaving vector i with vector i + TB/2, as in
    # `transpose` (each round rotates the bits of (row, lane) left by one, so after log2(TB) rounds vector j holds
    # element j of every row): one row of a B panel per vector, stored whole. Per element this is about half the
    # work of the 4 x 4 blocks on 128-bit vectors, which `transpose` writes for the borders.
    V = t['Vec']; p = t['prim']; n = t['TB']
    rounds = n.bit_length() - 1
    assert 1 << rounds == n
    L = []
    L.append(f"    /**")
    L.append(f"     * Transposes {n} stored rows x {n} columns of alpha * B at {{@code src}} (rows {{@code rowStep}} bytes apart), which")
    L.append(f"     * are {n} columns of op(B), into a packed panel at {{@code dst}}: element (p, j) of op(B) goes to")
    L.append(f"     * {{@code dst + p * NR + j}}. {rounds} rounds of interleaving (derived at {{@code transpose_block_of_b}} in gen.py).")
    L.append(f"     */")
    L.append(f"    private static void transposeBlockOfB(MemorySegment b, long src, long rowStep, {p} scale, {p}[] packed,")
    L.append(f"                                          int dst) {{")
    L.append(f"        {V} alpha = {V}.broadcast(T, scale);")
    for i in range(n):
        at = f"src + {i} * rowStep" if i else "src"
        L.append(f"        {V} r{i} = {V}.fromMemorySegment(T, b, {at}, NATIVE).mul(alpha);")
    cur, nxt = 'r', 's'
    for r in range(rounds):
        for i in range(n // 2):
            decl = f"{V} " if r == 0 else ""
            L.append(f"        {decl}{nxt}{2 * i} = ZIPT_LOW.selectFrom({cur}{i}, {cur}{i + n // 2});")
            L.append(f"        {decl}{nxt}{2 * i + 1} = ZIPT_HIGH.selectFrom({cur}{i}, {cur}{i + n // 2});")
        cur, nxt = nxt, cur
    for j in range(n):
        off = "dst" + (f" + {j} * NR" if j else "")
        L.append(f"        {cur}{j}.intoArray(packed, {off});")
    L.append(f"    }}")
    return "\n".join(L)

def wrap(text, indent):
    # Comment lines of at most 120 characters, as in the rest of the code (the wrapped text follows '     * ').
    words, lines, line = text.split(), [], ''
    for w in words:
        if len(indent) + len(line) + 1 + len(w) > 120:
            lines.append(line)
            line = w
        else:
            line = (line + ' ' + w).strip()
    lines.append(line)
    return ('\n' + indent).join(lines)


def generate(t, template):
    MR, NV = t['MR'], t['NV']
    assert MR % 4 == 0 and t['MC'] % MR == 0, t['Cls']
    assert t['TB'] % 4 == 0, t['Cls']  # NR, a multiple of 2 * LANES, is then one of TB on 128-bit vectors and wider
    s = template
    transposes = [transpose_block_of_b(t), transpose(t, False), transpose(t, True)]
    s = s.replace('$TRANSPOSE$', '\n\n'.join(transposes))
    p = t['prim']
    # Two whole kernels rather than one with both epilogues: the combined method grew past what C1's tier 3 can
    # compile ("out of virtual registers"), so it never reached C2 and ran on the Vector API's boxing fallback.
    # With 12 rows the accumulating kernel, its C update written out, outgrew C1's tier 3 (see the template's class
    # comment), so tall tiles accumulate through the tile buffer: the store kernel, then a merge loop, about 1% more.
    direct = MR <= 8
    accumulate = (f"kernelAccumulate(kc, a, aAt, b, bAt, c, cAt, cRowStep, beta);" if direct else
                  f"kernelStore(kc, a, aAt, b, bAt, tile, 0, NR * BYTES, {t['zero']});\n"
                  f"            mergeFullTile(tile, c, cAt, cRowStep, beta);")
    dispatch = f'''    /**
     * The micro-kernel for packed A: element (r, p) of the tile is {{@code a[aAt + r / SUB * SUB * KC + p * SUB + r % SUB]}}.
     * {{@code tile}} is the tile buffer, through which 12-row tiles add into C; the other kernels leave it alone.
     */
    private static void kernel(int kc, {p}[] a, int aAt, {p}[] b, int bAt,
                               MemorySegment c, long cAt, long cRowStep, {p} beta, MemorySegment tile) {{
        if (beta == {t['zero']}) {{
            kernelStore(kc, a, aAt, b, bAt, c, cAt, cRowStep, beta);
        }} else {{
            {accumulate}
        }}
    }}'''
    s = s.replace('$KERNEL_PACKED$', dispatch + '\n\n' + kernel(t, NV, 'kernelStore', 'store') + '\n\n'
                  + (kernel(t, NV, 'kernelAccumulate', 'accumulate') + '\n\n' if direct else '')
                  + kernel(t, 1, 'kernelOneVector'))
    a_kib = t['MC'] * t['KC'] * t['bytes'] // 1024
    for key, val in dict(Q=t['Q'], T=t['T'], TB=str(t['TB']), Vec=t['Vec'], Box=t['Box'], prim=t['prim'], Cls=t['Cls'], layout=t['layout'],
                         zero=t['zero'], one=t['one'], what=t['what'], MR=str(MR), NV=str(NV), KC=str(t['KC']),
                         MC=str(t['MC']), NC=str(t['NC']), THRESH=str(t['THRESH']),
                         KC_DOC=wrap('Longest k block (set per class in gen.py), and the k stride of packed A, so '
                                     'that the micro-kernel reaches the rows of a tile at constant offsets. '
                                     + t['KC_WHY'], '     * '),
                         MC_DOC=wrap('Tallest row block, a multiple of MR: ' + t['MC_WHY'].format(a_kib=a_kib),
                                     '     * ')).items():
        s = s.replace('$' + key + '$', val)
    assert '$' not in s, [l for l in s.split('\n') if '$' in l][:3]
    return s


def main():
    parser = argparse.ArgumentParser(description='Generates the GEMM classes from template.java.')
    parser.add_argument('--out', default=SRC, help='folder to write the .java files to (default: the source tree)')
    parser.add_argument('--set', action='append', default=[], metavar='CLASS.SETTING=VALUE',
                        help='overrides one whole-number setting of TYPES (' + ', '.join(SETTINGS) + ')')
    args = parser.parse_args()
    types = [dict(t) for t in TYPES]
    for assignment in args.set:
        name, _, value = assignment.partition('=')
        cls, _, key = name.partition('.')
        matches = [t for t in types if t['Cls'] == cls]
        if not matches or key not in SETTINGS or not value.isdigit():
            sys.exit('--set takes CLASS.SETTING=NUMBER with CLASS one of '
                     + ', '.join(t['Cls'] for t in types) + ' and SETTING one of ' + ', '.join(SETTINGS)
                     + ', got ' + assignment)
        matches[0][key] = int(value)
    with open(os.path.join(HERE, 'template.java')) as f:
        template = f.read()
    for t in types:
        with open(os.path.join(args.out, t['Cls'] + '.java'), 'w') as f:
            f.write(generate(t, template))


if __name__ == '__main__':
    main()
