package io.flagstore.redis.internal;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ObjectOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The source's read scripts as one Redis function library, {@code flagstore}, so that a service's
 * Redis user needs {@code FCALL_RO} and no {@code EVAL}: it can run these functions and no other
 * Lua. Each function is registered with the {@code no-writes} flag (Redis refuses a write inside
 * it, and {@code FCALL_RO} may call it). Loading ({@code FUNCTION LOAD}) is the admin role's.
 *
 * <p>Implementation notes. A release's functions are named by a digest of its scripts
 * ({@code flagstore_<digest>_sync}), so a caller never runs code of another release under its
 * name. The library holds one block per release, newest first; loading a release replaces the
 * library with its own block followed by the blocks of the two releases loaded before it, so the
 * services of the previous releases keep reading during a rolling upgrade and the library stays
 * bounded. Functions are server-wide: in a cluster the library is loaded on the master that owns
 * the namespace's slot (and replicates to its replicas with the data).
 *
 * <p>Immutable and thread-safe.
 */
public final class FunctionLibrary {
    /** The library's name in {@code FUNCTION LIST}. */
    public static final String NAME = "flagstore";
    /** The scripts of the library (each run with {@link LuaScript#runReadOnly}). */
    static final List<String> READ_SCRIPTS = List.of("source-head.lua", "source-sync.lua", "source-page.lua");
    /** This release's read functions. */
    public static final FunctionLibrary READS = new FunctionLibrary(READ_SCRIPTS);

    /** How many earlier releases' blocks a load keeps beside its own. */
    static final int KEPT_RELEASES = 2;

    private static final String BLOCK_MARK = "--@flagstore-release ";
    private static final System.Logger LOG = System.getLogger(FunctionLibrary.class.getName());

    private final String release;
    private final Map<String, String> functions = new LinkedHashMap<>(); // resource -> function name
    private final String block;

    FunctionLibrary(List<String> resources) {
        List<LuaScript> scripts = resources.stream().map(LuaScript::load).toList();
        StringBuilder digested = new StringBuilder();
        scripts.forEach(
                s -> digested.append(s.name()).append('\n').append(s.source()).append('\n'));
        this.release = LuaScript.sha1Hex(digested.toString()).substring(0, 12);
        StringBuilder code = new StringBuilder(BLOCK_MARK).append(release).append("\ndo\n");
        for (LuaScript script : scripts) {
            String function = NAME + "_" + release + "_" + shortName(script.name());
            functions.put(script.name(), function);
            // KEYS and ARGV are the callback's arguments: the script's text runs unchanged as the function's body
            code.append("redis.register_function{function_name='")
                    .append(function)
                    .append("', flags={'no-writes'}, callback=function(KEYS, ARGV)\n")
                    .append(script.source().strip())
                    .append("\nend}\n");
        }
        this.block = code.append("end\n").toString();
    }

    /** {@code source-page.lua} -> {@code page}. */
    private static String shortName(String resource) {
        return resource.replaceFirst("^source-", "").replaceFirst("\\.lua$", "").replace('-', '_');
    }

    /** The digest naming this release's functions. */
    public String release() {
        return release;
    }

    /**
     * The function that runs {@code script}.
     *
     * @throws IllegalStateException if the script is not one of the library's
     */
    public String functionName(LuaScript script) {
        String function = functions.get(script.name());
        if (function == null) {
            throw new IllegalStateException(script.name() + " is not a read function: list it in "
                    + FunctionLibrary.class.getSimpleName() + ".READ_SCRIPTS");
        }
        return function;
    }

    /** The library code that a load of this release stores, given the code loaded now ({@code null}: none). */
    String codeReplacing(String loaded) {
        StringBuilder code = new StringBuilder("#!lua name=" + NAME + "\n")
                .append("-- flag-store: the read functions of RedisFlagSource, one block per release, newest first\n")
                .append(block);
        int kept = 0;
        for (String earlier : blocks(loaded)) {
            if (kept < KEPT_RELEASES && !earlier.startsWith(BLOCK_MARK + release + "\n")) {
                code.append(earlier);
                kept++;
            }
        }
        return code.toString();
    }

    /** The release blocks of library {@code code} (none when it is not a flag-store library). */
    private static List<String> blocks(String code) {
        List<String> blocks = new ArrayList<>();
        if (code == null) {
            return blocks;
        }
        int at = code.indexOf(BLOCK_MARK);
        while (at >= 0) {
            int next = code.indexOf("\n" + BLOCK_MARK, at);
            blocks.add(next < 0 ? code.substring(at) : code.substring(at, next + 1));
            at = next < 0 ? -1 : next + 1;
        }
        return blocks;
    }

