package io.flagstore.redis.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Redis ACL users of docs/operations.md, "Access control", read from that file (so the tests
 * check what users copy) and created on a test server for one namespace.
 */
public final class DocumentedAcl {
    /** The roles documented there. */
    public enum Role {
        SERVICE("flag-service"),
        ADMIN("flag-admin");

        private final String documentedUser;

        Role(String documentedUser) {
            this.documentedUser = documentedUser;
        }
    }

    private static final String DOC_NAMESPACE = "{prod}";
    private static final String DOC_PASSWORD = ">CHANGE-ME";

    private DocumentedAcl() {}

    /**
     * Creates the documented user of {@code role} for {@code namespace} under the name {@code user}
     * with {@code password}, and returns a URI of the server with those credentials.
     */
    public static String create(RedisServerExtension redis, Role role, String namespace, String user, String password) {
        redis.execute(command(role, namespace, user, password));
        return redis.uri().replace("redis://", "redis://" + user + ":" + password + "@");
    }

    /**
     * Creates the documented user of {@code role} on every node of {@code cluster} (ACLs are per
     * node) and returns the cluster's URI with those credentials.
     */
    public static String create(
            RedisClusterExtension cluster, Role role, String namespace, String user, String password) {
        cluster.executeOnAll(command(role, namespace, user, password));
        return cluster.uri().replace("redis-cluster://", "redis-cluster://" + user + ":" + password + "@");
    }

    private static String[] command(Role role, String namespace, String user, String password) {
        List<String> words = new ArrayList<>(List.of(documentedLine(role).split("\\s+")));
        words.replaceAll(w -> w.replace(DOC_NAMESPACE, "{" + namespace + "}")
                .replace(DOC_PASSWORD, ">" + password)
                .replace(role.documentedUser, user));
        return words.toArray(String[]::new);
    }

    /** The {@code ACL SETUSER <user> ...} line of the role, as documented. */
    public static String documentedLine(Role role) {
        String prefix = "ACL SETUSER " + role.documentedUser + " ";
        List<String> lines;
        try {
            lines = Files.readAllLines(operationsDoc());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines.stream()
                .map(String::strip)
                .filter(l -> l.startsWith(prefix))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "docs/operations.md has no line starting '" + prefix + "' (section \"Access control\")"));
    }

    /** docs/operations.md of the checkout, found from a module directory (Maven's working directory) or the root. */
    private static Path operationsDoc() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path doc = dir.resolve("docs").resolve("operations.md");
            if (Files.isRegularFile(doc)) {
                return doc;
            }
        }
        throw new IllegalStateException(
                "docs/operations.md not found above " + Path.of("").toAbsolutePath());
    }
}
