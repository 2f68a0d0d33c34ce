package io.flagstore.redis.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Throw-away TLS material for tests, made with the {@code openssl} command (EC P-256, valid two
 * days): a test CA, a server certificate it signed for {@code 127.0.0.1}/{@code localhost}, a
 * certificate it signed for another host only, and an unrelated CA. Immutable once generated.
 */
public final class TestCertificates {
    /** A certificate and its private key, PEM files. */
    public record KeyPair(Path certificate, Path key) {}

    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    /**
     * Generates everything into {@code dir}.
     *
     * @throws IllegalStateException when openssl is missing or fails
     */
    public static TestCertificates generate(Path dir) {
        if (LocalBackend.findOnPath("openssl") == null) {
            throw new IllegalStateException("openssl not found on PATH; install it (apt-get install openssl)");
        }
        TestCertificates certs = new TestCertificates(dir);
        try {
            Files.createDirectories(dir);
            certs.authority("ca", "flag-store test CA");
            certs.authority("other-ca", "some other CA");
            certs.signed("server", "IP:127.0.0.1,DNS:localhost");
            certs.signed("wrong-host", "DNS:redis.example");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot generate test certificates in " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while generating test certificates", e);
        }
        return certs;
    }

    /** The CA that signed {@link #server()} and {@link #wrongHost()}. */
    public Path ca() {
        return dir.resolve("ca.crt");
    }

    /** A CA that signed nothing the server presents. */
    public Path otherCa() {
        return dir.resolve("other-ca.crt");
    }

    /** Signed by {@link #ca()} for {@code 127.0.0.1} and {@code localhost}. */
    public KeyPair server() {
        return pair("server");
    }

    /** Signed by {@link #ca()}, but for {@code redis.example} only. */
    public KeyPair wrongHost() {
        return pair("wrong-host");
    }

    private KeyPair pair(String name) {
        return new KeyPair(dir.resolve(name + ".crt"), dir.resolve(name + ".key"));
    }

    private void authority(String name, String commonName) throws IOException, InterruptedException {
        openssl(
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-days",
                "2",
                "-keyout",
                name + ".key",
                "-out",
                name + ".crt",
                "-subj",
                "/CN=" + commonName,
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign");
    }

    private void signed(String name, String subjectAltName) throws IOException, InterruptedException {
        openssl(
                "req",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                name + ".key",
                "-out",
                name + ".csr",
                "-subj",
                "/CN=" + name);
        Files.writeString(
                dir.resolve(name + ".ext"), "subjectAltName=" + subjectAltName + "\nextendedKeyUsage=serverAuth\n");
        openssl(
                "x509",
                "-req",
                "-in",
                name + ".csr",
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-days",
                "2",
                "-out",
                name + ".crt",
                "-extfile",
                name + ".ext");
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        CliRunner.run(cmd, dir);
    }
}
