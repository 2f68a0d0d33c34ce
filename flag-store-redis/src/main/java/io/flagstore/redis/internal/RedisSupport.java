package io.flagstore.redis.internal;

import io.flagstore.core.StoreUnavailableException;
import io.flagstore.redis.AccessDeniedException;
import io.flagstore.redis.RedisOptions;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.StaticCredentialsProvider;
import io.lettuce.core.cluster.RedisClusterURIUtil;
import io.lettuce.core.resource.EpollProvider;
import io.lettuce.core.resource.ExtendedKeepAliveSupport;
import io.lettuce.core.resource.IOUringProvider;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/** Lettuce plumbing shared by the admin and the source: URI, client options, error mapping. */
public final class RedisSupport {
    /** Replies only a cluster node gives to a client that does not follow the cluster's slots. */
    private static final Pattern CLUSTER_REPLY = Pattern.compile("\\b(?:MOVED|ASK) \\d+ |\\bCROSSSLOT\\b");

    /** Silence after which TCP keepalive starts probing a connection. */
    static final Duration KEEPALIVE_IDLE = Duration.ofSeconds(5);
    /** Time between keepalive probes. */
    static final Duration KEEPALIVE_INTERVAL = Duration.ofSeconds(1);
    /** Unanswered keepalive probes that end a connection. */
    static final int KEEPALIVE_PROBES = 3;
    /**
     * The shortest {@code TCP_USER_TIMEOUT}, whatever the command timeout: shorter would end healthy
     * connections over a few lost packets (the first retransmissions come 0.2 to 1 s apart).
     */
    static final Duration MIN_USER_TIMEOUT = Duration.ofSeconds(2);

    private RedisSupport() {}

    /** The Lettuce URI for {@code options}, command timeout applied (to the sentinels too, if any). */
    public static RedisURI redisUri(RedisOptions options) {
        RedisURI uri = RedisURI.create(options.uri());
        uri.setTimeout(options.commandTimeout());
        for (RedisURI sentinel : uri.getSentinels()) {
            sentinel.setTimeout(options.commandTimeout());
            if (options.sentinelPassword() != null) {
                sentinel.setCredentialsProvider(new StaticCredentialsProvider(
                        options.sentinelUser(), options.sentinelPassword().toCharArray()));
            }
        }
        return uri;
    }

    /**
     * The seed nodes of a {@code redis-cluster://} (or {@code rediss-cluster://}) URI, each with the
     * credentials, TLS and command timeout of the URI.
     */
    static List<RedisURI> clusterUris(RedisOptions options) {
        // Lettuce expands redis://a:1,b:2 into one URI per node, credentials and query applied to each
        List<RedisURI> uris =
                RedisClusterURIUtil.toRedisURIs(URI.create(options.uri().replaceFirst("-cluster:", ":")));
        uris.forEach(uri -> uri.setTimeout(options.commandTimeout()));
        return uris;
    }

    /**
     * Applies the socket options ({@link #socketOptions}) and the TLS trust material to {@code
     * builder} (a standalone or a cluster client's); callers may customise further. Peer
     * verification (certificate chain and host name) stays Lettuce's default, full.
     */
    static <B extends ClientOptions.Builder> B configure(B builder, RedisOptions options) {
        builder.socketOptions(socketOptions(options));
        if (options.trustedCertificate() != null) {
            builder.sslOptions(SslOptions.builder()
                    .jdkSslProvider()
                    .trustManager(options.trustedCertificate().toFile())
                    .build());
        }
        return builder;
    }

    /**
     * The connect timeout, and what ends a connection that a silent network partition left hanging
     * (no reset, no error: packets just vanish) so that Lettuce reconnects as soon as the path heals
     * instead of after the kernel's retransmission backoff (up to two minutes):
     *
     * <ul>
     *   <li>{@code TCP_USER_TIMEOUT}: a connection with data unacknowledged for the command timeout
     *       (at least {@link #MIN_USER_TIMEOUT}) is closed; a command connection is stuck exactly so.
     *       Needs a native transport (epoll, io_uring; flag-store ships epoll for Linux x86-64);
     *   <li>TCP keepalive probes after {@link #KEEPALIVE_IDLE} of silence, for connections that send
     *       nothing (a subscription between pushes), closed after {@link #KEEPALIVE_PROBES} unanswered
     *       ones (with {@code TCP_USER_TIMEOUT}, when that much time passed unanswered). Plain
     *       keepalive (the system's idle time, often two hours) where the transport has no per-socket
     *       settings.
     * </ul>
     */
    static SocketOptions socketOptions(RedisOptions options) {
        SocketOptions.Builder socket = SocketOptions.builder().connectTimeout(options.connectTimeout());
        if (extendedKeepAliveSupported()) {
            socket.keepAlive(SocketOptions.KeepAliveOptions.builder()
                    .enable()
                    .idle(KEEPALIVE_IDLE)
                    .interval(KEEPALIVE_INTERVAL)
                    .count(KEEPALIVE_PROBES)
                    .build());
        } else {
            socket.keepAlive(true);
        }
        if (EpollProvider.isAvailable() || IOUringProvider.isAvailable()) {
            Duration userTimeout = options.commandTimeout().compareTo(MIN_USER_TIMEOUT) < 0
                    ? MIN_USER_TIMEOUT
                    : options.commandTimeout();
            socket.tcpUserTimeout(SocketOptions.TcpUserTimeoutOptions.builder()
                    .enable()
                    .tcpUserTimeout(userTimeout)
                    .build());
        }
        return socket.build();
    }

