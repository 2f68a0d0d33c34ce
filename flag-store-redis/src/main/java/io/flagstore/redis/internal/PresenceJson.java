package io.flagstore.redis.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagstore.redis.ServiceInstance;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * The value of a {@code clients} hash entry:
 * {@code {"service":..,"instance":..,"host":..,"appliedVersion":42,"appliedAt":ms,"heartbeat":ms,"started":ms,
 * "epoch":..,"heartbeatMs":5000,"digest":"0123456789abcdef","closedAt":ms,"key":..,"sig":..}}. {@code key} is
 * the writer's {@link PresenceSigner} public key and {@code sig} its signature over {@link #signed every
 * other field and the namespace}; both are absent in entries of sources older than signed presence.
 */
public final class PresenceJson {
    /** Text values (service, host, epoch) are cut to this many characters when written. */
    public static final int MAX_TEXT = 256;

    private PresenceJson() {}

    /**
     * An entry as read: the instance, or why the text is not believed as one.
     *
     * @param instance the entry, with {@link ServiceInstance#signingKey()} set when its signature
     *     verified; {@code null} when {@code problem} is not
     * @param problem why the entry is refused, or {@code null}
     */
    public record Parsed(ServiceInstance instance, String problem) {}

    /**
     * The JSON text of {@code instance}, unsigned (as sources older than signed presence write it);
     * optional parts that are null are left out.
     */
    public static String write(ServiceInstance instance) {
        return node(instance).toString();
    }

    /** The JSON text of {@code instance} in {@code namespace}, signed by {@code signer}. */
    public static String write(ServiceInstance instance, String namespace, PresenceSigner signer) {
        ObjectNode node = node(instance);
        node.put("key", signer.publicKey());
        node.put("sig", signer.sign(signed(namespace, signer.publicKey(), instance)));
        return node.toString();
    }

    private static ObjectNode node(ServiceInstance instance) {
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
        return node;
    }

    /**
     * Parses an entry of {@code namespace} and checks its signature, if it has one: an entry whose
     * signature does not verify (altered, signed for another namespace, or a key and signature that
     * do not belong together) is refused, an unsigned one is read without a {@code signingKey}.
     */
    public static Parsed read(String json, String namespace) {
        JsonNode node = tree(json);
        ServiceInstance instance = node == null ? null : instance(node);
        if (instance == null) {
            return new Parsed(null, "not a presence entry");
        }
        JsonNode key = node.get("key");
        JsonNode sig = node.get("sig");
        if (key == null && sig == null) {
            return new Parsed(instance, null);
        }
        if (key == null
                || sig == null
                || !key.isTextual()
                || !sig.isTextual()
                || !PresenceSigner.verify(key.asText(), signed(namespace, key.asText(), instance), sig.asText())) {
            return new Parsed(null, "signature does not verify");
        }
        return new Parsed(instance.withSigningKey(key.asText()), null);
    }

    /**
     * The bytes a signature covers: a JSON array of a format tag, the namespace, the key and every
     * field of the entry as read back (so what is verified is exactly what the admin side uses).
     */
    static byte[] signed(String namespace, String key, ServiceInstance i) {
        ArrayNode fields = Json.MAPPER.createArrayNode();
        fields.add("flagstore-presence-1")
                .add(namespace)
                .add(key)
                .add(i.service())
                .add(i.instance());
        fields.add(i.host())
                .add(i.appliedVersion())
                .add(epochMillis(i.appliedAt()))
                .add(epochMillis(i.heartbeat()));
        fields.add(epochMillis(i.started())).add(i.epoch());
        fields.add(i.heartbeatInterval() == null ? null : i.heartbeatInterval().toMillis());
        fields.add(i.digest()).add(epochMillis(i.closedAt()));
        return fields.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Long epochMillis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    /**
     * Parses an entry, ignoring any signature, or returns {@code null} if it is not one (edited by
     * hand, newer format...).
     */
    public static ServiceInstance read(String json) {
        JsonNode node = tree(json);
        return node == null ? null : instance(node);
    }

    private static JsonNode tree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static ServiceInstance instance(JsonNode node) {
        if (!node.path("service").isTextual()
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
