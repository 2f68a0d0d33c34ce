package io.flagstore.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.NamespaceInfo;
import io.flagstore.redis.ServiceInstance;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code flagctl status}: is Redis there, what version, which services are live and how far behind. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = {
            "Show Redis, the namespace version and the live service instances with their lag.",
            "Redis reachability and server version, the namespace version and flag count, and every live",
            "service instance with the version it applied and how far it is behind. Exit 5 if Redis is unreachable."
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
        List<ServiceInstance> instances = admin.instances().stream()
                .sorted(Comparator.comparing(ServiceInstance::service).thenComparing(ServiceInstance::instance))
                .toList();
        Instant now = Instant.now();
        if (json) {
            ObjectNode node = Json.object();
            node.put("redis", connection.displayUri());
            node.put("reachable", true);
            node.put("serverVersion", info.redisVersion());
            node.put("namespace", connection.namespace);
            node.put("version", info.version());
            node.put("epoch", info.epoch());
            node.put("flags", info.flagCount());
            node.put("subscribers", info.subscribers());
            ArrayNode array = node.putArray("instances");
            for (ServiceInstance i : instances) {
                ObjectNode n = WriteCommand.instanceJson(i);
                n.put("behind", Math.max(0, info.version() - i.appliedVersion()));
                array.add(n);
            }
            Json.print(out(), node);
            return ExitCodes.OK;
        }
        PrintWriter out = out();
        out.println("redis        " + connection.displayUri() + " (reachable, Redis " + info.redisVersion() + ")");
        out.println("namespace    " + connection.namespace + ": version " + info.version() + ", "
                + Formats.plural(info.flagCount(), "flag")
                + (info.epoch() == null ? " (never written)" : ", epoch " + info.epoch()));
        out.println("subscribers  " + info.subscribers() + " on the change channel");
        if (instances.isEmpty()) {
            out.println("instances    none live (services heartbeat every few seconds while running)");
            out.flush();
            return ExitCodes.OK;
        }
        out.println("instances    " + instances.size() + " live");
        out.println();
        Table table = new Table("SERVICE", "INSTANCE", "HOST", "APPLIED", "BEHIND", "LAST APPLY", "HEARTBEAT");
        for (ServiceInstance i : instances) {
            long behind = Math.max(0, info.version() - i.appliedVersion());
            table.row(
                    i.service(),
                    i.instance(),
                    i.host(),
                    i.appliedVersion(),
                    behind == 0 ? "up to date" : Formats.plural(behind, "version"),
                    Formats.time(i.appliedAt()),
                    i.heartbeat() == null ? null : Formats.millis(Duration.between(i.heartbeat(), now)) + " ago");
        }
        table.print(out);
        return ExitCodes.OK;
    }
}