    /**
     * Whether per-socket keepalive settings take effect. Lettuce 7 answers itself; Lettuce 6 (which
     * Spring Boot 3.5 manages) has no such check and applies them on native transports only.
     */
    private static boolean extendedKeepAliveSupported() {
        try {
            return ExtendedKeepAliveCheck.supported();
        } catch (NoClassDefFoundError lettuce6) {
            return EpollProvider.isAvailable() || IOUringProvider.isAvailable();
        }
    }

    /** Holds the reference to a Lettuce 7 class, so that loading RedisSupport never needs it. */
    private static final class ExtendedKeepAliveCheck {
        static boolean supported() {
            return ExtendedKeepAliveSupport.isSupported();
        }
    }

    /**
     * Maps a Lettuce failure to the flag-store hierarchy, keeping it as the cause; the message names
     * the command and the redacted URI, never the password.
     *
     * @param role what the ACL user needs, named in permission errors ({@code "admin"} or {@code "service"})
     */
    public static StoreUnavailableException translate(
            RuntimeException e, String command, RedisOptions options, String role) {
        String where = options.redactedUri();
        String detail = describe(e);
        if (!options.cluster() && CLUSTER_REPLY.matcher(detail).find()) {
            return new StoreUnavailableException(
                    "Redis at " + where + " is a cluster node (" + command + " got: " + detail
                            + "); use redis-cluster://host:port[,host:port...] (docs/operations.md, \"Redis Cluster\")",
                    e);
        }
        // NOPERM from a command; scripts report a refused inner command as "ERR The user executing the script can't
        // run..."
        if (detail.contains("NOPERM") || detail.contains("user executing the script can't")) {
            return new AccessDeniedException(
                    "Redis at " + where + " refused " + command + ": the Redis user needs the " + role
                            + " role (docs/operations.md, \"Access control\"): " + detail,
                    role,
                    e);
        }
        if ((detail.contains("WRONGPASS") || detail.contains("NOAUTH")) && detail.contains("Redis Sentinel")) {
            return new AccessDeniedException(
                    "the sentinels of " + where + " refused the credentials (the sentinels' are set apart from the"
                            + " URI's, which are the data nodes': RedisOptions.Builder.sentinelCredentials): " + detail,
                    e);
        }
        if (detail.contains("WRONGPASS") || detail.contains("NOAUTH")) {
            return new AccessDeniedException(
                    "Redis at " + where + " refused the credentials (check the user and password in the URI): "
                            + detail,
                    e);
        }
        if (detail.contains("READONLY")) {
            return new StoreUnavailableException(
                    "Redis at " + where + " refused " + command + ": the node is a read-only replica, not the master"
                            + " (a failover is in progress, or the URI names a replica; nothing was written): "
                            + detail,
                    e);
        }
        if (detail.contains("NOREPLICAS")) {
            return new StoreUnavailableException(
                    "Redis at " + where + " refused " + command + ": the master has fewer good replicas than its"
                            + " min-replicas-to-write (a replica is down or lagging, or this master was cut off in a"
                            + " failover; nothing was written): " + detail,
                    e);
        }
        if (tlsFailure(e)) {
            return new StoreUnavailableException(
                    "TLS handshake with Redis at " + where + " failed: the server's certificate is not trusted"
                            + " or does not name the host (trusted: "
                            + (options.trustedCertificate() == null
                                    ? "the JVM's default trust store"
                                    : options.trustedCertificate().toString())
                            + "; docs/operations.md, \"TLS\"): " + detail,
                    e);
        }
        if (e instanceof RedisCommandTimeoutException) {
            return new StoreUnavailableException(
                    "Redis at " + where + " did not answer " + command + " within " + options.commandTimeout(), e);
        }
        if (e instanceof RedisConnectionException) {
            return new StoreUnavailableException("cannot connect to Redis at " + where + ": " + detail, e);
        }
        return new StoreUnavailableException(command + " failed on Redis at " + where + ": " + detail, e);
    }

    private static boolean tlsFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The messages of {@code e} and its causes (connect errors hide WRONGPASS/NOPERM and TLS
     * certificate problems in a cause), bounded.
     */
    public static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null && sb.length() < 500; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (sb.indexOf(message) < 0) {
                sb.append(sb.length() == 0 ? "" : ": ").append(message);
            }
        }
        return sb.toString();
    }
}
