package io.flagstore.cli;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps Redis passwords out of everything flagctl prints: URIs are shown with the password masked,
 * and error text is scrubbed of the secret in any spelling it was given (raw or URL-decoded).
 */
final class Redaction {
    static final String MASK = "***";

    // scheme://userinfo@rest; userinfo is "password" or "user:password" in Redis URIs.
    private static final Pattern USERINFO = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://)([^@/]*)@(.*)$");

    private Redaction() {}

    /** The URI with its password replaced by {@value #MASK}; the user name stays visible. */
    static String uri(String uri) {
        if (uri == null) {
            return null;
        }
        Matcher m = USERINFO.matcher(uri);
        if (!m.matches()) {
            return uri;
        }
        String userinfo = m.group(2);
        int colon = userinfo.indexOf(':');
        String masked = colon < 0 ? MASK : userinfo.substring(0, colon + 1) + MASK;
        return m.group(1) + masked + "@" + m.group(3);
    }

    /** The secrets contained in {@code uri}: its password, raw and URL-decoded. */
    static Set<String> secrets(String uri) {
        Set<String> secrets = new LinkedHashSet<>();
        if (uri == null) {
            return secrets;
        }
        Matcher m = USERINFO.matcher(uri);
        if (m.matches()) {
            String userinfo = m.group(2);
            int colon = userinfo.indexOf(':');
            String password = colon < 0 ? userinfo : userinfo.substring(colon + 1);
            if (!password.isEmpty()) {
                secrets.add(password);
                try {
                    secrets.add(URLDecoder.decode(password, StandardCharsets.UTF_8));
                } catch (IllegalArgumentException malformedEscape) {
                    // the raw form is already masked
                }
            }
        }
        return secrets;
    }

    private static final Pattern ANY_URI_USERINFO = Pattern.compile("(rediss?(?:[+-]\\w+)?://)([^@/\\s]*)@");

    /** {@code text} with the password of every redis:// or rediss:// URI in it masked. */
    static String scrubUris(String text) {
        Matcher m = ANY_URI_USERINFO.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String userinfo = m.group(2);
            int colon = userinfo.indexOf(':');
            String masked = colon < 0 ? MASK : userinfo.substring(0, colon + 1) + MASK;
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + masked + "@"));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** {@code text} with the URI's password masked wherever it appears. */
    static String scrub(String text, String uri) {
        if (text == null) {
            return null;
        }
        String out = uri == null ? text : text.replace(uri, uri(uri));
        for (String secret : secrets(uri)) {
            out = out.replace(secret, MASK);
        }
        return scrubUris(out);
    }
}
