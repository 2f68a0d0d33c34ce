package io.flagstore.redis.internal;

/**
 * The logger every part of a Redis flag source writes to: named after the public {@code
 * RedisFlagSource}, so an operator configures one logger for all of them.
 */
final class SourceLog {
    static final System.Logger LOG = System.getLogger("io.flagstore.redis.RedisFlagSource");

    private SourceLog() {}
}
