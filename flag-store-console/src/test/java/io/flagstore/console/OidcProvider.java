package io.flagstore.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenID Connect provider for the tests: NAV's mock-oauth2-server (from Maven Central) run as
 * its own process on a free 127.0.0.1 port, with its interactive login page (user name and claims
 * typed in the browser). Stopped by {@link #close()} through its PID.
 */
final class OidcProvider implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private OidcProvider(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static OidcProvider start() throws IOException, InterruptedException {
        int port = freePort();
        Path log = Files.createTempFile("mock-oidc", ".log");
        ProcessBuilder builder = new ProcessBuilder(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                "no.nav.security.mock.oauth2.StandaloneMockOAuth2ServerKt");
        builder.environment().put("SERVER_HOSTNAME", "127.0.0.1");
        builder.environment().put("SERVER_PORT", Integer.toString(port));
        builder.environment().put("JSON_CONFIG", "{\"interactiveLogin\": true}");
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        OidcProvider provider = new OidcProvider(builder.start(), port, log);
        provider.awaitReady();
        return provider;
    }

    /** The issuer URL ({@code http://127.0.0.1:PORT/default}). */
    String issuer() {
        return "http://127.0.0.1:" + port + "/default";
    }

    private void awaitReady() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the OIDC provider exited: " + Files.readString(log));
            }
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(URI.create(issuer() + "/.well-known/openid-configuration"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(100);
        }
        close();
        throw new IllegalStateException("the OIDC provider did not answer within 60 s: " + Files.readString(log));
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
