package io.flagstore.redis.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagstore.redis.ServiceInstance;
import java.time.Duration;
import java.time.Instant;

/**
 * The value of a {@code clients} hash entry:
 * {@code {"service":..,"instance":..,"host":..,"appliedVersion":42,"appliedAt":ms,"heartbeat":ms,"started":ms,
 * "epoch":..,"heartbeatMs":5000,"digest":"0123456789abcdef","closedAt":ms}}.
 */
public final class PresenceJson {
    private PresenceJson() {}

    /** The JSON text of {@code instance}; optional parts that are null are left out. */
    public static String write(ServiceInstance instance) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("service", instance.service());
        node.put("instance", instance.instance());
        if (instance.host() != null) {
            node.put("host", instance.host());
        }
        node.put("appliedVersion", instance.appliedVersion());
        putMillis(node, "appliedAt", instance.appliedAt());
        putMillis(node, "heartbeat", instance.heartbeat());
        putMillis(node, "started", instance.started());
        if (instance.epoch() != null) {
            node.put("epoch", instance.epoch());
        }
        if (instance.heartbeatInterval() != null) {
            node.put("heartbeatMs", instance.heartbeatInterval().toMillis());
        }
        if (instance.digest() != null) {
            node.put("digest", instance.digest());
        }
        putMillis(node, "closedAt", instance.closedAt());
        return node.toString();
    }

    /** Parses an entry, or returns {@code null} if it is not one (edited by hand, newer format...). */
    public static ServiceInstance read(String json) {
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            if (node == null
                    || !node.path("service").isTextual()
                    || !node.path("instance").isTextual()
                    || !node.path("heartbeat").canConvertToExactIntegral()) {
                return null;
            }
            return new ServiceInstance(
                    node.get("service").asText(),
                    node.get("instance").asText(),
                    node.path("host").isTextual() ? node.get("host").asText() : null,
                    node.path("appliedVersion").asLong(0),
                    millis(node, "appliedAt"),
                    millis(node, "heartbeat"),
                    millis(node, "started"),
                    node.path("epoch").isTextual() ? node.get("epoch").asText() : null,
                    node.path("heartbeatMs").canConvertToExactIntegral()
                            ? Duration.ofMillis(node.get("heartbeatMs").asLong())
                            : null,
                    node.path("digest").isTextual() ? node.get("digest").asText() : null,
                    millis(node, "closedAt"));
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static void putMillis(ObjectNode node, String name, Instant value) {
        if (value != null) {
            node.put(name, value.toEpochMilli());
        }
    }

    private static Instant millis(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value != null && value.canConvertToExactIntegral() ? Instant.ofEpochMilli(value.asLong()) : null;
    }
}
