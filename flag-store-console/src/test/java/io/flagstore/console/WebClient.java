package io.flagstore.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP caller that keeps cookies itself: the JDK's cookie manager withholds Secure cookies from
 * http://127.0.0.1, which browsers send (a loopback origin is potentially trustworthy).
 */
final class WebClient {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, String> cookies = new LinkedHashMap<>();

    WebClient(String base) {
        this.base = base;
    }

    /** Signs in through the login form; returns the final status. */
    int login(String user, String password) {
        HttpResponse<String> page = send("GET", "/login", null, null, Map.of());
        Matcher m = CSRF.matcher(page.body());
        if (!m.find()) {
            throw new IllegalStateException("no csrf token on the login page");
        }
        String form = "csrf=" + enc(m.group(1)) + "&username=" + enc(user) + "&password=" + enc(password) + "&next=%2F";
        return send("POST", "/login", form, "application/x-www-form-urlencoded", Map.of())
                .statusCode();
    }

    /** The session's CSRF token, read from a page's form. */
    String csrfOf(String path) {
        HttpResponse<String> page = send("GET", path, null, null, Map.of());
        Matcher m = CSRF.matcher(page.body());
        return m.find() ? m.group(1) : null;
    }

    HttpResponse<String> get(String path) {
        return send("GET", path, null, null, Map.of());
    }

    HttpResponse<String> json(String method, String path, String body, Map<String, String> headers) {
        return send(method, path, body, "application/json", headers);
    }

    HttpResponse<String> form(String path, String form) {
        return send("POST", path, form, "application/x-www-form-urlencoded", Map.of());
    }

    HttpResponse<String> send(
            String method, String path, String body, String contentType, Map<String, String> headers) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
        if (!cookies.isEmpty()) {
            request.header(
                    "Cookie",
                    String.join(
                            "; ",
                            cookies.entrySet().stream()
                                    .map(e -> e.getKey() + "=" + e.getValue())
                                    .toList()));
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        request.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            for (String header : response.headers().allValues("Set-Cookie")) {
                String pair = header.split(";", 2)[0];
                int eq = pair.indexOf('=');
                String value = pair.substring(eq + 1);
                if (value.isEmpty() || header.contains("Max-Age=0")) {
                    cookies.remove(pair.substring(0, eq));
                } else {
                    cookies.put(pair.substring(0, eq), value);
                }
            }
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode parse(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
