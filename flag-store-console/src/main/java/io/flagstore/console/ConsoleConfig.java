package io.flagstore.console;

import io.flagstore.redis.RedisOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How the console runs: where Redis is, which namespaces it shows, where it listens and how people
 * log in. Every option is a command-line flag with an environment variable of the same meaning
 * (the flag wins), listed by {@link #usage()}; secrets (the OIDC client secret, the Redis password
 * inside the URL) are best given through the environment, which {@code ps} does not show.
 *
 * <p>Immutable and thread-safe.
 */
public final class ConsoleConfig {
    /** The options: flag name to environment variable and description. */
    private static final Map<String, String[]> OPTIONS = new LinkedHashMap<>();

    static {
        option(
                "redis",
                "FLAGSTORE_REDIS_URL",
                "Redis URL (redis://, rediss://, redis-sentinel://, redis-cluster://); default "
                        + RedisOptions.DEFAULT_URI);
        option("redis-ca", "FLAGSTORE_REDIS_CA", "CA certificate(s), PEM, trusted for rediss://");
        option(
                "namespaces",
                "FLAGSTORE_NAMESPACES",
                "comma-separated namespaces shown (default: FLAGSTORE_NAMESPACE or " + RedisOptions.DEFAULT_NAMESPACE
                        + ")");
        option("bind", "CONSOLE_BIND", "address to listen on (default 127.0.0.1)");
        option("port", "CONSOLE_PORT", "port to listen on (default 8080; 0 picks a free one)");
        option(
                "public-url",
                "CONSOLE_PUBLIC_URL",
                "the URL people open, e.g. https://flags.example.com (default http://BIND:PORT)");
        option(
                "users",
                "CONSOLE_USERS_FILE",
                "users file: 'name pbkdf2-hash grants' per line (bin/console hash-password)");
        option(
                "tokens",
                "CONSOLE_TOKENS_FILE",
                "API tokens file: 'name sha256 grants' per line (bin/console new-token)");
        option("oidc-issuer", "CONSOLE_OIDC_ISSUER", "OpenID Connect issuer URL (enables 'Sign in with SSO')");
        option("oidc-client-id", "CONSOLE_OIDC_CLIENT_ID", "OIDC client id");
        option(
                "oidc-client-secret",
                "CONSOLE_OIDC_CLIENT_SECRET",
                "OIDC client secret (prefer the environment variable)");
        option(
                "oidc-roles-claim",
                "CONSOLE_OIDC_ROLES_CLAIM",
                "ID token claim holding grants such as operator@prod (default flagstore_roles)");
        option(
                "oidc-default-grants",
                "CONSOLE_OIDC_DEFAULT_GRANTS",
                "grants of every OIDC user, added to the claim's (default none)");
        option(
                "proxy-user-header",
                "CONSOLE_PROXY_USER_HEADER",
                "trusted reverse proxy: header naming the user (enables proxy mode)");
        option(
                "proxy-roles-header",
                "CONSOLE_PROXY_ROLES_HEADER",
                "trusted reverse proxy: header holding the grants (default X-Flagstore-Roles)");
        option(
                "trusted-proxies",
                "CONSOLE_TRUSTED_PROXIES",
                "addresses whose proxy headers are believed (default 127.0.0.1,::1)");
        option("session-idle", "CONSOLE_SESSION_IDLE", "sessions end after this long without a request (default 30m)");
        option("session-max", "CONSOLE_SESSION_MAX", "sessions end this long after login (default 12h)");
        option("read-only", "CONSOLE_READ_ONLY", "true: never write, even when Redis would allow it");
        option(
                "presence-key-file",
                "CONSOLE_PRESENCE_KEY_FILE",
                "PEM private key its presence is signed with (flagctl trust keygen), for namespaces with trusted"
                        + " keys (default: a new key at every start)");
    }

    private static void option(String name, String env, String description) {
        OPTIONS.put(name, new String[] {env, description});
    }

    final String redisUri;
    final Path redisCa;
    final List<String> namespaces;
    final String bind;
    final int port;
    final URI publicUrl;
    final Path usersFile;
    final Path tokensFile;
    final URI oidcIssuer;
    final String oidcClientId;
    final String oidcClientSecret;
    final String oidcRolesClaim;
    final Grants oidcDefaultGrants;
    final String proxyUserHeader;
    final String proxyRolesHeader;
    final List<String> trustedProxies;
    final Duration sessionIdle;
    final Duration sessionMax;
    final boolean readOnly;
    final Path presenceKeyFile;

