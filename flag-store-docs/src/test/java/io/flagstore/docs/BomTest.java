package io.flagstore.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * flag-store-bom has no parent (importing it must bring nothing but flag-store's versions), so its
 * version and its list are written out: they must match the build's modules. A module is published
 * unless it sets {@code maven.deploy.skip}. The install instructions in the docs name the same version.
 */
class BomTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theBomManagesEveryPublishedModuleAtTheProjectsVersion() throws Exception {
        Document root = read(ROOT.resolve("pom.xml"));
        Document bom = read(ROOT.resolve("flag-store-bom/pom.xml"));
        String version = child(root.getDocumentElement(), "version").getTextContent();

        assertThat(child(bom.getDocumentElement(), "version").getTextContent())
                .as("flag-store-bom's version")
                .isEqualTo(version);

        List<String> published = new ArrayList<>();
        NodeList modules = root.getElementsByTagName("module");
        for (int i = 0; i < modules.getLength(); i++) {
            Document module =
                    read(ROOT.resolve(modules.item(i).getTextContent()).resolve("pom.xml"));
            Element project = module.getDocumentElement();
            Element packaging = child(project, "packaging");
            boolean skipped = module.getElementsByTagName("maven.deploy.skip").getLength() > 0
                    && module.getElementsByTagName("maven.deploy.skip")
                            .item(0)
                            .getTextContent()
                            .equals("true");
            if (!skipped && (packaging == null || packaging.getTextContent().equals("jar"))) {
                published.add(child(project, "artifactId").getTextContent());
            }
        }
        assertThat(published).as("published modules").contains("flag-store-core", "flag-store-redis");

        List<String> managed = new ArrayList<>();
        NodeList dependencies = bom.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            assertThat(child(dependency, "version").getTextContent()).isEqualTo("${project.version}");
            managed.add(child(dependency, "artifactId").getTextContent());
        }
        assertThat(managed).as("flag-store-bom's dependencyManagement").containsExactlyInAnyOrderElementsOf(published);
    }

    @Test
    void theDocsNameTheBomAtTheProjectsVersion() throws Exception {
        String version = child(read(ROOT.resolve("pom.xml")).getDocumentElement(), "version")
                .getTextContent();
        Pattern named = Pattern.compile(
                "flag-store-bom:([^\"\\s]+)\"|<artifactId>flag-store-bom</artifactId>\\s*<version>([^<]+)</version>");
        List<String> found = new ArrayList<>();
        for (Path markdown : DocsCompileTest.markdownFiles().toList()) {
            Matcher m = named.matcher(Files.readString(markdown));
            while (m.find()) {
                found.add(ROOT.relativize(markdown) + ": " + (m.group(1) != null ? m.group(1) : m.group(2)));
            }
        }
        assertThat(found)
                .as("the BOM's version where the docs name it")
                .isNotEmpty()
                .allSatisfy(entry -> assertThat(entry).endsWith(": " + version));
    }

    private static Document read(Path pom) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    }

    /** The direct child element named so, or {@code null}. */
    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }
}
