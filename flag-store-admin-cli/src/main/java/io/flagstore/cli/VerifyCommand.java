package io.flagstore.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagstore.core.FlagStoreException;
import io.flagstore.redis.CorruptKey;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.WriteOptions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flagctl verify [--repair]}: finds flag and segment hashes that are not as their write left
 * them (edited by hand without a write, or unreadable); {@code --repair} rewrites the readable ones
 * as they are now, which gives them a new version every service loads.
 */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Check every stored flag and segment against what its write recorded (version and checksum).",
            "Finds hashes edited by hand without a write: services that loaded them before and after the edit",
            "serve different definitions at the same version. Exit 0 if all are as written, 13 otherwise.",
            "--repair rewrites each readable one as it is now (a new version every service loads); unreadable",
            "ones must be overwritten with apply -f FILE or deleted."
        })
final class VerifyCommand extends ReadCommand {
    @Option(
            names = "--repair",
            description = "Rewrite each hand-edited but readable key as it is now (one write each).")
    boolean repair;

    @Option(names = "--reason", paramLabel = "TEXT", description = "With --repair: the audit reason.")
    String reason;

    @Option(names = "--actor", paramLabel = "NAME", description = "With --repair: who (default: the OS user).")
    String actor;

    @Override
    int run(FlagAdmin admin) {
        List<CorruptKey> found = admin.verify();
        List<String> repaired = new ArrayList<>();
        List<CorruptKey> left = new ArrayList<>();
        for (CorruptKey c : found) {
            if (repair && rewrite(admin, c)) {
                repaired.add(c.displayKey());
            } else {
                left.add(c);
            }
        }
        if (json) {
            ObjectNode node = Json.object();
            node.put("namespace", connection.namespace);
            ArrayNode problems = node.putArray("problems");
            found.forEach(c -> problems.add(StatusCommand.corruptJson(c)));
            node.set("repaired", Json.strings(repaired));
            Json.print(out(), node);
        } else {
            print(found, repaired, left);
        }
        return left.isEmpty() ? ExitCodes.OK : ExitCodes.CORRUPT;
    }

    private void print(List<CorruptKey> found, List<String> repaired, List<CorruptKey> left) {
        PrintWriter out = out();
        if (found.isEmpty()) {
            out.println("every flag and segment of namespace '" + connection.namespace + "' is as its write left it");
            out.flush();
            return;
        }
        Table table = new Table("KIND", "KEY", "VERSION", "PROBLEM");
        for (CorruptKey c : found) {
            table.row(c.kind(), c.key(), c.version(), String.join("; ", c.problems()));
        }
        table.print(out);
        if (!repaired.isEmpty()) {
            out.println("rewrote " + String.join(", ", repaired) + ": each has a new version every service loads");
        }
        if (!left.isEmpty()) {
            String root = spec.root().name();
            out.println(
                    repair
                            ? "not repaired (unreadable): " + Corruption.describe(left) + "; "
                                    + Corruption.HINT.replace("ROOT", root)
                            : "'" + root
                                    + " verify --repair' rewrites the readable ones as they are now; unreadable ones: "
                                    + Corruption.HINT.replace("ROOT", root));
        }
        out.flush();
    }

    /** Rewrites a readable key as it is now, compare-and-set against its index version; false if it cannot. */
    private boolean rewrite(FlagAdmin admin, CorruptKey c) {
        String who = WriteOptionsMixin.actor(actor);
        WriteOptions options = new WriteOptions(who, reason == null ? "verify --repair" : reason, c.version());
        try {
            if (c.kind().equals("segment")) {
                var segment = admin.getSegment(c.key());
                if (segment.isEmpty()) {
                    return false;
                }
                admin.putSegment(segment.get().withVersion(0, null), options);
            } else {
                var flag = admin.get(c.key());
                if (flag.isEmpty()) {
                    return false;
                }
                admin.update(flag.get().toBuilder().version(0).build(), options);
            }
            return true;
        } catch (FlagStoreException e) {
            return false; // unreadable, or changed meanwhile: reported as not repaired
        }
    }
}