    private ConsoleConfig(Map<String, String> v) {
        redisUri = v.getOrDefault("redis", RedisOptions.DEFAULT_URI);
        redisCa = v.containsKey("redis-ca") ? Path.of(v.get("redis-ca")) : null;
        namespaces = List.of(
                v.getOrDefault("namespaces", RedisOptions.DEFAULT_NAMESPACE).split("\\s*,\\s*"));
        bind = v.getOrDefault("bind", "127.0.0.1");
        port = integer("port", v.getOrDefault("port", "8080"));
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0..65535, not " + port);
        }
        String defaultUrl = "http://" + (bind.contains(":") ? "[" + bind + "]" : bind) + ":" + port;
        publicUrl = uri("public-url", v.getOrDefault("public-url", defaultUrl));
        usersFile = v.containsKey("users") ? Path.of(v.get("users")) : null;
        tokensFile = v.containsKey("tokens") ? Path.of(v.get("tokens")) : null;
        oidcIssuer = v.containsKey("oidc-issuer") ? uri("oidc-issuer", v.get("oidc-issuer")) : null;
        oidcClientId = v.get("oidc-client-id");
        oidcClientSecret = v.get("oidc-client-secret");
        if (oidcIssuer != null && oidcClientId == null) {
            throw new IllegalArgumentException("--oidc-issuer needs --oidc-client-id");
        }
        oidcRolesClaim = v.getOrDefault("oidc-roles-claim", "flagstore_roles");
        oidcDefaultGrants = Grants.parse(v.getOrDefault("oidc-default-grants", ""));
        proxyUserHeader = v.get("proxy-user-header");
        proxyRolesHeader = v.getOrDefault("proxy-roles-header", "X-Flagstore-Roles");
        trustedProxies = List.of(v.getOrDefault("trusted-proxies", "127.0.0.1,::1,0:0:0:0:0:0:0:1")
                .split("\\s*,\\s*"));
        sessionIdle = duration("session-idle", v.getOrDefault("session-idle", "30m"));
        sessionMax = duration("session-max", v.getOrDefault("session-max", "12h"));
        readOnly = Boolean.parseBoolean(v.getOrDefault("read-only", "false"));
        presenceKeyFile = v.containsKey("presence-key-file") ? Path.of(v.get("presence-key-file")) : null;
        if (usersFile == null && oidcIssuer == null && proxyUserHeader == null && tokensFile == null) {
            throw new IllegalArgumentException(
                    "no way to log in: give --users (a users file), --oidc-issuer, or --proxy-user-header");
        }
        for (String ns : namespaces) {
            redisOptions(ns); // validates the URL and the namespace now rather than at the first request
        }
    }

    /**
     * Reads the options from command-line arguments ({@code --name value} or {@code --name=value})
     * over environment variables.
     *
     * @throws IllegalArgumentException naming an unknown option or a bad value
     */
    public static ConsoleConfig parse(List<String> args, Map<String, String> env) {
        Objects.requireNonNull(args, "args");
        Objects.requireNonNull(env, "env");
        Map<String, String> values = new LinkedHashMap<>();
        OPTIONS.forEach((name, meta) -> {
            String value = env.get(meta[0]);
            if (value != null && !value.isBlank()) {
                values.put(name, value);
            }
        });
        if (!values.containsKey("namespaces") && env.get("FLAGSTORE_NAMESPACE") != null) {
            values.put("namespaces", env.get("FLAGSTORE_NAMESPACE"));
        }
        List<String> rest = new ArrayList<>(args);
        while (!rest.isEmpty()) {
            String arg = rest.remove(0);
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "' (options are --name value)");
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (name.equals("read-only")) {
                value = "true";
            } else if (rest.isEmpty()) {
                throw new IllegalArgumentException("--" + name + " needs a value");
            } else {
                value = rest.remove(0);
            }
            if (!OPTIONS.containsKey(name)) {
                throw new IllegalArgumentException("unknown option --" + name + " (--help lists them)");
            }
            values.put(name, value);
        }
        return new ConsoleConfig(values);
    }

    /** The options, one per line: flag, environment variable, meaning. */
    public static String usage() {
        StringBuilder text = new StringBuilder();
        OPTIONS.forEach((name, meta) ->
                text.append(String.format(Locale.ROOT, "  --%-20s %-28s %s%n", name, meta[0], meta[1])));
        return text.toString();
    }

    /** The Redis options for one namespace. */
    RedisOptions redisOptions(String namespace) {
        return RedisOptions.builder()
                .uri(redisUri)
                .namespace(namespace)
                .trustedCertificate(redisCa)
                .build();
    }

    private static int integer(String name, String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, not '" + text + "'", e);
        }
    }

    private static URI uri(String name, String text) {
        try {
            URI uri = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("no scheme or host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + name + " must be an absolute URL, not '" + text + "'", e);
        }
    }

    /** {@code 30s}, {@code 15m}, {@code 12h}, {@code 2d} or an ISO-8601 duration. */
    static Duration duration(String name, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.matches("[0-9]+(ms|s|m|h|d)")) {
                long n = Long.parseLong(t.replaceAll("[a-z]+$", ""));
                String unit = t.replaceAll("^[0-9]+", "");
                Duration d =
                        switch (unit) {
                            case "ms" -> Duration.ofMillis(n);
                            case "s" -> Duration.ofSeconds(n);
                            case "m" -> Duration.ofMinutes(n);
                            case "h" -> Duration.ofHours(n);
                            default -> Duration.ofDays(n);
                        };
                if (!d.isZero()) {
                    return d;
                }
            } else {
                Duration d = Duration.parse(text.trim());
                if (!d.isNegative() && !d.isZero()) {
                    return d;
                }
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                "--" + name + " must be a positive duration such as 30m, not '" + text + "'");
    }

    @Override
    public String toString() {
        return "ConsoleConfig[namespaces=" + namespaces + ", bind=" + bind + ", port=" + port + ", auth="
                + String.join(
                        "+",
                        Arrays.asList(
                                        usersFile != null ? "users" : null,
                                        oidcIssuer != null ? "oidc" : null,
                                        proxyUserHeader != null ? "proxy" : null,
                                        tokensFile != null ? "tokens" : null)
                                .stream()
                                .filter(Objects::nonNull)
                                .toList())
                + "]";
    }
}
