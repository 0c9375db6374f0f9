package ae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The library's documentation cannot rot: every Java code block of README.md and docs/ is an excerpt of an example
 * that examples/run compiles and runs, and every public type and member of the library modules has a comment.
 */
class LibraryDocumentationTest {
    private static final List<String> LIBRARY_MODULES = List.of("ae.tensor", "ae.autodiff", "ae.data", "ae.models");
    private static final List<String> EXPORTED_PACKAGES = List.of("ae.tensor", "ae.autodiff", "ae.data", "ae.models",
            "ae.models.retrieval");

    private static Path repository() {
        Path root = Path.of("").toAbsolutePath().getParent();
        assertTrue(Files.isRegularFile(root.resolve("README.md")), "tests run in a module folder of the repository");
        return root;
    }

    /** The ```java blocks of a Markdown file, each as its lines. */
    static List<List<String>> javaBlocks(String markdown) {
        List<List<String>> blocks = new ArrayList<>();
        List<String> current = null;
        for (String line : markdown.split("\n", -1)) {
            if (current == null && line.strip().equals("```java")) {
                current = new ArrayList<>();
            } else if (current != null && line.strip().equals("```")) {
                blocks.add(current);
                current = null;
            } else if (current != null) {
                current.add(line);
            }
        }
        return blocks;
    }

    /** True if {@code block}'s non-blank lines appear, in order and one after another, among {@code source}'s. */
    static boolean isExcerpt(List<String> block, List<String> source) {
        List<String> wanted = block.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        List<String> lines = source.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (wanted.isEmpty()) {
            return false;
        }
        for (int start = 0; start + wanted.size() <= lines.size(); start++) {
            if (lines.subList(start, start + wanted.size()).equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void excerptsAreFoundOnlyWhereTheyAre() {
        List<String> source = List.of("class A {", "    int x = 1;", "", "    int y = 2;", "}");
        assertTrue(isExcerpt(List.of("int x = 1;", "int y = 2;"), source));
        assertTrue(!isExcerpt(List.of("int y = 2;", "int x = 1;"), source));
        assertTrue(!isExcerpt(List.of("int x = 1;", "int z = 2;"), source));
        assertEquals(List.of(List.of("int a;")), javaBlocks("text\n```java\nint a;\n```\n```\nnot java\n```\n"));
    }

    @Test
    void everyJavaBlockOfTheDocumentationIsAnExcerptOfAnExample() throws IOException {
        Path root = repository();
        List<List<String>> sources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root.resolve("examples"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java") && !p.toString().contains("/target/"))
                    .toList()) {
                sources.add(Files.readAllLines(f, StandardCharsets.UTF_8));
            }
        }
        assertTrue(sources.size() >= 3, "examples/ holds the example programs");
        List<Path> documents = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            documents.addAll(docs.filter(p -> p.toString().endsWith(".md")).sorted().toList());
        }
        List<String> orphans = new ArrayList<>();
        int blocks = 0;
        for (Path document : documents) {
            for (List<String> block : javaBlocks(Files.readString(document, StandardCharsets.UTF_8))) {
                blocks++;
                if (sources.stream().noneMatch(source -> isExcerpt(block, source))) {
                    orphans.add(root.relativize(document) + ": the block starting '" + block.getFirst().strip() + "'");
                }
            }
        }
        assertTrue(blocks >= 4, "README.md and docs/library.md show the library in Java blocks, found " + blocks);
        assertEquals(List.of(), orphans, "Java blocks that are not excerpts of an example under examples/");
    }

    @Test
    void everyPublicTypeAndMemberOfTheLibraryHasAComment() throws IOException, InterruptedException {
        Path root = repository();
        Path classes = Files.createTempDirectory("ae-doclint");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "javac").toString(),
                "-proc:none", "-Xlint:none", "-Xmaxwarns", "100000", "-d", classes.toString(),
                "-Xdoclint:missing/protected", "-Xdoclint/package:" + String.join(",", EXPORTED_PACKAGES),
                "--module-source-path", root + "/*/src/main/java", "--module", String.join(",", LIBRARY_MODULES)));
        Process javac = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(javac.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = javac.waitFor();
        assertEquals(0, exit, output);
        // doclint's "missing" group also asks for @param and @return on every method; a sentence is what we ask.
        List<String> missing = output.lines()
                .filter(l -> l.contains("warning: no comment") || l.contains("warning: no @throws")
                        || l.contains("warning: use of default constructor"))
                .map(l -> l.replace(root + "/", ""))
                .toList();
        assertEquals(List.of(), missing, "public API without a comment, or a checked exception without @throws");
    }
}
