package io.flagstore.cli;

import io.flagstore.redis.AdminErrorCode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exit codes of {@code flagctl}; scripts rely on them. Apart from success they are the
 * {@link AdminErrorCode}s, which the console's API shares; {@link #TABLE} is the list of their
 * meanings that {@code flagctl --help} prints and a test checks docs/cli.md against.
 */
final class ExitCodes {
    /** Success. */
    static final int OK = 0;

    static final int ERROR = AdminErrorCode.ERROR.number();
    static final int USAGE = AdminErrorCode.USAGE.number();
    static final int NOT_FOUND = AdminErrorCode.NOT_FOUND.number();
    static final int CONFLICT = AdminErrorCode.CONFLICT.number();
    static final int UNAVAILABLE = AdminErrorCode.UNAVAILABLE.number();
    static final int WAIT_TIMEOUT = AdminErrorCode.WAIT_TIMEOUT.number();
    static final int INVALID = AdminErrorCode.INVALID.number();
    static final int DENIED = AdminErrorCode.DENIED.number();
    static final int NAMESPACE_RESET = AdminErrorCode.NAMESPACE_RESET.number();
    static final int REPLICATION = AdminErrorCode.REPLICATION.number();
    static final int VERSION_REGRESSED = AdminErrorCode.VERSION_REGRESSED.number();
    static final int OUTCOME_UNKNOWN = AdminErrorCode.OUTCOME_UNKNOWN.number();
    static final int CORRUPT = AdminErrorCode.CORRUPT.number();

    /** Every code with its one-line meaning, in order. */
    static final Map<Integer, String> TABLE = table();

    private ExitCodes() {}

    private static Map<Integer, String> table() {
        Map<Integer, String> t = new LinkedHashMap<>();
        t.put(OK, "ok (also: nothing to change)");
        for (AdminErrorCode code : AdminErrorCode.values()) {
            t.put(code.number(), code.meaning());
        }
        return Collections.unmodifiableMap(t);
    }
}