    /**
     * Loads this release's functions on the master owning {@code key}'s slot (the server itself
     * when standalone) unless they are there already; keeps earlier releases' (see the class
     * notes).
     *
     * @return whether it loaded (false: they were there)
     * @throws RedisException from Redis, e.g. {@code NOPERM} when the user may not load functions
     */
    public boolean ensureLoaded(RedisClusterCommands<String, String> commands, String key) {
        RedisClusterCommands<String, String> node = nodeOf(commands, key);
        String loaded = loadedCode(node);
        if (loaded != null
                && loaded.contains(
                        "function_name='" + functions.values().iterator().next() + "'")) {
            return false;
        }
        node.functionLoad(codeReplacing(loaded), true);
        LOG.log(System.Logger.Level.DEBUG, "loaded the Redis function library {0}, release {1}", NAME, release);
        return true;
    }

    /**
     * {@link #ensureLoaded} when the user may: on a connect that may be a read-only user's or an
     * older Redis's (no functions), where loading is a service to the sources, not the caller's job.
     */
    public void ensureLoadedIfPermitted(RedisClusterCommands<String, String> commands, String key) {
        try {
            ensureLoaded(commands, key);
        } catch (RedisException e) {
            String detail = RedisSupport.describe(e);
            boolean expected = detail.contains("NOPERM") || detail.contains("unknown command");
            LOG.log(
                    expected ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING,
                    "cannot load the Redis function library {0}: {1}",
                    NAME,
                    detail);
        }
    }

    /**
     * For a reader that found {@code function} missing: loads the library, or explains (as the
     * exception's message) who can.
     */
    void loadForReader(RedisClusterCommands<String, String> commands, String key, String function) {
        try {
            ensureLoaded(commands, key);
        } catch (RedisCommandExecutionException e) {
            if (!RedisSupport.describe(e).contains("NOPERM")) {
                throw e;
            }
            // no NOPERM in the message: the user lacks nothing the service role should have
            throw new RedisException("Redis has no function " + function + " (the read functions of this flag-store"
                    + " release, library '" + NAME + "') and this Redis user may not load it: connect with the admin"
                    + " role once, e.g. run any flagctl command of this release with the admin user (it loads"
                    + " them), see docs/operations.md, \"Access control\"");
        }
    }

    /** Whether {@code e} says that the called function does not exist. */
    static boolean missingFunction(RedisCommandExecutionException e) {
        return e.getMessage() != null && e.getMessage().contains("Function not found");
    }

    /** The code of the loaded library, or {@code null} when there is none. */
    private static String loadedCode(RedisClusterCommands<String, String> node) {
        Object reply = node.dispatch(
                CommandType.FUNCTION,
                new ObjectOutput<>(StringCodec.UTF8),
                new CommandArgs<>(StringCodec.UTF8)
                        .add("LIST")
                        .add("LIBRARYNAME")
                        .add(NAME)
                        .add("WITHCODE"));
        // one entry per library whose name contains NAME: a map (RESP3) or a flat field/value list (RESP2)
        for (Object library : (List<?>) reply) {
            Map<String, Object> fields = fields(library);
            if (NAME.equals(fields.get("library_name"))) {
                return (String) fields.get("library_code");
            }
        }
        return null;
    }

    private static Map<String, Object> fields(Object entry) {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (entry instanceof Map<?, ?> map) {
            map.forEach((k, v) -> fields.put(String.valueOf(k), v));
        } else if (entry instanceof List<?> list) {
            for (int i = 0; i + 1 < list.size(); i += 2) {
                fields.put(String.valueOf(list.get(i)), list.get(i + 1));
            }
        }
        return fields;
    }

    /** The commands of the master owning {@code key}'s slot in a cluster; {@code commands} itself otherwise. */
    private static RedisClusterCommands<String, String> nodeOf(
            RedisClusterCommands<String, String> commands, String key) {
        if (!(commands instanceof RedisAdvancedClusterCommands<String, String> cluster)) {
            return commands;
        }
        RedisClusterNode master =
                cluster.getStatefulConnection().getPartitions().getMasterBySlot(SlotHash.getSlot(key));
        if (master == null) {
            throw new RedisException("the cluster topology names no master for the slot of " + key);
        }
        return cluster.getConnection(master.getNodeId());
    }
}
