package io.flagstore.redis.internal;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A fixed Lua script from the classpath. Writing scripts run with {@code EVALSHA} and, when the
 * server does not know them yet ({@code NOSCRIPT}, e.g. after a restart or failover), with
 * {@code EVAL}, which also caches them. Reading scripts run as functions of the {@link
 * FunctionLibrary} with {@code FCALL_RO}, so that a service's user needs no {@code EVAL}. Never
 * WATCH/MULTI: those are unsafe on a shared Lettuce connection.
 *
 * <p>Immutable and thread-safe.
 */
public final class LuaScript {
    /** The mutation script (docs/redis-layout.md, "The write script"). */
    public static final LuaScript WRITE = load("write.lua");
    /** Removes presence entries that are still unchanged. */
    public static final LuaScript PRUNE_CLIENTS = load("prune-clients.lua");
    /** Stores scheduled changes (docs/scheduling.md). */
    public static final LuaScript SCHEDULE = load("schedule.lua");
    /** Cancels a scheduled change or records its failure, once. */
    public static final LuaScript SETTLE_SCHEDULE = load("settle-schedule.lua");

    private final String name;
    private final String source;
    private final String sha1;

    private LuaScript(String name, String source) {
        this.name = name;
        this.source = source;
        this.sha1 = sha1Hex(source);
    }

    /** Loads {@code io/flagstore/redis/internal/<resource>} from the classpath. */
    public static LuaScript load(String resource) {
        try (InputStream in = LuaScript.class.getResourceAsStream(resource)) {
            Objects.requireNonNull(in, () -> "missing script resource " + resource);
            return new LuaScript(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read script resource " + resource, e);
        }
    }

    /** The resource name, for messages. */
    public String name() {
        return name;
    }

    /** The SHA-1 the server knows the script by. */
    public String sha1() {
        return sha1;
    }

    /** Runs the script; Lettuce exceptions propagate unchanged. */
    public <T> T run(
            RedisClusterCommands<String, String> commands, ScriptOutputType type, String[] keys, String... args) {
        try {
            return commands.evalsha(sha1, type, keys, args);
        } catch (RedisNoScriptException e) {
            return commands.eval(source, type, keys, args);
        }
    }

    /**
     * Runs a script that only reads as its function of {@link FunctionLibrary#READS} with {@code
     * FCALL_RO}: an ACL user with read-only key access and no {@code EVAL} may run it, and so may a
     * replica. When Redis lacks the function (a new release, or a server that lost it), loads the
     * library if this user may, else throws a {@link RedisException} that says who can. Servers
     * older than Redis 7 have no functions and get {@link #run}; a user of an ACL written before
     * the functions ({@code EVALSHA_RO} but no {@code FCALL_RO}) runs the script with {@code
     * EVALSHA_RO}, so that the ACL can be changed after the services were upgraded.
     *
     * @throws IllegalStateException if this script is not one of the library's
     */
    public <T> T runReadOnly(
            RedisClusterCommands<String, String> commands, ScriptOutputType type, String[] keys, String... args) {
        String function = FunctionLibrary.READS.functionName(this);
        try {
            return commands.fcallReadOnly(function, type, keys, args);
        } catch (RedisCommandExecutionException e) {
            String message = e.getMessage() == null ? "" : e.getMessage();
            if (message.startsWith("ERR unknown command")) {
                return run(commands, type, keys, args);
            }
            if (message.startsWith("NOPERM") && message.contains("fcall_ro")) {
                try {
                    return commands.evalshaReadOnly(sha1, type, keys, args);
                } catch (RedisNoScriptException noScript) {
                    return commands.evalReadOnly(source, type, keys, args);
                }
            }
            if (!FunctionLibrary.missingFunction(e)) {
                throw e;
            }
        }
        FunctionLibrary.READS.loadForReader(commands, keys.length == 0 ? "" : keys[0], function);
        return commands.fcallReadOnly(function, type, keys, args);
    }

    /** The script's text. */
    String source() {
        return source;
    }

    static String sha1Hex(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-1", e);
        }
    }
}
