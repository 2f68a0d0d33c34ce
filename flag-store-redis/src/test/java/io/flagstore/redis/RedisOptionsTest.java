package io.flagstore.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisOptionsTest {

    @Test
    void defaultsAreTheNamedConstants() {
        RedisOptions options = RedisOptions.builder().build();
        assertThat(options.uri()).isEqualTo(RedisOptions.DEFAULT_URI);
        assertThat(options.namespace()).isEqualTo("default");
        assertThat(options.commandTimeout()).isEqualTo(RedisOptions.DEFAULT_COMMAND_TIMEOUT);
        assertThat(options.connectTimeout()).isEqualTo(RedisOptions.DEFAULT_CONNECT_TIMEOUT);
    }

    @Test
    void toStringNeverShowsThePassword() {
        RedisOptions options = RedisOptions.builder()
                .uri("rediss://flags:s3cret@redis.internal:6380/2")
                .namespace("prod")
                .build();
        assertThat(options.uri()).contains("s3cret");
        assertThat(options.toString()).doesNotContain("s3cret").contains("rediss://flags:***@redis.internal:6380/2");
        assertThat(RedisOptions.of("redis://:pw@h:1").redactedUri()).isEqualTo("redis://:***@h:1");
        assertThat(RedisOptions.of("redis://h:1").redactedUri()).isEqualTo("redis://h:1");
    }

    @Test
    void refusesBadValuesNamingThem() {
        assertThatThrownBy(() -> RedisOptions.of("http://h:1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("redis:// or rediss://")
                .hasMessageContaining("http");
        assertThatThrownBy(() -> RedisOptions.of("redis://u:secret pw@h"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> RedisOptions.of("redis:///0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no host");
        assertThatThrownBy(() -> RedisOptions.builder().namespace("Prod"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'Prod'");
        assertThatThrownBy(() -> RedisOptions.builder().commandTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("commandTimeout")
                .hasMessageContaining("PT0S");
    }

    @Test
    void toBuilderKeepsEveryValue() {
        RedisOptions options = RedisOptions.builder()
                .uri("redis://h:1")
                .namespace("x")
                .commandTimeout(Duration.ofMillis(300))
                .connectTimeout(Duration.ofSeconds(1))
                .replicaAcks(2, Duration.ofMillis(200))
                .build();
        assertThat(options.toBuilder().build()).isEqualTo(options).hasSameHashCodeAs(options);
        assertThat(options.replicaAcks()).isEqualTo(2);
        assertThat(options.replicaAckTimeout()).isEqualTo(Duration.ofMillis(200));
        assertThat(options.toString()).contains("replicaAcks=2 within PT0.2S");
    }

    @Test
    void replicaAcknowledgementIsOffByDefault() {
        RedisOptions options = RedisOptions.builder().build();
        assertThat(options.replicaAcks()).isZero();
        assertThat(options.replicaAckTimeout()).isEqualTo(RedisOptions.DEFAULT_REPLICA_ACK_TIMEOUT);
        assertThat(options.toString()).doesNotContain("replicaAcks");
    }

    @Test
    void refusesBadReplicaAcknowledgementNamingTheValue() {
        assertThatThrownBy(() -> RedisOptions.builder().replicaAcks(-1, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("replicaAcks")
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> RedisOptions.builder().replicaAcks(1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("replicaAckTimeout")
                .hasMessageContaining("PT0S");
        assertThatThrownBy(() -> RedisOptions.builder().replicaAcks(1, Duration.ofDays(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most");
        assertThatThrownBy(() -> RedisOptions.builder()
                        .commandTimeout(Duration.ofSeconds(2))
                        .replicaAcks(1, Duration.ofSeconds(2))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("replicaAckTimeout (PT2S) must be shorter than commandTimeout (PT2S)");
    }

    @Test
    void acceptsClusterUrisWithSeedNodes() {
        RedisOptions plain = RedisOptions.of("redis-cluster://10.0.0.1:7000,10.0.0.2:7001");
        assertThat(plain.cluster()).isTrue();
        assertThat(plain.tls()).isFalse();
        RedisOptions tls = RedisOptions.of("rediss-cluster://flags:s3cret@n1.internal:7000,n2.internal:7000/0");
        assertThat(tls.cluster()).isTrue();
        assertThat(tls.tls()).isTrue();
        assertThat(tls.redactedUri()).isEqualTo("rediss-cluster://flags:***@n1.internal:7000,n2.internal:7000/0");
        assertThat(tls.toString()).doesNotContain("s3cret");
        assertThat(RedisOptions.of("redis://h:1").cluster()).isFalse();
    }

    @Test
    void refusesMalformedClusterUrisNamingTheProblem() {
        assertThatThrownBy(() -> RedisOptions.of("redis-cluster:///"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no seed node");
        assertThatThrownBy(() -> RedisOptions.of("redis-cluster://u:secret@n1:7000,n2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("seed node 'n2' is not host:port")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> RedisOptions.of("redis-cluster://n1:7000,,n2:7000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("seed node '' is not host:port");
        assertThatThrownBy(() -> RedisOptions.of("redis-cluster://n1:99999"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'n1:99999'");
        assertThatThrownBy(() -> RedisOptions.of("redis-cluster://n1:7000/3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only database 0");
        assertThatThrownBy(() -> RedisOptions.of("rediss-cluster://n1:7000?verifyPeer=NONE"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("weaken TLS");
        assertThatThrownBy(() -> RedisOptions.of("redis-sharded://n1:7000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("redis-cluster://");
    }

    @Test
    void acceptsSentinelUris() {
        RedisOptions options =
                RedisOptions.of("redis-sentinel://flags:s3cret@10.0.0.1:26379,10.0.0.2,s3.internal:26380/2#prod-flags");
        assertThat(options.redactedUri())
                .isEqualTo("redis-sentinel://flags:***@10.0.0.1:26379,10.0.0.2,s3.internal:26380/2#prod-flags");
        assertThat(options.tls()).isFalse();
        assertThat(RedisOptions.of("rediss-sentinel://:pw@h1#m").tls()).isTrue();
        assertThat(RedisOptions.of("rediss-sentinel://:pw@h1#m").redactedUri())
                .isEqualTo("rediss-sentinel://:***@h1#m");
        assertThat(RedisOptions.of("redis-sentinel://h1:26379?sentinelMasterId=m")
                        .uri())
                .isEqualTo("redis-sentinel://h1:26379?sentinelMasterId=m");
    }

    @Test
    void aPasswordWithoutUserIsRedactedToo() {
        // Lettuce reads redis://secret@host as a password
        assertThat(RedisOptions.of("redis://secret@h:1").redactedUri()).isEqualTo("redis://***@h:1");
        assertThat(RedisOptions.of("redis-sentinel://secret@h1,h2#m").redactedUri())
                .isEqualTo("redis-sentinel://***@h1,h2#m");
    }

    @Test
    void refusesMalformedSentinelUrisSayingWhatIsWrong() {
        assertThatThrownBy(() -> RedisOptions.of("redis-sentinel://u:secret@h1:26379,h2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no master name: add #<master>")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> RedisOptions.of("redis-sentinel://h1:26379,,h2#m"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("malformed sentinel address ''");
        assertThatThrownBy(() -> RedisOptions.of("redis-sentinel://h1:99999#m"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("malformed sentinel address 'h1:99999'");
        assertThatThrownBy(() -> RedisOptions.of("redis-sentinel://h1:x#m"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("h1:x");
        assertThatThrownBy(() -> RedisOptions.of("redis-sentinel://#m"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no sentinel host");
        assertThatThrownBy(() -> RedisOptions.of("redis-sentinel://h1/prod#m"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the path must be a database number, not /prod");
        assertThatThrownBy(() -> RedisOptions.of("redis-sentinel://h1:1,pw@h2#m"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the sentinels go after the credentials")
                .hasMessageNotContaining("pw@");
        assertThatThrownBy(() -> RedisOptions.builder()
                        .uri("redis-sentinel://h1#m")
                        .trustedCertificate(null)
                        .uri("redis-sentinel://h1?verifyPeer=NONE#m"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("would weaken TLS");
    }

    @Test
    void sentinelCredentialsAreKeptApartAndNeverShown() {
        RedisOptions options = RedisOptions.builder()
                .uri("redis-sentinel://flags:data-pw@h1,h2#m")
                .sentinelCredentials("watcher", "sentinel-pw")
                .build();
        assertThat(options.sentinelUser()).isEqualTo("watcher");
        assertThat(options.sentinelPassword()).isEqualTo("sentinel-pw");
        assertThat(options.toString())
                .contains("sentinelCredentials=watcher:***")
                .doesNotContain("sentinel-pw")
                .doesNotContain("data-pw");
        assertThat(options.toBuilder().build()).isEqualTo(options).hasSameHashCodeAs(options);
        assertThat(options.toBuilder().sentinelCredentials(null, null).build().sentinelPassword())
                .isNull();
    }

    @Test
    void refusesSentinelCredentialsThatCouldNotBeUsed() {
        assertThatThrownBy(() -> RedisOptions.builder()
                        .uri("redis://h:1")
                        .sentinelCredentials(null, "pw")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names no sentinels");
        assertThatThrownBy(() -> RedisOptions.builder().sentinelCredentials("watcher", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sentinel user 'watcher' given without a password");
    }
}
