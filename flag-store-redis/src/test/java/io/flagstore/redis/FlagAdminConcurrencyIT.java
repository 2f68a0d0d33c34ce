package io.flagstore.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagstore.core.VersionConflictException;
import io.flagstore.core.model.Flag;
import io.flagstore.redis.internal.KeySchema;
import io.flagstore.redis.testing.RedisServerExtension;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Concurrent read-modify-write admins, each on its own connection, must lose no update. */
class FlagAdminConcurrencyIT {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    private static final int ADMINS = 4;

    private static int counter(Flag flag) {
        return Integer.parseInt(flag.description());
    }

    private static Flag increment(Flag flag) {
        return flag.toBuilder().description(Integer.toString(counter(flag) + 1)).build();
    }

    /** Runs {@code work(admin)} on {@value #ADMINS} threads, each with its own admin; returns their results. */
    private static <T> List<T> concurrently(RedisOptions options, AdminTask<T> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(ADMINS);
        try {
            List<Callable<T>> tasks = new ArrayList<>();
            for (int i = 0; i < ADMINS; i++) {
                tasks.add(() -> {
                    try (FlagAdmin admin = FlagAdmin.connect(options)) {
                        return work.run(admin);
                    }
                });
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : pool.invokeAll(tasks)) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static RedisOptions freshNamespace() {
        return RedisOptions.builder()
                .uri(redis.uri())
                .namespace(redis.uniqueNamespace())
                .build();
    }

    private interface AdminTask<T> {
        T run(FlagAdmin admin);
    }

    @Test
    void compareAndSetIncrementsFromFourAdminsLoseNoUpdate() throws Exception {
        RedisOptions options = freshNamespace();
        KeySchema keys = KeySchema.of(options.namespace());
        int perAdmin = 100;
        AtomicInteger conflicts = new AtomicInteger();
        try (FlagAdmin admin = FlagAdmin.connect(options)) {
            admin.create(Flag.killSwitch("counter").toBuilder().description("0").build());

            List<List<Long>> versions = concurrently(options, a -> {
                List<Long> mine = new ArrayList<>();
                while (mine.size() < perAdmin) {
                    Flag read = a.get("counter").orElseThrow();
                    try {
                        mine.add(a.update(increment(read)).version()); // CAS on read.version()
                    } catch (VersionConflictException e) {
                        conflicts.incrementAndGet();
                    }
                }
                return mine;
            });

            Flag last = admin.get("counter").orElseThrow();
            assertThat(counter(last)).isEqualTo(ADMINS * perAdmin);
            Set<Long> all = new HashSet<>();
            for (List<Long> mine : versions) {
                assertThat(mine)
                        .as("each admin sees its versions strictly increase")
                        .isSorted()
                        .doesNotHaveDuplicates();
                all.addAll(mine);
            }
            assertThat(all).hasSize(ADMINS * perAdmin);
            assertThat(last.version()).isEqualTo(1 + ADMINS * perAdmin);
            assertThat(redis.execute("GET", keys.version())).isEqualTo(Long.toString(1 + ADMINS * perAdmin));
            assertThat(redis.execute("XLEN", keys.audit())).isEqualTo(1L + ADMINS * perAdmin);
            assertThat(conflicts.get()).as("the admins really competed").isPositive();
        }
    }

    @Test
    void modifyRetriesConcurrentWritesAndLosesNoUpdate() throws Exception {
        RedisOptions options = freshNamespace();
        int perAdmin = 30;
        try (FlagAdmin admin = FlagAdmin.connect(options)) {
            admin.create(Flag.killSwitch("counter").toBuilder().description("0").build());

            List<Integer> exhausted = concurrently(options, a -> {
                int gaveUp = 0;
                for (int done = 0; done < perAdmin; ) {
                    try {
                        a.modify("counter", FlagAdminConcurrencyIT::increment, WriteOptions.defaults());
                        done++;
                    } catch (VersionConflictException e) {
                        gaveUp++; // all MAX_ATTEMPTS attempts lost: nothing was written
                    }
                }
                return gaveUp;
            });

            assertThat(counter(admin.get("counter").orElseThrow())).isEqualTo(ADMINS * perAdmin);
            assertThat(admin.history("counter", 1000)).hasSize(1 + ADMINS * perAdmin);
            assertThat(exhausted.stream().mapToInt(Integer::intValue).sum())
                    .as("retries absorb most conflicts")
                    .isLessThan(ADMINS * perAdmin / 4);
        }
    }
}
