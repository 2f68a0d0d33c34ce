package io.flagstore.core.model;

import static java.util.Map.entry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Orders problem paths as the fields appear in the canonical form, so that reading problems and
 * validation problems come out interleaved in document order. Paths that cannot be ordered (names
 * the format does not fix, such as variant names) compare equal, keeping the order they were found
 * in (the sort is stable).
 */
final class ProblemOrder implements Comparator<String> {
    private static final Map<String, List<String>> FIELDS = Map.of(
            "document",
            List.of("flags", "segments"),
            "flag",
            List.of(
                    "key",
                    "type",
                    "enabled",
                    "variants",
                    "offVariant",
                    "targets",
                    "rules",
                    "fallthrough",
                    "prerequisites",
                    "salt",
                    "description",
                    "owner",
                    "tags",
                    "temporary",
                    "expiresAt",
                    "createdAt",
                    "updatedAt",
                    "updatedBy",
                    "version"),
            "segment",
            List.of("key", "description", "included", "excluded", "rules", "updatedAt", "version"),
            "rule",
            List.of("id", "description", "clauses", "serve"),
            "clause",
            List.of("attribute", "op", "values", "negate"),
            "serve",
            List.of("variant", "rollout"),
            "rollout",
            List.of("variants", "bucketBy"),
            "slice",
            List.of("variant", "weight"),
            "prerequisite",
            List.of("flagKey", "variant"));
    private static final Map<String, String> CHILD = Map.ofEntries(
            entry("document.flags", "flag"),
            entry("document.segments", "segment"),
            entry("flag.rules", "rule"),
            entry("flag.fallthrough", "serve"),
            entry("flag.prerequisites", "prerequisite"),
            entry("segment.rules", "rule"),
            entry("rule.clauses", "clause"),
            entry("rule.serve", "serve"),
            entry("serve.rollout", "rollout"),
            entry("rollout.variants", "slice"));

    private final String rootKind;

    /** @param rootKind {@code flag}, {@code segment} or {@code document} */
    ProblemOrder(String rootKind) {
        this.rootKind = rootKind;
    }

    @Override
    public int compare(String a, String b) {
        List<String> ta = tokens(a);
        List<String> tb = tokens(b);
        String kind = rootKind;
        for (int i = 0; i < Math.min(ta.size(), tb.size()); i++) {
            String x = ta.get(i);
            String y = tb.get(i);
            boolean xIndex = isIndex(x);
            if (xIndex != isIndex(y)) {
                return 0;
            }
            if (!x.equals(y)) {
                if (xIndex) {
                    return Integer.compare(Integer.parseInt(x.substring(1)), Integer.parseInt(y.substring(1)));
                }
                List<String> fields = FIELDS.getOrDefault(kind, List.of());
                int rx = fields.indexOf(x);
                int ry = fields.indexOf(y);
                return rx < 0 || ry < 0 ? 0 : Integer.compare(rx, ry);
            }
            if (!xIndex) {
                kind = CHILD.getOrDefault(kind + "." + x, "");
            }
        }
        // a problem with a whole part before problems inside it
        return Integer.compare(ta.size(), tb.size());
    }

    private static boolean isIndex(String token) {
        return token.startsWith("#");
    }

    /** Splits {@code a.b[1]["c.d"]} into {@code a, b, #1, c.d}. */
    private static List<String> tokens(String path) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < path.length()) {
            char c = path.charAt(i);
            if (c == '.') {
                i++;
            } else if (c == '[' && i + 1 < path.length() && path.charAt(i + 1) == '"') {
                StringBuilder name = new StringBuilder();
                for (i += 2; i < path.length() && path.charAt(i) != '"'; i++) {
                    if (path.charAt(i) == '\\' && i + 1 < path.length()) {
                        i++;
                    }
                    name.append(path.charAt(i));
                }
                tokens.add(name.toString());
                i += 2;
            } else if (c == '[') {
                int end = path.indexOf(']', i);
                tokens.add("#" + path.substring(i + 1, end));
                i = end + 1;
            } else {
                int end = i;
                while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
                    end++;
                }
                tokens.add(path.substring(i, end));
                i = end;
            }
        }
        return tokens;
    }
}
