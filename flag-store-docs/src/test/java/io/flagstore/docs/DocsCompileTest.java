package io.flagstore.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code ```java} block of README.md and docs/*.md compiles against the real API. The
 * convention, for whoever writes documentation:
 *
 * <ul>
 *   <li>The blocks of one Markdown file are compiled together, in a package of their own: a later
 *       block may use a class an earlier one declares, and class names are unique per file.
 *   <li>A block that declares a class, record, interface or enum is a compilation unit; a block that
 *       does not is the body of a method (which may throw anything) of a subclass of {@link Givens},
 *       whose fields it may use undeclared ({@code flags}, {@code user}, {@code source}, ...).
 *   <li>Both get {@link #IMPORTS} in front; anything else a block uses it imports itself, in its
 *       first lines (a fragment too).
 *   <li>A line that is only {@code ...}, and {@code { ... }}, stand for code left out.
 *   <li>A block preceded by a line {@code <!-- not compiled: reason -->} is skipped: for blocks that
 *       cannot compile by nature. Keep these rare.
 * </ul>
 */
class DocsCompileTest {
    static final List<String> IMPORTS = List.of(
            "io.flagstore.core.*",
            "io.flagstore.core.model.*",
            "io.flagstore.core.metrics.*",
            "io.flagstore.core.spi.*",
            "io.flagstore.redis.*",
            "java.nio.file.*",
            "java.time.*",
            "java.util.*",
            "io.micrometer.core.instrument.MeterRegistry");

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern IMPORT = Pattern.compile("(?m)^import (?:static )?[\\w.*]+;[ \\t]*$");
    private static final Pattern OPT_OUT = Pattern.compile("^<!-- not compiled: \\S.*-->\\s*$");
    private static final Pattern TYPE_DECLARATION = Pattern.compile(
            "^(?:@\\w+(?:\\([^)]*\\))?\\s+)*(?:(?:public|final|abstract|sealed|static)\\s+)*(?:class|record|interface|enum)\\s+(\\w+)",
            Pattern.MULTILINE);

    /** One {@code ```java} block: its file, the line number of its first line, its text. */
    record Block(Path file, int line, String code) {}

    static Stream<Path> markdownFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("markdownFiles")
    void everyJavaBlockCompiles(Path markdown) throws IOException {
        List<Block> blocks = javaBlocks(markdown);
        String pkg = "docs."
                + markdown.getFileName()
                        .toString()
                        .replace(".md", "")
                        .replaceAll("\\W", "_")
                        .toLowerCase(Locale.ROOT);
        List<JavaFileObject> units = new ArrayList<>();
        for (Block block : blocks) {
            units.add(source(pkg, block));
        }
        assertThat(compile(units))
                .as("compiling the java blocks of %s", ROOT.relativize(markdown))
                .isEmpty();
    }

    @Test
    void anErrorIsReportedAtItsMarkdownLineAndAnOptedOutBlockIsSkipped(@TempDir Path dir) throws IOException {
        Path markdown = dir.resolve("guide.md");
        Files.writeString(
                markdown,
                String.join(
                        "\n",
                        "# Guide",
                        "<!-- not compiled: pseudo-code -->",
                        "```java",
                        "this is not Java",
                        "```",
                        "",
                        "```java",
                        "boolean on = flags.isEnabled(\"a\", user);",
                        "int wrong = flags.stringValue(\"b\", user, \"x\");",
                        "```",
                        ""));

        List<Block> blocks = javaBlocks(markdown);

        assertThat(blocks).extracting(Block::line).containsExactly(8);
        assertThat(compile(List.of(source("docs.guide", blocks.get(0)))))
                .singleElement()
                .asString()
                .endsWith("guide.md:9: incompatible types: java.lang.String cannot be converted to int");
    }

    static List<Block> javaBlocks(Path markdown) throws IOException {
        List<String> lines = Files.readAllLines(markdown);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).strip().equals("```java")) {
                continue;
            }
            int start = i + 1;
            StringBuilder code = new StringBuilder();
            for (i = start; i < lines.size() && !lines.get(i).strip().startsWith("```"); i++) {
                code.append(lines.get(i)).append('\n');
            }
            boolean optedOut =
                    start >= 2 && OPT_OUT.matcher(lines.get(start - 2)).matches();
            if (!optedOut) {
                blocks.add(new Block(markdown, start + 1, code.toString()));
            }
        }
        return blocks;
    }

    /** The block as a compilation unit; its lines keep their numbers in the Markdown file. */
    static JavaFileObject source(String pkg, Block block) {
        String code = block.code().replaceAll("(?m)^\\s*\\.\\.\\.\\s*$", "").replace("{ ... }", "{ }");
        StringBuilder header = new StringBuilder("package ").append(pkg).append(";");
        IMPORTS.forEach(i -> header.append(" import ").append(i).append(";"));
        // a fragment's imports go in front of its class; a blank line keeps the numbering
        Matcher imports = IMPORT.matcher(code);
        while (imports.find()) {
            header.append(' ').append(imports.group().strip());
        }
        code = IMPORT.matcher(code).replaceAll("");
        String name;
        String text;
        Matcher type = TYPE_DECLARATION.matcher(code);
        // the header takes one line, so that a diagnostic's line + (block line - 2) is the Markdown line
        if (type.find()) {
            name = "Unit" + block.line();
            text = header + "\n" + code;
        } else {
            name = "Block" + block.line();
            text = header + " class " + name + " extends " + Givens.class.getName()
                    + " { void run() throws Exception {\n" + code + "}}\n";
        }
        String file = ROOT.relativize(block.file()) + ":" + block.line();
        return new SimpleJavaFileObject(
                URI.create("string:///" + pkg.replace('.', '/') + "/" + name + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return text;
            }

            @Override
            public String getName() {
                return file;
            }
        };
    }

    /** The errors, each as "README.md:63: cannot find symbol ...", with the Markdown line. */
    static List<String> compile(List<JavaFileObject> units) throws IOException {
        if (units.isEmpty()) {
            return List.of();
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Path out = Files.createTempDirectory("docs-blocks");
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            files.setLocation(StandardLocation.CLASS_OUTPUT, List.of(out.toFile()));
            files.setLocation(StandardLocation.CLASS_PATH, classPath());
            boolean ok = javac.getTask(
                            new StringWriter(),
                            files,
                            diagnostics,
                            List.of("-proc:none", "-nowarn", "--release", "17"),
                            null,
                            units)
                    .call();
            List<String> errors = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    String where = d.getSource() == null ? "?" : d.getSource().getName();
                    String file = where.substring(0, where.lastIndexOf(':'));
                    long line = Long.parseLong(where.substring(where.lastIndexOf(':') + 1)) + d.getLineNumber() - 2;
                    errors.add(file + ":" + line + ": " + d.getMessage(Locale.ROOT));
                }
            }
            assertThat(ok || !errors.isEmpty())
                    .as("javac failed without an error")
                    .isTrue();
            return errors;
        } finally {
            try (Stream<Path> written = Files.walk(out)) {
                written.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static List<File> classPath() {
        // surefire hands the forked JVM a manifest-only jar; the real path is in this property
        String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Stream.of(path.split(File.pathSeparator)).map(File::new).toList();
    }
}
