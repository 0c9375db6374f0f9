package ae.cli.output;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngEncoderTest {
    private static final int[] TYPES = {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB,
            BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_BYTE_GRAY};

    @TempDir
    Path folder;

    /** Noise in some rows, flat colour in others: both kinds of run the deflater sees in a drawing. */
    private static BufferedImage image(int type, int width, int height, long seed) {
        BufferedImage image = new BufferedImage(width, height, type);
        SplittableRandom random = new SplittableRandom(seed);
        int flat = random.nextInt();
        for (int y = 0; y < height; y++) {
            boolean noisy = random.nextBoolean();
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, noisy ? random.nextInt() : flat);
            }
        }
        return image;
    }

    private static byte[] encode(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PngEncoder.write(image, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static BufferedImage decode(byte[] png) {
        try {
            BufferedImage read = ImageIO.read(new ByteArrayInputStream(png));
            assertNotNull(read, "ImageIO found no PNG");
            return read;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every pixel as the image reports it, alpha forced opaque where the image has none. */
    private static int[] pixels(BufferedImage image) {
        int[] argb = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        if (!image.getColorModel().hasAlpha()) {
            for (int i = 0; i < argb.length; i++) {
                argb[i] |= 0xff000000;
            }
        }
        return argb;
    }

    private record Chunk(String type, byte[] data) {
    }

    /** The file's chunks, after checking the signature, every length and every CRC. */
    private static List<Chunk> chunks(byte[] png) {
        ByteBuffer in = ByteBuffer.wrap(png);
        byte[] signature = new byte[8];
        in.get(signature);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, signature);
        List<Chunk> chunks = new ArrayList<>();
        while (in.hasRemaining()) {
            int length = in.getInt();
            byte[] type = new byte[4];
            in.get(type);
            byte[] data = new byte[length];
            in.get(data);
            CRC32 crc = new CRC32();
            crc.update(type);
            crc.update(data);
            assertEquals((int) crc.getValue(), in.getInt(), "CRC of a " + new String(type, StandardCharsets.US_ASCII)
                    + " chunk");
            chunks.add(new Chunk(new String(type, StandardCharsets.US_ASCII), data));
        }
        return chunks;
    }

    @Test
    void imagesOfEveryKindAndSizeReadBackPixelForPixel() {
        qt().withExamples(60).forAll(integers().between(0, TYPES.length - 1), integers().between(1, 300),
                integers().between(1, 40), longs().all()).checkAssert((t, width, height, seed) -> {
            BufferedImage image = image(TYPES[t], width, height, seed);
            BufferedImage read = decode(encode(image));
            assertEquals(width, read.getWidth());
            assertEquals(height, read.getHeight());
            assertEquals(image.getColorModel().hasAlpha(), read.getColorModel().hasAlpha());
            assertArrayEquals(pixels(image), pixels(read));
        });
    }

    @Test
    void aSubImageIsWrittenAsItsOwnPixelsNotItsParentsRows() {
        BufferedImage parent = image(BufferedImage.TYPE_INT_RGB, 120, 90, 7);
        BufferedImage part = parent.getSubimage(13, 21, 50, 40);

        assertArrayEquals(pixels(part), pixels(decode(encode(part))));
    }

    @Test
    void theFileIsWellFormedAndALargeImageSpansSeveralDataChunks() {
        BufferedImage noise = image(BufferedImage.TYPE_INT_RGB, 400, 400, 3);
        for (int y = 0; y < 400; y++) {
            for (int x = 0; x < 400; x++) {
                noise.setRGB(x, y, new SplittableRandom(y * 400L + x).nextInt());
            }
        }
        List<Chunk> chunks = chunks(encode(noise));

        assertEquals("IHDR", chunks.getFirst().type());
        assertArrayEquals(new byte[] {0, 0, 1, (byte) 144, 0, 0, 1, (byte) 144, 8, 2, 0, 0, 0},
                chunks.getFirst().data());
        assertEquals("IEND", chunks.getLast().type());
        assertEquals(0, chunks.getLast().data().length);
        long dataChunks = chunks.stream().filter(c -> c.type().equals("IDAT")).count();
        assertTrue(dataChunks > 1, "random pixels deflate to more than one chunk, got " + dataChunks);
        assertEquals(chunks.size(), dataChunks + 2);
    }

    @Test
    void writePngGoesThroughTheEncoderAndReadsBack() throws IOException {
        BufferedImage drawing = new BufferedImage(200, 100, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = drawing.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 200, 100);
        g.setColor(new Color(30, 120, 200));
        g.drawLine(0, 0, 199, 99);
        g.dispose();
        Path target = folder.resolve("drawing.png");

        OutputFiles.writePng(target, drawing);

        byte[] written = Files.readAllBytes(target);
        assertArrayEquals(encode(drawing), written);
        assertArrayEquals(pixels(drawing), pixels(decode(written)));
    }
}
