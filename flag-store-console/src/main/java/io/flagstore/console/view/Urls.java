package io.flagstore.console.view;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** URL building for templates. */
public final class Urls {
    private Urls() {}

    /** {@code text} encoded for a path segment or query value. */
    public static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
