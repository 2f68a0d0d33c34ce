/**
 * A small demo service: how an application uses {@code FlagClient} with the Redis source for a kill
 * switch, a percentage rollout and an operational flag. Started three times by {@code bin/demo}; not
 * a library.
 */
package io.flagstore.demo;
