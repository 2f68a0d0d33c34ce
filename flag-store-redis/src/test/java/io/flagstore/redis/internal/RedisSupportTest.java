package io.flagstore.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagstore.redis.RedisOptions;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisSupportTest {

    @Test
    void clusterUrisGiveEverySeedTheCredentialsTlsAndTimeout() {
        RedisOptions options = RedisOptions.builder()
                .uri("rediss-cluster://flags:s3cret@n1.internal:7000,n2.internal:7001")
                .commandTimeout(Duration.ofMillis(700))
                .build();

        List<RedisURI> seeds = RedisSupport.clusterUris(options);

        assertThat(seeds).extracting(RedisURI::getHost).containsExactly("n1.internal", "n2.internal");
        assertThat(seeds).extracting(RedisURI::getPort).containsExactly(7000, 7001);
        assertThat(seeds).allSatisfy(uri -> {
            assertThat(uri.isSsl()).isTrue();
            RedisCredentials credentials =
                    uri.getCredentialsProvider().resolveCredentials().block();
            assertThat(credentials.getUsername()).isEqualTo("flags");
            assertThat(new String(credentials.getPassword())).isEqualTo("s3cret");
            assertThat(uri.getTimeout()).isEqualTo(Duration.ofMillis(700));
        });
    }

    @Test
    void aRedirectSeenThroughAPlainUriSaysToUseTheClusterScheme() {
        RedisOptions plain = RedisOptions.of("redis://u:s3cret@10.0.0.1:7000");
        String message = RedisSupport.translate(
                        new RedisCommandExecutionException("MOVED 1234 10.0.0.2:7001"), "EVALSHA write", plain, "admin")
                .getMessage();
        assertThat(message)
                .contains("is a cluster node")
                .contains("use redis-cluster://")
                .doesNotContain("s3cret");

        RedisOptions cluster = RedisOptions.of("redis-cluster://10.0.0.1:7000");
        assertThat(RedisSupport.translate(
                                new RedisCommandExecutionException(
                                        "CROSSSLOT Keys in request don't hash to the same slot"),
                                "EVALSHA write",
                                cluster,
                                "admin")
                        .getMessage())
                .doesNotContain("use redis-cluster://");
    }
}
