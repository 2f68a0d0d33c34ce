package io.flagstore.spring.boot;

import io.flagstore.core.ClientHealth;
import io.flagstore.core.ClientState;
import io.flagstore.core.FlagClient;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the health indicator and the info contributor say about a client, in one place for both
 * Spring Boot generations' health APIs.
 *
 * <p>{@code READY} is {@code UP}. {@code STALE} and {@code NAMESPACE_RESET} are {@code OUT_OF_SERVICE}:
 * the instance still serves its last flag set, but a flag flipped now would not reach it.
 * {@code INITIALIZING} (no flags yet: every evaluation serves its default) and {@code CLOSED} are
 * {@code DOWN}.
 */
final class FlagStoreStatus {
    static final String UP = "UP";
    static final String OUT_OF_SERVICE = "OUT_OF_SERVICE";
    static final String DOWN = "DOWN";

    private final FlagClient client;
    private final String namespace;

    FlagStoreStatus(FlagClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** The health status code of a client state. */
    static String status(ClientState state) {
        return switch (state) {
            case READY -> UP;
            case STALE, NAMESPACE_RESET -> OUT_OF_SERVICE;
            case INITIALIZING, CLOSED -> DOWN;
        };
    }

    /** The status and details of the client now. */
    Map.Entry<String, Map<String, Object>> health() {
        ClientHealth health = client.health();
        return Map.entry(status(health.state()), details(health));
    }

    /** The details shown by health and info: namespace, state, version, freshness, the source's message. */
    Map<String, Object> details() {
        return details(client.health());
    }

    private Map<String, Object> details(ClientHealth health) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("namespace", namespace);
        details.put("state", health.state().name());
        details.put("version", health.appliedVersion());
        details.put("flags", client.snapshot().size());
        if (health.lastUpdate() != null) {
            details.put("lastUpdate", health.lastUpdate().toString());
            details.put("sinceLastUpdateMs", health.sinceLastUpdate().toMillis());
        }
        if (health.message() != null) {
            details.put("message", health.message());
        }
        return details;
    }

    /** The namespace a client configured from {@code properties} reads ({@code local} without Redis). */
    static String namespace(FlagStoreProperties properties) {
        return properties.redis().uri() == null ? "local" : properties.redis().namespace();
    }
}
