package io.flagstore.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagstore.redis.CorruptKey;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.FleetView;
import io.flagstore.redis.NamespaceContents;
import io.flagstore.redis.NamespaceInfo;
import io.flagstore.redis.ServiceInstance;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/**
 * {@code flagctl status}: is Redis there, what version, which services are live and how far behind,
 * whether instances at the same version serve the same definitions, and what is broken (corrupt
 * keys, a version that went backwards, presence entries that cannot be true).
 */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = {
            "Show Redis, the namespace version and the live service instances with their lag.",
            "Redis reachability and server version, the namespace version and flag count, and every live",
            "service instance with the version it applied, how far it is behind and whether what it serves",
            "matches Redis (digest). Warns of corrupt keys, a version that went backwards, instances at one",
            "version that disagree, silent and implausible presence entries. Exit 5 if Redis is unreachable."
        })
final class StatusCommand extends ReadCommand {
    @Override
    public Integer call() {
        try {
            return super.call();
        } catch (RuntimeException e) {
            if (json && ErrorHandler.exitCode(e) == ExitCodes.UNAVAILABLE) {
                ObjectNode node = Json.object();
                node.put("redis", connection.displayUri());
                node.put("reachable", false);
                node.put("namespace", connection.namespace);
                Json.print(out(), node);
            }
            throw e;
        }
    }

    @Override
    int run(FlagAdmin admin) {
        NamespaceInfo info = admin.info();
        FleetView fleet = admin.fleet();
        NamespaceContents contents = admin.contents();
        // a digest is comparable with Redis's only at the version read, with every flag readable
        String redisDigest =
                contents.corrupt().isEmpty() && fleet.version() == info.version() ? contents.flagsDigest() : null;
        Set<String> digestsAtVersion = fleet.live().stream()
                .filter(i -> i.appliedVersion() == info.version() && i.digest() != null)
                .map(ServiceInstance::digest)
                .collect(Collectors.toSet());
        boolean disagree = digestsAtVersion.size() > 1
                || (redisDigest != null
                        && !digestsAtVersion.isEmpty()
                        && !digestsAtVersion.equals(Set.of(redisDigest)));
        if (json) {
            printJson(info, fleet, contents, redisDigest, disagree);
            return ExitCodes.OK;
        }
        PrintWriter out = out();
        out.println("redis        " + connection.displayUri() + " (reachable, Redis " + info.redisVersion() + ")");
        out.println("namespace    " + connection.namespace + ": version " + info.version() + ", "
                + Formats.plural(info.flagCount(), "flag")
                + (info.epoch() == null ? " (never written)" : ", epoch " + info.epoch())
                + (info.origin() == null ? "" : " (created by a " + info.origin() + ")"));
        out.println("subscribers  " + info.subscribers() + " on the change channel");
        String root = spec.root().name();
        out.println("presence     "
                + (fleet.trustedKeys().isEmpty()
                        ? "keys trusted on first sight (none vouched for: '" + root + " trust add')"
                        : "held to the keys trusted for "
                                + Formats.plural(fleet.trustedKeys().size(), "service")));
        for (CorruptKey c : contents.corrupt()) {
            out.println("CORRUPT      " + c.kind() + " " + c.key() + " (version " + c.version() + "): "
                    + String.join("; ", c.problems()) + " -- overwrite it ('" + root
                    + " apply -f FILE') or delete it ('"
                    + root + " delete " + c.key() + "')");
        }
        if (!fleet.ahead().isEmpty()) {
            out.println("BACKWARDS    the namespace version went backwards: "
                    + fleet.ahead().size()
                    + " live instances hold a higher version than Redis's " + fleet.version()
                    + "; writes are refused until '" + root + " export -o now.json' and '" + root
                    + " apply -f now.json --reseed --force' (docs/operations.md, \"Version went backwards\")");
        }
        if (disagree) {
            out.println("DISAGREE     instances at version " + info.version() + " serve different definitions"
                    + (redisDigest == null ? "" : " (Redis's digest is " + redisDigest + ")")
                    + ": a hash was edited without a write; '" + root + " verify' finds it");
        }
        for (FleetView.Implausible i : fleet.implausible()) {
            out.println("IGNORED      presence entry " + i.field() + ": " + i.reason());
        }
        if (!fleet.lost().isEmpty()) {
            out.println("silent       "
                    + fleet.lost().stream().map(ServiceInstance::instance).toList()
                    + " stopped heartbeating (down, or partitioned from Redis)");
        }
        List<String> unsigned = fleet.live().stream()
                .filter(i -> i.signingKey() == null)
                .map(ServiceInstance::instance)
                .toList();
        if (!unsigned.isEmpty()) {
            out.println("unsigned     " + unsigned
                    + " write unsigned presence (older flag-store): --wait never counts their confirmations");
        }
        List<String> untrusted = untrusted(fleet);
        if (!untrusted.isEmpty()) {
            out.println("untrusted    " + untrusted
                    + " not signed by their service's trusted key: --wait never counts their confirmations ('" + root
                    + " trust list')");
        }
        if (!fleet.closed().isEmpty()) {
            out.println("closed       "
                    + fleet.closed().stream().map(ServiceInstance::instance).toList() + " shut down cleanly");
        }
        if (fleet.live().isEmpty()) {
            out.println("instances    none live (services heartbeat every few seconds while running)");
            out.flush();
            return ExitCodes.OK;
        }
        out.println("instances    " + fleet.live().size() + " live");
        out.println();
        Table table =
                new Table("SERVICE", "INSTANCE", "HOST", "APPLIED", "BEHIND", "LAST APPLY", "HEARTBEAT", "DIGEST");
        for (ServiceInstance i : fleet.live()) {
            long behind = Math.max(0, info.version() - i.appliedVersion());
            table.row(
                    i.service(),
                    i.instance(),
                    i.host(),
                    i.appliedVersion(),
                    behind == 0 ? "up to date" : Formats.plural(behind, "version"),
                    Formats.time(i.appliedAt()),
                    Formats.millis(Duration.between(i.heartbeat(), fleet.readAt())) + " ago",
                    digestCell(i, info.version(), redisDigest));
        }
        table.print(out);
        return ExitCodes.OK;
    }

