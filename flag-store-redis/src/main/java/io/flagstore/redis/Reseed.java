package io.flagstore.redis;

import io.flagstore.core.InvalidFlagException;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagDocument;
import io.flagstore.core.model.FlagValidator;
import io.flagstore.core.model.Segment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A re-seed: a document becomes the whole namespace in one write under a new epoch. The write
 * script takes the new version from above every version a plausible live instance reports (values
 * beyond {@link Presence#MAX_VERSION} or with a heartbeat in the future are not believed).
 */
final class Reseed {
    private final WritePipeline pipeline;

    Reseed(WritePipeline pipeline) {
        this.pipeline = pipeline;
    }

    WriteResult run(FlagDocument document, WriteOptions options, boolean force) {
        Objects.requireNonNull(document, "document");
        FlagAdmin.requireNoExpectedVersion(options, "a re-seed");
        if (document.flags().isEmpty() && document.segments().isEmpty()) {
            throw new IllegalArgumentException("a re-seed needs at least one flag or segment");
        }
        List<String> problems = FlagValidator.problemsInSet(
                byKey(document.flags(), Flag::key), byKey(document.segments(), Segment::key));
        if (!problems.isEmpty()) {
            throw new InvalidFlagException(problems);
        }
        Batch.Builder batch = Batch.builder();
        document.flags().forEach(batch::put);
        document.segments().forEach(batch::putSegment);
        List<Change> changes = batch.build().changes();
        return pipeline.write(
                "reseed", options, force ? AdminScripts.Mode.FORCE_SEED : AdminScripts.Mode.SEED, () -> changes, null);
    }

    private static <T> Map<String, T> byKey(List<T> items, Function<T, String> key) {
        Map<String, T> out = new LinkedHashMap<>();
        items.forEach(item -> out.put(key.apply(item), item));
        return out;
    }
}
