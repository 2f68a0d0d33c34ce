package io.flagstore.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagstore.core.model.FlagJson;
import io.flagstore.redis.AuditEntry;

/** How an audit entry looks in JSON. */
final class Audit {
    private Audit() {}

    static ObjectNode json(AuditEntry e, boolean withDefinitions) {
        ObjectNode node = Json.object();
        node.put("version", e.version());
        node.put("op", e.op());
        node.set("keys", Json.strings(e.keys()));
        node.put("actor", e.actor());
        node.put("redisUser", e.redisUser());
        node.put("reason", e.reason());
        Json.putInstant(node, "time", e.writtenAt());
        if (withDefinitions) {
            ArrayNode before = node.putArray("before");
            e.before().forEach(f -> before.add(FlagJson.toTree(f)));
            ArrayNode after = node.putArray("after");
            e.after().forEach(f -> after.add(FlagJson.toTree(f)));
            ArrayNode segmentsBefore = node.putArray("segmentsBefore");
            e.segmentsBefore().forEach(s -> segmentsBefore.add(FlagJson.segmentToTree(s)));
            ArrayNode segmentsAfter = node.putArray("segmentsAfter");
            e.segmentsAfter().forEach(s -> segmentsAfter.add(FlagJson.segmentToTree(s)));
        }
        return node;
    }
}
