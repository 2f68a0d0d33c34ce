package io.flagstore.redis;

import io.flagstore.redis.internal.KeySchema;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the flags live: the Redis URI, the namespace and timeouts. Taken by {@link FlagAdmin} and the
 * Redis flag source.
 *
 * <pre>{@code
 * RedisOptions options = RedisOptions.builder()
 *         .uri("rediss://flags:s3cret@redis.internal:6380/0")
 *         .namespace("prod")
 *         .build();
 * }</pre>
 *
 * <p>A Redis Cluster is named by {@code redis-cluster://[user:password@]host:port[,host:port...]}
 * (seed nodes; {@code rediss-cluster://} for TLS): docs/operations.md, "Redis Cluster".
 *
 * <p>With {@code rediss://} the server's certificate is always verified, host name included: against
 * the JVM's default trust store, or against {@link Builder#trustedCertificate(Path)} (docs/operations.md,
 * "TLS").
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows the password.
 */
public final class RedisOptions {
    /** Default URI: a local Redis on the standard port. */
    public static final String DEFAULT_URI = "redis://127.0.0.1:6379";
    /** Default namespace ({@code flagstore:{default}:...}). */
    public static final String DEFAULT_NAMESPACE = KeySchema.DEFAULT_NAMESPACE;
    /** Default time a command may take before it fails. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(5);
    /** Default time to establish a connection. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** The longest command or connect timeout accepted: a day (longer is a mistake, and overflows clock arithmetic). */
    public static final Duration MAX_TIMEOUT = Duration.ofDays(1);
    /** Default time a write waits for {@link #replicaAcks()} replicas (when that is not 0). */
    public static final Duration DEFAULT_REPLICA_ACK_TIMEOUT = Duration.ofSeconds(1);

    private static final String CLUSTER = "redis-cluster:";
    private static final String TLS_CLUSTER = "rediss-cluster:";
    /** The password of {@code //user:password@} or of {@code //password@} (Lettuce reads that as a password). */
    private static final Pattern USER_INFO = Pattern.compile("(//(?:[^/@:]*:)?)[^/@]*@");

    private static final Pattern SENTINEL_ADDRESS = Pattern.compile("[A-Za-z0-9._-]+(?::([0-9]{1,5}))?");
    private static final Pattern SENTINEL_MASTER_PARAMETER = Pattern.compile("(?:^|&)sentinelMasterId=[^&]+");
    /** Lettuce's {@code verifyPeer} URI parameter with any value but full verification. */
    private static final Pattern WEAK_VERIFY_PEER =
            Pattern.compile("(?i)(?:^|&)verifyPeer=(?!(?:full|true)(?:&|$))[^&]*");

    private final String uri;
    private final String namespace;
    private final Duration commandTimeout;
    private final Duration connectTimeout;
    private final Path trustedCertificate;
    private final int replicaAcks;
    private final Duration replicaAckTimeout;
    private final String sentinelUser;
    private final String sentinelPassword;

    private RedisOptions(Builder b) {
        this.uri = b.uri;
        this.namespace = b.namespace;
        this.commandTimeout = b.commandTimeout;
        this.connectTimeout = b.connectTimeout;
        this.trustedCertificate = b.trustedCertificate;
        this.replicaAcks = b.replicaAcks;
        this.replicaAckTimeout = b.replicaAckTimeout;
        this.sentinelUser = b.sentinelUser;
        this.sentinelPassword = b.sentinelPassword;
    }

    /** A builder with every default. */
    public static Builder builder() {
        return new Builder();
    }

    /** Options for {@code uri} with the default namespace and timeouts. */
    public static RedisOptions of(String uri) {
        return builder().uri(uri).build();
    }

    /** A builder initialised with these options. */
    public Builder toBuilder() {
        return builder()
                .uri(uri)
                .namespace(namespace)
                .commandTimeout(commandTimeout)
                .connectTimeout(connectTimeout)
                .trustedCertificate(trustedCertificate)
                .replicaAcks(replicaAcks, replicaAckTimeout)
                .sentinelCredentials(sentinelUser, sentinelPassword);
    }

    /** The Redis URI, credentials included; never null. Do not log it: use {@link #redactedUri()}. */
    public String uri() {
        return uri;
    }

    /** The URI with the password replaced by {@code ***}, safe for logs and messages. */
    public String redactedUri() {
        return redact(uri);
    }

    /** The namespace; never null. */
    public String namespace() {
        return namespace;
    }

    /** How long one command may take; positive. */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** How long connecting may take; positive. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * The PEM file of the certificate authorities trusted for {@code rediss://}, or {@code null} for
     * the JVM's default trust store.
     */
    public Path trustedCertificate() {
        return trustedCertificate;
    }

    /**
     * How many replicas must confirm each write of {@link FlagAdmin} ({@code WAIT}); 0, the default,
     * does not wait (docs/operations.md, "Replica acknowledgement").
     */
    public int replicaAcks() {
        return replicaAcks;
    }

    /** How long a write waits for {@link #replicaAcks()} replicas; positive. */
    public Duration replicaAckTimeout() {
        return replicaAckTimeout;
    }

    /**
     * The ACL user the sentinels are asked as, or {@code null} for their default user (or none set).
     */
    public String sentinelUser() {
        return sentinelUser;
    }

    /**
     * The password the sentinels are asked with, or {@code null} when they need none. Do not log it.
     */
    public String sentinelPassword() {
        return sentinelPassword;
    }

    /** Whether the URI asks for TLS ({@code rediss://}, {@code rediss-sentinel://} or {@code rediss-cluster://}). */
    public boolean tls() {
        return isTls(uri);
    }

    /** Whether the URI names a Redis Cluster ({@code redis-cluster://} or {@code rediss-cluster://}). */
    public boolean cluster() {
        return uri.startsWith(CLUSTER) || uri.startsWith(TLS_CLUSTER);
    }

    private static boolean namesSentinels(String uri) {
        return uri.startsWith("redis-sentinel:") || uri.startsWith("rediss-sentinel:");
    }

    private static boolean isTls(String uri) {
        return uri.startsWith("rediss:") || uri.startsWith("rediss-sentinel:") || uri.startsWith(TLS_CLUSTER);
    }

    /** Replaces the password of a {@code redis://[user:]password@host} string with {@code ***}. */
    static String redact(String uri) {
        return USER_INFO.matcher(uri).replaceFirst("$1***@");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RedisOptions other
                && uri.equals(other.uri)
                && namespace.equals(other.namespace)
                && commandTimeout.equals(other.commandTimeout)
                && connectTimeout.equals(other.connectTimeout)
                && Objects.equals(trustedCertificate, other.trustedCertificate)
                && replicaAcks == other.replicaAcks
                && replicaAckTimeout.equals(other.replicaAckTimeout)
                && Objects.equals(sentinelUser, other.sentinelUser)
                && Objects.equals(sentinelPassword, other.sentinelPassword);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                uri,
                namespace,
                commandTimeout,
                connectTimeout,
                trustedCertificate,
                replicaAcks,
                replicaAckTimeout,
                sentinelUser,
                sentinelPassword);
    }

    @Override
    public String toString() {
        return "RedisOptions[uri=" + redactedUri() + ", namespace=" + namespace + ", commandTimeout=" + commandTimeout
                + ", connectTimeout=" + connectTimeout
                + (trustedCertificate == null ? "" : ", trustedCertificate=" + trustedCertificate)
                + (replicaAcks == 0 ? "" : ", replicaAcks=" + replicaAcks + " within " + replicaAckTimeout)
                + (sentinelPassword == null
                        ? ""
                        : ", sentinelCredentials=" + (sentinelUser == null ? "" : sentinelUser) + ":***")
                + "]";
    }

    /** Builder for {@link RedisOptions}; each setter validates its argument. Not thread-safe. */
    public static final class Builder {
        private String uri = DEFAULT_URI;
        private String namespace = DEFAULT_NAMESPACE;
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Path trustedCertificate;
        private int replicaAcks;
        private Duration replicaAckTimeout = DEFAULT_REPLICA_ACK_TIMEOUT;
        private String sentinelUser;
        private String sentinelPassword;

        private Builder() {}

        /**
         * Sets the Redis URI: {@code redis://[user[:password]@]host[:port][/database]}, or
         * {@code rediss://} for TLS; or a Redis Cluster by its seed nodes,
         * {@code redis-cluster://[user[:password]@]host:port[,host:port...]} ({@code rediss-cluster://}
         * for TLS). Special characters in the password must be percent-encoded.
         *
         * <p>Behind Redis Sentinel: {@code redis-sentinel://[user[:password]@]host[:port][,host[:port]...][/database]#master}
         * (or {@code rediss-sentinel://}): the sentinels' addresses (port 26379 by default) and the master
         * name of their {@code sentinel monitor} line. Every connection, and every reconnection, asks the
         * sentinels for the current master. The URI's credentials are the data nodes'; sentinels that
         * need a password get it from {@link #sentinelCredentials} (docs/operations.md, "Sentinel").
         *
         * @throws IllegalArgumentException if it is not such a URI (the message hides the password)
         */
        public Builder uri(String uri) {
            Objects.requireNonNull(uri, "uri");
            URI parsed;
            try {
                parsed = new URI(uri);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("invalid Redis URI '" + redact(uri) + "': " + e.getReason());
            }
            String scheme = parsed.getScheme();
            if ("redis-sentinel".equals(scheme) || "rediss-sentinel".equals(scheme)) {
                requireSentinelAddress(uri, parsed);
            } else if ("redis-cluster".equals(scheme) || "rediss-cluster".equals(scheme)) {
                requireSeeds(uri, parsed);
            } else if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
                throw new IllegalArgumentException("invalid Redis URI '" + redact(uri)
                        + "': the scheme must be redis:// or rediss:// (TLS), redis-sentinel:// or"
                        + " rediss-sentinel:// for Sentinel, or redis-cluster:// or rediss-cluster:// for a cluster,"
                        + " not " + scheme);
            } else if (parsed.getHost() == null || parsed.getHost().isEmpty()) {
                throw new IllegalArgumentException("invalid Redis URI '" + redact(uri) + "': no host");
            }
            Matcher weakening = WEAK_VERIFY_PEER.matcher(parsed.getRawQuery() == null ? "" : parsed.getRawQuery());
            if (weakening.find()) {
                throw new IllegalArgumentException("invalid Redis URI '" + redact(uri) + "': " + weakening.group()
                        + " would weaken TLS; the server's certificate chain and host name are always verified"
                        + " (docs/operations.md, \"TLS\")");
            }
            this.uri = uri;
            return this;
        }

        /** Checks the comma-separated {@code host:port} seed nodes of a cluster URI (a cluster has database 0 only). */
        private static void requireSeeds(String uri, URI parsed) {
            String authority = parsed.getRawAuthority() == null ? "" : parsed.getRawAuthority();
            String seeds = authority.substring(authority.lastIndexOf('@') + 1);
            String invalid = "invalid Redis Cluster URI '" + redact(uri) + "': ";
            if (seeds.isEmpty()) {
                throw new IllegalArgumentException(invalid + "no seed node (host:port[,host:port...])");
            }
            for (String seed : seeds.split(",", -1)) {
                URI node;
                try {
                    node = new URI("redis://" + seed);
                } catch (URISyntaxException e) {
                    node = null;
                }
                if (node == null || node.getHost() == null || node.getPort() < 1 || node.getPort() > 65535) {
                    throw new IllegalArgumentException(invalid + "seed node '" + seed + "' is not host:port");
                }
            }
            String path = parsed.getRawPath() == null ? "" : parsed.getRawPath();
            if (!path.isEmpty() && !path.equals("/") && !path.equals("/0")) {
                throw new IllegalArgumentException(invalid + "a cluster has only database 0, not " + path.substring(1));
            }
        }

        /**
         * Sets the namespace (environment), {@code [a-z0-9][a-z0-9._-]{0,63}}.
         *
         * @throws IllegalArgumentException naming the value if invalid
         */
        public Builder namespace(String namespace) {
            this.namespace = KeySchema.validateNamespace(namespace);
            return this;
        }

        /**
         * Sets how long one command may take before it fails with a {@code StoreUnavailableException}.
         *
         * @throws IllegalArgumentException if not positive or over {@link #MAX_TIMEOUT}
         */
        public Builder commandTimeout(Duration commandTimeout) {
            this.commandTimeout = positive(commandTimeout, "commandTimeout");
            return this;
        }

        /**
         * Sets how long connecting may take.
         *
         * @throws IllegalArgumentException if not positive or over {@link #MAX_TIMEOUT}
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout");
            return this;
        }

        /**
         * Trusts the certificate authorities in this PEM file (one or more {@code -----BEGIN
         * CERTIFICATE-----} blocks) instead of the JVM's default trust store when connecting with
         * {@code rediss://}, e.g. a private CA that signed the Redis server's certificate. The server's
         * certificate must still be signed by one of them and name the host of the URI. {@code null}
         * restores the default.
         *
         * @throws IllegalArgumentException naming the file if it cannot be read or holds no certificate
         */
        public Builder trustedCertificate(Path pemFile) {
            if (pemFile != null) {
                requireCertificates(pemFile);
            }
            this.trustedCertificate = pemFile;
            return this;
        }

        /**
         * Makes every write of {@link FlagAdmin} wait until {@code replicas} replicas have it
         * ({@code WAIT replicas timeout} after the write script), so a failover to one of them cannot lose
         * it. A write that fewer replicas confirm within {@code timeout} is still applied and published on
         * the master; it throws {@link ReplicationException}. 0 (the default) does not wait. The wait
         * holds the admin's connection: other writes of the same admin queue behind it. {@code timeout}
         * must be shorter than {@link #commandTimeout(Duration)} (checked by {@link #build()}): the wait
         * is one command.
         *
         * @throws IllegalArgumentException if {@code replicas} is negative, or {@code timeout} is not
         *     positive or over {@link #MAX_TIMEOUT}
         */
        public Builder replicaAcks(int replicas, Duration timeout) {
            if (replicas < 0) {
                throw new IllegalArgumentException("replicaAcks must be 0 (off) or more, not " + replicas);
            }
            this.replicaAckTimeout = positive(timeout, "replicaAckTimeout");
            this.replicaAcks = replicas;
            return this;
        }

        /**
         * Sets the credentials the sentinels of a {@code redis-sentinel://} URI are asked with, for
         * sentinels with {@code requirepass} or ACL users (Redis 6.2+); the data nodes keep the URI's.
         * {@code password} {@code null} clears them.
         *
         * @param user the sentinels' ACL user, or {@code null} for their default user
         * @throws IllegalArgumentException if a user is given without a password
         */
        public Builder sentinelCredentials(String user, String password) {
            if (user != null && password == null) {
                throw new IllegalArgumentException("sentinel user '" + user + "' given without a password");
            }
            this.sentinelUser = user;
            this.sentinelPassword = password;
            return this;
        }

        /**
         * Builds the options.
         *
         * @throws IllegalArgumentException if a trusted certificate is set for a {@code redis://} URI
         *     (it would silently not be used: the connection would not be encrypted), if replica
         *     acknowledgement is on with a timeout not shorter than the command timeout, or if sentinel
         *     credentials are set for a URI that names no sentinels
         */
        public RedisOptions build() {
            if (sentinelPassword != null && !namesSentinels(uri)) {
                throw new IllegalArgumentException("sentinel credentials are set but the URI '" + redact(uri)
                        + "' names no sentinels: use redis-sentinel://");
            }
            if (replicaAcks > 0 && replicaAckTimeout.compareTo(commandTimeout) >= 0) {
                throw new IllegalArgumentException("replicaAckTimeout (" + replicaAckTimeout
                        + ") must be shorter than commandTimeout (" + commandTimeout + "): waiting for replicas"
                        + " is one Redis command");
            }
            if (trustedCertificate != null && !isTls(uri)) {
                throw new IllegalArgumentException(
                        "a trusted certificate (" + trustedCertificate + ") is set but the URI '" + redact(uri)
                                + "' is not TLS: use rediss:// (or rediss-sentinel://, rediss-cluster://)");
            }
            return new RedisOptions(this);
        }

        /** The sentinel list, master name and database of a {@code redis-sentinel://} URI. */
        private static void requireSentinelAddress(String uri, URI parsed) {
            String problem = null;
            String authority = parsed.getRawAuthority() == null ? "" : parsed.getRawAuthority();
            int at = authority.lastIndexOf('@');
            String hosts = authority.substring(at + 1);
            String query = parsed.getRawQuery() == null ? "" : parsed.getRawQuery();
            String path = parsed.getRawPath() == null ? "" : parsed.getRawPath();
            if (authority.substring(0, Math.max(at, 0)).contains(",")) {
                problem = "the sentinels go after the credentials (password@host1,host2); percent-encode a ',' in the"
                        + " password";
            } else if (hosts.isEmpty()) {
                problem = "no sentinel host";
            } else if (!path.isEmpty() && !path.matches("/[0-9]{0,5}")) {
                problem = "the path must be a database number, not " + path;
            } else if ((parsed.getFragment() == null || parsed.getFragment().isEmpty())
                    && !SENTINEL_MASTER_PARAMETER.matcher(query).find()) {
                problem = "no master name: add #<master>, the name of the sentinels' 'sentinel monitor' line";
            }
            for (String host : hosts.split(",", -1)) {
                Matcher address = SENTINEL_ADDRESS.matcher(host);
                if (problem == null
                        && (!address.matches() || address.group(1) != null && !validPort(address.group(1)))) {
                    problem = "malformed sentinel address '" + host + "': list them as host[:port],host[:port]";
                }
            }
            if (problem != null) {
                throw new IllegalArgumentException("invalid Redis URI '" + redact(uri) + "': " + problem);
            }
        }

        private static boolean validPort(String port) {
            int p = Integer.parseInt(port);
            return p >= 1 && p <= 65_535;
        }

        private static void requireCertificates(Path pemFile) {
            try (InputStream in = Files.newInputStream(pemFile)) {
                if (CertificateFactory.getInstance("X.509")
                        .generateCertificates(in)
                        .isEmpty()) {
                    throw new IllegalArgumentException("trusted certificate file " + pemFile + " holds no certificate");
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the trusted certificate file " + pemFile + ": " + e);
            } catch (CertificateException e) {
                throw new IllegalArgumentException(
                        "trusted certificate file " + pemFile + " is not a PEM certificate: " + e.getMessage());
            }
        }

        private static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, not " + value);
            }
            if (value.compareTo(MAX_TIMEOUT) > 0) {
                throw new IllegalArgumentException(name + " must be at most " + MAX_TIMEOUT + ", not " + value);
            }
            return value;
        }
    }
}
