package io.flagstore.docs;

import io.flagstore.core.EvaluationContext;
import io.flagstore.core.FlagClient;
import io.flagstore.core.spi.FlagSource;
import io.flagstore.redis.RedisOptions;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;

/**
 * What a documentation block that is a fragment (no type declaration of its own) may use without
 * declaring it: the block becomes the body of a method of a subclass of this class. A block that
 * declares a variable of the same name shadows the field. Never instantiated: the blocks are compiled,
 * not run.
 */
@SuppressWarnings("unused")
public abstract class Givens {
    /** The application's client. */
    protected FlagClient flags;
    /** The user a request is for. */
    protected EvaluationContext user;
    /** A flag source, such as a {@code RedisFlagSource}. */
    protected FlagSource source;
    /** The application's meter registry. */
    protected MeterRegistry registry;
    /** Redis connection options. */
    protected RedisOptions options;
    /** The application's logger. */
    protected Logger log;
}
