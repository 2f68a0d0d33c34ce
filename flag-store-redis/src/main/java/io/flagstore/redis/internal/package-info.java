/**
 * Internals of the Redis module, not an API: the key schema, the hash and message codecs, the Lua
 * scripts and their runner. Shared by the admin and the source; may change in any release.
 */
package io.flagstore.redis.internal;
