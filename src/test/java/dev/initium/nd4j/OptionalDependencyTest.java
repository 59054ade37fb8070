package dev.initium.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * ND4J and DL4J stay optional for Initium's users, read from the build itself (pom.xml): every
 * org.nd4j and org.deeplearning4j dependency of the project is {@code provided} (compiled against,
 * never passed on) or {@code test}, so neither a library user's class path nor {@code target/lib}
 * (the launcher's runtime class path, copied with includeScope=runtime) gets them; and
 * nd4j-cuda-11.6 is compile-only, its native jars excluded.
 */
class OptionalDependencyTest {
    @Test
    void nd4jAndDl4jAreProvidedOrTestOnly() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        Element project = pom.getDocumentElement();
        Element deps = child(project, "dependencies");
        List<String> seen = new ArrayList<>();
        NodeList list = deps.getElementsByTagName("dependency");
        for (int i = 0; i < list.getLength(); i++) {
            Element d = (Element) list.item(i);
            if (d.getParentNode() != deps) {
                continue;
            }
            String group = text(d, "groupId");
            if (!group.equals("org.nd4j") && !group.equals("org.deeplearning4j")) {
                continue;
            }
            String artifact = text(d, "artifactId");
            String scope = text(d, "scope");
            seen.add(artifact + ":" + scope);
            assertTrue(scope.equals("provided") || scope.equals("test"), artifact + " has scope '" + scope + "'");
            if (artifact.equals("nd4j-cuda-11.6")) {
                assertEquals("provided", scope);
                Element ex = (Element) child(d, "exclusions").getElementsByTagName("exclusion").item(0);
                assertEquals("*", text(ex, "groupId"));
                assertEquals("*", text(ex, "artifactId"));
            }
        }
        assertTrue(seen.contains("deeplearning4j-nn:provided") && seen.contains("nd4j-cuda-11.6:provided") && seen.contains("nd4j-native:test"), seen.toString());
    }

    private static Element child(Element e, String name) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.getTagName().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no <" + name + "> in <" + e.getTagName() + ">");
    }

    private static String text(Element e, String name) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.getTagName().equals(name)) {
                return c.getTextContent().trim();
            }
        }
        return "compile";
    }
}
