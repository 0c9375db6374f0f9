package ae.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a reader's bytes come from: a file (whose length is known, so headers can be checked against it before
 * anything is allocated) or a module resource (whose length is not, so readers grow their buffers only as bytes
 * arrive).
 */
final class ByteSource {
    @FunctionalInterface
    interface Opener {
        InputStream open() throws IOException;
    }

    private final String name;
    private final long length;
    private final Opener opener;

    private ByteSource(String name, long length, Opener opener) {
        this.name = name;
        this.length = length;
        this.opener = opener;
    }

    static ByteSource file(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        long size = Files.size(file);
        return new ByteSource(file.toString(), size, () -> Files.newInputStream(file));
    }

    /** A resource of this module, read by {@code anchor} so that JPMS encapsulation lets it through. */
    static ByteSource resource(Class<?> anchor, String resourceName) throws IOException {
        String display = "resource " + anchor.getModule().getName() + "/" + anchor.getPackageName().replace('.', '/')
                + "/" + resourceName;
        // Probing once here turns a missing resource into an error that names it, instead of a NullPointerException later.
        try (InputStream probe = anchor.getResourceAsStream(resourceName)) {
            if (probe == null) {
                throw new NoSuchFileException(display, null, "not found in the ae.data module");
            }
        }
        return new ByteSource(display, -1, () -> {
            InputStream in = anchor.getResourceAsStream(resourceName);
            if (in == null) {
                throw new NoSuchFileException(display, null, "not found in the ae.data module");
            }
            return in;
        });
    }

    String name() {
        return name;
    }

    /** Length in bytes as stored (compressed, for gzip), or -1 if unknown. */
    long length() {
        return length;
    }

    InputStream open() throws IOException {
        return opener.open();
    }

    @Override
    public String toString() {
        return name;
    }
}
