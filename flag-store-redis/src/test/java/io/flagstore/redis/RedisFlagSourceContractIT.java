package io.flagstore.redis;

import io.flagstore.core.model.Flag;
import io.flagstore.core.spi.FlagSource;
import io.flagstore.core.spi.FlagSourceContract;
import io.flagstore.redis.testing.RedisServerExtension;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The {@link FlagSource} contract, against a real Redis written through {@link FlagAdmin}. */
class RedisFlagSourceContractIT extends FlagSourceContract {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    private FlagAdmin admin;
    private RedisOptions options;

    @Override
    protected FlagSource newSource(List<Flag> initial) {
        options = RedisOptions.builder()
                .uri(redis.uri())
                .namespace(redis.uniqueNamespace())
                .build();
        admin = FlagAdmin.connect(options);
        if (!initial.isEmpty()) {
            write(initial, List.of());
        }
        return RedisFlagSource.builder()
                .options(options)
                .serviceName("contract")
                .build();
    }

    @Override
    protected void write(List<Flag> upserts, List<String> deletes) {
        Batch.Builder batch = Batch.builder();
        upserts.forEach(batch::put);
        deletes.forEach(batch::delete);
        admin.apply(batch.build(), WriteOptions.defaults());
    }

    @AfterEach
    void closeAdmin() {
        if (admin != null) {
            admin.close();
        }
    }
}