    /** With trusted keys, the signed live instances whose entry is not signed by their service's key. */
    private static List<String> untrusted(FleetView fleet) {
        if (fleet.trustedKeys().isEmpty()) {
            return List.of();
        }
        return fleet.live().stream()
                .filter(i -> i.signingKey() != null && !fleet.trusts(i))
                .map(ServiceInstance::instance)
                .toList();
    }

    /** The instance's digest and whether it is Redis's ("=" same, "!=" different); "-" when unknown. */
    private static String digestCell(ServiceInstance i, long version, String redisDigest) {
        if (i.digest() == null) {
            return null;
        }
        if (redisDigest == null || i.appliedVersion() != version) {
            return i.digest();
        }
        return i.digest() + (i.digest().equals(redisDigest) ? " (= Redis)" : " (DIFFERS from Redis)");
    }

    private void printJson(
            NamespaceInfo info, FleetView fleet, NamespaceContents contents, String redisDigest, boolean disagree) {
        ObjectNode node = Json.object();
        node.put("redis", connection.displayUri());
        node.put("reachable", true);
        node.put("serverVersion", info.redisVersion());
        node.put("namespace", connection.namespace);
        node.put("version", info.version());
        node.put("epoch", info.epoch());
        node.put("origin", info.origin());
        node.put("flags", info.flagCount());
        node.put("subscribers", info.subscribers());
        node.put("digest", redisDigest);
        node.put("versionWentBackwards", !fleet.ahead().isEmpty());
        node.put("digestsDisagree", disagree);
        node.put("keysTrusted", !fleet.trustedKeys().isEmpty());
        node.set("untrusted", Json.strings(untrusted(fleet)));
        ArrayNode corrupt = node.putArray("corrupt");
        contents.corrupt().forEach(c -> corrupt.add(corruptJson(c)));
        node.set("instances", instancesJson(fleet.live(), info.version(), redisDigest));
        node.set("closed", instancesJson(fleet.closed(), info.version(), redisDigest));
        node.set("silent", instancesJson(fleet.lost(), info.version(), redisDigest));
        ArrayNode implausible = node.putArray("ignored");
        fleet.implausible()
                .forEach(i -> implausible.addObject().put("field", i.field()).put("reason", i.reason()));
        Json.print(out(), node);
    }

    private static ArrayNode instancesJson(List<ServiceInstance> instances, long version, String redisDigest) {
        ArrayNode array = Json.object().arrayNode();
        for (ServiceInstance i : instances) {
            ObjectNode n = WriteCommand.instanceJson(i);
            n.put("behind", Math.max(0, version - i.appliedVersion()));
            if (redisDigest != null && i.digest() != null && i.appliedVersion() == version) {
                n.put("digestMatchesRedis", i.digest().equals(redisDigest));
            }
            array.add(n);
        }
        return array;
    }

    static ObjectNode corruptJson(CorruptKey c) {
        ObjectNode n = Json.object();
        n.put("kind", c.kind());
        n.put("key", c.key());
        n.put("version", c.version());
        n.set("problems", Json.strings(c.problems()));
        return n;
    }
}
